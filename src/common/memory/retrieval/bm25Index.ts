import { grown } from './grown';
import { tokenize } from './tokenize';
import { TopK, type Hit } from './topK';

const NO_DOCS = new Int32Array(0);
const NO_TFS = new Float32Array(0);

/**
 * Postings of one term: the documents it occurs in and how often. Those restored from a snapshot are views on
 * the snapshot's buffer and never written (`base*`); documents added later go to typed arrays grown by
 * doubling, so adding to a restored index never copies its postings.
 */
class Postings {
  docs: Int32Array = NO_DOCS;
  tfs: Float32Array = NO_TFS;
  length = 0;

  constructor(
    readonly baseDocs: Int32Array<ArrayBufferLike> = NO_DOCS,
    readonly baseTfs: Float32Array<ArrayBufferLike> = NO_TFS,
  ) {}

  get count(): number {
    return this.baseDocs.length + this.length;
  }

  add(doc: number, tf: number): void {
    if (this.length === this.docs.length) {
      const capacity = Math.max(4, this.docs.length * 2);
      this.docs = grown(this.docs, capacity);
      this.tfs = grown(this.tfs, capacity);
    }
    this.docs[this.length] = doc;
    this.tfs[this.length] = tf;
    this.length++;
  }
}

/** A Bm25Index as plain data and typed arrays, for the index snapshot. */
export interface Bm25Snapshot {
  meta: { terms: string[]; ids: string[]; totalLength: number; aliveCount: number };
  arrays: {
    /** Per term, where its postings start in `docs`/`tfs` (one more entry than terms). */
    offsets: Uint32Array;
    docs: Int32Array;
    tfs: Float32Array;
    lengths: Float32Array;
    alive: Uint8Array;
  };
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
 * is rebuilt from the files), which keeps removal O(1).
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
        if (termId >= this.scratchTf.length) this.scratchTf = grown(this.scratchTf, this.scratchTf.length * 2);
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
      const idf = Math.log(1 + (this.aliveCount - p.count + 0.5) / (p.count + 0.5));
      if (idf <= 0) continue;
      ideal += idf;
      this.accumulate(p.baseDocs, p.baseTfs, p.baseDocs.length, idf, avgdl, touched);
      this.accumulate(p.docs, p.tfs, p.length, idf, avgdl, touched);
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

  /** Adds one term's BM25 contribution to the score of every document in a run of its postings. */
  private accumulate(docs: Int32Array<ArrayBufferLike>, tfs: Float32Array<ArrayBufferLike>, length: number, idf: number, avgdl: number, touched: number[]): void {
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

  toSnapshot(): Bm25Snapshot {
    const offsets = new Uint32Array(this.postings.length + 1);
    let total = 0;
    this.postings.forEach((p, i) => {
      offsets[i] = total;
      total += p.count;
    });
    offsets[this.postings.length] = total;
    const docs = new Int32Array(total);
    const tfs = new Float32Array(total);
    this.postings.forEach((p, i) => {
      const at = offsets[i] as number;
      docs.set(p.baseDocs, at);
      docs.set(p.docs.subarray(0, p.length), at + p.baseDocs.length);
      tfs.set(p.baseTfs, at);
      tfs.set(p.tfs.subarray(0, p.length), at + p.baseDocs.length);
    });
    const n = this.ids.length;
    return {
      meta: { terms: [...this.terms.keys()], ids: [...this.ids], totalLength: this.totalLength, aliveCount: this.aliveCount },
      arrays: { offsets, docs, tfs, lengths: this.lengths.slice(0, n), alive: this.alive.slice(0, n) },
    };
  }

  /** Rebuilds an index from a snapshot; postings are views on the snapshot's arrays until they grow. */
  static fromSnapshot(s: Bm25Snapshot): Bm25Index {
    const { terms, ids, totalLength, aliveCount } = s.meta;
    const { offsets, docs, tfs, lengths, alive } = s.arrays;
    const n = ids.length;
    if (offsets.length !== terms.length + 1 || lengths.length !== n || alive.length !== n || docs.length !== tfs.length || offsets[terms.length] !== docs.length) {
      throw new Error('lexical index snapshot does not fit together');
    }
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i] as number;
      if (d < 0 || d >= n) throw new Error('lexical index snapshot: posting out of range');
    }
    const index = new Bm25Index();
    index.ensureCapacity(n);
    index.lengths.set(lengths);
    index.alive.set(alive);
    ids.forEach((id, i) => {
      index.ids.push(id);
      index.byId.set(id, i);
    });
    for (let t = 0; t < terms.length; t++) {
      const from = offsets[t] as number;
      const to = offsets[t + 1] as number;
      if (to < from) throw new Error('lexical index snapshot: bad postings offsets');
      index.terms.set(terms[t] as string, t);
      index.postings.push(new Postings(docs.subarray(from, to), tfs.subarray(from, to)));
    }
    if (index.scratchTf.length < terms.length) index.scratchTf = new Float32Array(Math.max(1024, terms.length * 2));
    index.totalLength = totalLength;
    index.aliveCount = aliveCount;
    return index;
  }

  private ensureCapacity(size: number): void {
    if (size <= this.lengths.length) return;
    const cap = Math.max(size, this.lengths.length * 2);
    this.lengths = grown(this.lengths, cap);
    this.alive = grown(this.alive, cap);
    this.acc = new Float64Array(cap);
  }
}
