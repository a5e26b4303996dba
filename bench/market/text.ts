// BM25 over problem texts, for the text-neighbour routers and SALE's refinement memory. Incremental: documents are
// added as the stream reveals them, and IDF is over the documents added so far.

const STOP = new Set('the a an and or of to in is it this that for on with as be are was by at from not but if when we can should have has i you'.split(' '));

export function tokens(text: string): string[] {
  return (text.toLowerCase().match(/[a-z_][a-z0-9_]+/g) ?? []).filter((w) => !STOP.has(w));
}

// The benchmark asks about the same 500 texts many thousands of times; their distinct words are computed once.
const distinctCache = new Map<string, string[]>();
function distinctTokens(text: string): string[] {
  let words = distinctCache.get(text);
  if (!words) distinctCache.set(text, (words = [...new Set(tokens(text))]));
  return words;
}

export interface Hit {
  id: string;
  score: number;
}

export class Bm25 {
  private readonly postings = new Map<string, { id: string; tf: number }[]>();
  private readonly lengths = new Map<string, number>();
  private totalLength = 0;

  constructor(
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {}

  get size(): number {
    return this.lengths.size;
  }

  has(id: string): boolean {
    return this.lengths.has(id);
  }

  add(id: string, text: string): void {
    if (this.lengths.has(id)) return;
    const words = tokens(text);
    const tf = new Map<string, number>();
    for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
    for (const [w, n] of tf) {
      let list = this.postings.get(w);
      if (!list) this.postings.set(w, (list = []));
      list.push({ id, tf: n });
    }
    this.lengths.set(id, words.length);
    this.totalLength += words.length;
  }

  /** The `k` best-matching documents (excluding `exclude`), best first; ties by id. */
  search(text: string, k: number, exclude?: string): Hit[] {
    const n = this.lengths.size;
    if (n === 0) return [];
    const avg = this.totalLength / n;
    const scores = new Map<string, number>();
    for (const w of distinctTokens(text)) {
      const list = this.postings.get(w);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { id, tf } of list) {
        const len = this.lengths.get(id)!;
        const s = (idf * tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * len) / avg));
        scores.set(id, (scores.get(id) ?? 0) + s);
      }
    }
    if (exclude !== undefined) scores.delete(exclude);
    return [...scores]
      .map(([id, score]) => ({ id, score }))
      .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1))
      .slice(0, k);
  }
}
