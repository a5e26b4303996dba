import { tokenize } from './tokenize';
import { TopK, type Hit } from './topK';

/** Postings of one term: the documents it occurs in and how often, in typed arrays grown by doubling. */
class Postings {
  docs = new Int32Array(4);
  tfs = new Float32Array(4);
  length = 0;

  add(doc: number, tf: number): void {
    if (this.length === this.docs.length) {
      const docs = new Int32Array(this.docs.length * 2);
      docs.set(this.docs);
      this.docs = docs;
      const tfs = new Float32Array(this.tfs.length * 2);
      tfs.set(this.tfs);
      this.tfs = tfs;
    }
    this.docs[this.length] = doc;
    this.tfs[this.length] = tf;
    this.length++;
  }
}

/** Fields of a document, weighted: the task is what a new query most resembles, plans add vocabulary. */
export interface LexicalDoc {
  id: string;
  task: string;
  plans: readonly string[];
}

/** Task words count this many times the plan words. */
const TASK_WEIGHT = 2;

/**
 * An Okapi BM25 inverted index kept up to date one document at a time, so a query touches only the postings
 * of its own terms and never rescans text. Removal marks a document dead (its postings stay until the index
 * is rebuilt on the next load), which keeps removal O(1).
 */
export class Bm25Index {
  private readonly terms = new Map<string, number>();
  private readonly postings: Postings[] = [];
  private scratchTf = new Float32Array(1024);
  private readonly scratchTouched: number[] = [];
  private readonly ids: string[] = [];
  private readonly byId = new Map<string, number>();
  private lengths = new Float32Array(1024);
  private alive = new Uint8Array(1024);
  private aliveCount = 0;
  private totalLength = 0;
  // Reused across queries: one score slot per document, and the list of slots touched.
  private acc = new Float64Array(1024);

  constructor(
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {}

  get size(): number {
    return this.aliveCount;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  add(doc: LexicalDoc): void {
    if (this.byId.has(doc.id)) return;
    // Term frequencies in reused scratch arrays indexed by term id: no Map or object per document, which keeps
    // garbage (and GC pauses) down when 100k records are indexed on reload.
    const touched = this.scratchTouched;
    touched.length = 0;
    this.countTerms(doc.task, TASK_WEIGHT);
    for (const plan of doc.plans) this.countTerms(plan, 1);
    const n = this.ids.length;
    this.ensureCapacity(n + 1);
    this.ids.push(doc.id);
    this.byId.set(doc.id, n);
    let length = 0;
    for (const termId of touched) {
      const f = this.scratchTf[termId] as number;
      this.scratchTf[termId] = 0;
      (this.postings[termId] as Postings).add(n, f);
      length += f;
    }
    this.lengths[n] = length;
    this.alive[n] = 1;
    this.aliveCount++;
    this.totalLength += length;
  }

  private countTerms(text: string, weight: number): void {
    for (const term of tokenize(text)) {
      let termId = this.terms.get(term);
      if (termId === undefined) {
        termId = this.postings.length;
        this.terms.set(term, termId);
        this.postings.push(new Postings());
        if (termId >= this.scratchTf.length) {
          const grown = new Float32Array(this.scratchTf.length * 2);
          grown.set(this.scratchTf);
          this.scratchTf = grown;
        }
      }
      const prev = this.scratchTf[termId] as number;
      if (prev === 0) this.scratchTouched.push(termId);
      this.scratchTf[termId] = prev + weight;
    }
  }

  remove(id: string): void {
    const n = this.byId.get(id);
    if (n === undefined || this.alive[n] === 0) return;
    this.alive[n] = 0;
    this.aliveCount--;
    this.totalLength -= this.lengths[n] ?? 0;
  }

  /**
   * The k best documents for a query, best first, with `similarity` in 0..1: the BM25 score divided by the
   * score a document matching every query term once at average length would get (the sum of the terms' idf),
   * capped at 1. That keeps similarities comparable across queries, unlike dividing by the best hit.
   */
  search(query: string, k: number, accept?: (id: string) => boolean): (Hit & { similarity: number })[] {
    if (this.aliveCount === 0 || k <= 0) return [];
    const queryTerms = [...new Set(tokenize(query))];
    const n = this.ids.length;
    const avgdl = this.totalLength / this.aliveCount || 1;
    const touched: number[] = [];
    let ideal = 0;
    for (const term of queryTerms) {
      const termId = this.terms.get(term);
      const p = termId === undefined ? undefined : this.postings[termId];
      if (!p) continue;
      const idf = Math.log(1 + (this.aliveCount - p.length + 0.5) / (p.length + 0.5));
      if (idf <= 0) continue;
      ideal += idf;
      const { docs, tfs, length } = p;
      const k1 = this.k1;
      const lenNorm = k1 * (1 - this.b);
      const lenScale = (k1 * this.b) / avgdl;
      for (let i = 0; i < length; i++) {
        const d = docs[i] as number;
        const f = tfs[i] as number;
        const prev = this.acc[d] as number;
        if (prev === 0) touched.push(d);
        this.acc[d] = prev + (idf * f * (k1 + 1)) / (f + lenNorm + lenScale * (this.lengths[d] as number));
      }
    }
    const top = new TopK(k);
    for (const d of touched) {
      const s = this.acc[d] as number;
      this.acc[d] = 0;
      if (d >= n || this.alive[d] === 0) continue;
      if (s <= top.threshold) continue;
      const id = this.ids[d] as string;
      if (accept && !accept(id)) continue;
      top.offer(d, s);
    }
    return top.result().map(({ item, score }) => ({ id: this.ids[item] as string, score, similarity: ideal > 0 ? Math.min(1, score / ideal) : 0 }));
  }

  private ensureCapacity(size: number): void {
    if (size <= this.lengths.length) return;
    const cap = Math.max(size, this.lengths.length * 2);
    const lengths = new Float32Array(cap);
    lengths.set(this.lengths);
    this.lengths = lengths;
    const alive = new Uint8Array(cap);
    alive.set(this.alive);
    this.alive = alive;
    this.acc = new Float64Array(cap);
  }
}
