/** A sparse, L2-normalised bag-of-words vector of a task description. */
export type WordVector = ReadonlyMap<string, number>;

export function bagOfWords(text: string): WordVector {
  const counts = new Map<string, number>();
  for (const w of text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const norm = Math.sqrt([...counts.values()].reduce((s, c) => s + c * c, 0)) || 1;
  return new Map([...counts].map(([w, c]) => [w, c / norm]));
}

/** Cosine similarity of two normalised vectors. */
export function cosine(a: WordVector, b: WordVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [w, x] of small) dot += x * (large.get(w) ?? 0);
  return dot;
}
