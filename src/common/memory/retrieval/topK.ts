/** One scored hit of a retrieval. */
export interface Hit {
  /** The auction id. */
  id: string;
  /** Raw score of the method (BM25 score or cosine). */
  score: number;
}

/**
 * Keeps the k best (highest score) items seen, in a small sorted array: k is tiny (5..50), so insertion into a
 * sorted array beats a heap and allocates nothing per candidate.
 */
export class TopK {
  private readonly scores: number[] = [];
  private readonly items: number[] = [];

  constructor(private readonly k: number) {}

  /** The score a candidate must beat to enter. */
  get threshold(): number {
    return this.scores.length < this.k ? -Infinity : (this.scores[this.scores.length - 1] ?? -Infinity);
  }

  offer(item: number, score: number): void {
    if (this.k <= 0 || score <= this.threshold) return;
    let i = this.scores.length;
    if (i === this.k) i--;
    // Shift smaller scores down; ties keep the earlier (older) item first for stable results.
    while (i > 0 && (this.scores[i - 1] ?? -Infinity) < score) {
      this.scores[i] = this.scores[i - 1] ?? 0;
      this.items[i] = this.items[i - 1] ?? 0;
      i--;
    }
    this.scores[i] = score;
    this.items[i] = item;
  }

  /** Best first. */
  result(): { item: number; score: number }[] {
    return this.items.map((item, i) => ({ item, score: this.scores[i] ?? 0 }));
  }
}
