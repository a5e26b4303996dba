import { normalize } from './vectorCodec';
import { grown } from './grown';
import { TopK, type Hit } from './topK';

/** Dimension of the sketch used to preselect candidates in large indexes. */
const SKETCH_DIM = 64;
/** The scan scores a sketch's first half, then skips the row when even a perfect second half could not make it. */
const SKETCH_HALF = SKETCH_DIM / 2;
/** Slack on that bound for float rounding, so pruning never drops a row the full score would have kept. */
const BOUND_SLACK = 1e-6;

/** Options of a VectorIndex; the defaults keep top-5 over 100k 256-d vectors near 10 ms in plain JS. */
export interface VectorIndexOptions {
  /** Up to this many rows a query is an exact scan; above it, a sketch preselects candidates. */
  exactLimit?: number;
  /** Candidates kept from the sketch pass, per result asked for (at least 100 in total). */
  candidatesPerResult?: number;
}

/** A VectorIndex as plain data and typed arrays, for the index snapshot. */
export interface VectorSnapshot {
  meta: { dim: number; ids: string[] };
  arrays: { codes: Int8Array; rowScale: Float32Array; codeRest: Float32Array; sketches: Float32Array; restNorm: Float32Array; alive: Uint8Array };
}

/**
 * Vectors of one embedding model as int8 codes in one contiguous Int8Array (a quarter of float32's memory;
 * the file keeps vectors as q8 already, so nothing is lost) with one factor per row that makes the row unit
 * length. A query is a linear pass of dot products (cosine similarity) with no per-row objects. A vector added
 * again for the same id replaces the old row in place; removal marks the row dead.
 *
 * Why a sketch: an exact scan of 100k x 256 dimensions costs ~25 ms in JavaScript (no SIMD), above the 10 ms
 * target. Past `exactLimit` rows, a query first scans 64-d sketches of the vectors (4x fewer multiplications),
 * keeps the best few hundred candidates and re-ranks them exactly. A sketch is a sparse random projection (each
 * input dimension added, with a random sign, to one of 64 buckets: the "hashing trick"), which preserves inner
 * products in expectation and costs one addition per dimension, so loading 100k vectors stays cheap. Scores
 * returned are always exact cosines (of the int8 vectors); only recall is approximate, and only for large stores.
 */
export class VectorIndex {
  private readonly exactLimit: number;
  private readonly candidatesPerResult: number;
  private readonly bucket: Uint8Array;
  private readonly sign: Float32Array;
  private sketches: Float32Array<ArrayBufferLike>;
  /** Per row, the norm of its sketch's second half (the most that half can add to a unit query's score). */
  private restNorm: Float32Array<ArrayBufferLike>;
  /** Per row, the same for the vector itself: the norm of its second half, scaled to a unit row. */
  private codeRest: Float32Array<ArrayBufferLike>;
  private codes: Int8Array<ArrayBufferLike>;
  private rowScale: Float32Array<ArrayBufferLike>;
  private readonly ids: string[] = [];
  private readonly byId = new Map<string, number>();
  private alive: Uint8Array<ArrayBufferLike>;
  private aliveCount = 0;
  private readonly scratch: Int8Array;

  constructor(
    readonly dim: number,
    options: VectorIndexOptions = {},
    initialCapacity = 1024,
  ) {
    this.exactLimit = options.exactLimit ?? 20_000;
    this.candidatesPerResult = options.candidatesPerResult ?? 30;
    this.codes = new Int8Array(dim * initialCapacity);
    this.rowScale = new Float32Array(initialCapacity);
    this.sketches = new Float32Array(SKETCH_DIM * initialCapacity);
    this.restNorm = new Float32Array(initialCapacity);
    this.codeRest = new Float32Array(initialCapacity);
    this.alive = new Uint8Array(initialCapacity);
    this.scratch = new Int8Array(dim);
    ({ bucket: this.bucket, sign: this.sign } = hashingProjection(dim, 0x5a1e));
  }

  get size(): number {
    return this.aliveCount;
  }

  has(id: string): boolean {
    const row = this.byId.get(id);
    return row !== undefined && this.alive[row] === 1;
  }

  /** Adds or replaces the vector of `id` (quantised to int8); false when its dimension does not match. */
  set(id: string, vector: ArrayLike<number>): boolean {
    if (vector.length !== this.dim) return false;
    let max = 0;
    for (let i = 0; i < this.dim; i++) max = Math.max(max, Math.abs(vector[i] as number));
    const q = this.scratch;
    const inv = max > 0 ? 127 / max : 0;
    for (let i = 0; i < this.dim; i++) q[i] = Math.round((vector[i] as number) * inv);
    return this.setCodes(id, q);
  }

  /** Adds or replaces the vector of `id` from int8 codes (a q8 line's data; its scale does not matter to cosine). */
  setCodes(id: string, codes: Int8Array): boolean {
    if (codes.length !== this.dim) return false;
    let row = this.byId.get(id);
    if (row === undefined) {
      row = this.ids.length;
      this.grow(row + 1);
      this.ids.push(id);
      this.byId.set(id, row);
    }
    if (this.alive[row] !== 1) this.aliveCount++;
    this.alive[row] = 1;
    const dim = this.dim;
    const base = row * dim;
    this.codes.set(codes, base);
    let sum = 0;
    for (let i = 0; i < dim; i++) sum += (codes[i] as number) * (codes[i] as number);
    const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    this.rowScale[row] = inv;
    this.codeRest[row] = rangeNorm(codes, dim >> 1, dim) * inv;
    const sk = this.sketches;
    const sbase = row * SKETCH_DIM;
    sk.fill(0, sbase, sbase + SKETCH_DIM);
    for (let i = 0; i < dim; i++) {
      const b = sbase + (this.bucket[i] as number);
      sk[b] = (sk[b] as number) + (this.sign[i] as number) * (codes[i] as number) * inv;
    }
    let ssum = 0;
    for (let j = sbase; j < sbase + SKETCH_DIM; j++) ssum += (sk[j] as number) * (sk[j] as number);
    const sinv = ssum > 0 ? 1 / Math.sqrt(ssum) : 0;
    for (let j = sbase; j < sbase + SKETCH_DIM; j++) sk[j] = (sk[j] as number) * sinv;
    this.restNorm[row] = rangeNorm(sk, sbase + SKETCH_HALF, sbase + SKETCH_DIM);
    return true;
  }

  remove(id: string): void {
    const row = this.byId.get(id);
    if (row === undefined || this.alive[row] !== 1) return;
    this.alive[row] = 0;
    this.aliveCount--;
  }

  /** The k rows most similar to `query` by cosine, best first; `score` and `similarity` are the cosine. */
  search(query: ArrayLike<number>, k: number, accept?: (id: string) => boolean): (Hit & { similarity: number })[] {
    if (query.length !== this.dim || k <= 0) return [];
    const q = normalize(query);
    const top = new TopK(k);
    if (this.aliveCount <= this.exactLimit) {
      this.scanExact(q, top, accept);
    } else {
      const pool = new TopK(Math.max(100, k * this.candidatesPerResult));
      this.scanSketches(normalize(this.project(q)), pool, accept);
      for (const { item } of pool.result()) top.offer(item, this.dot(q, item));
    }
    return top.result().map(({ item, score }) => ({ id: this.ids[item] as string, score, similarity: Math.max(0, Math.min(1, score)) }));
  }

  toSnapshot(): VectorSnapshot {
    const n = this.ids.length;
    return {
      meta: { dim: this.dim, ids: [...this.ids] },
      arrays: {
        codes: this.codes.slice(0, n * this.dim),
        rowScale: this.rowScale.slice(0, n),
        codeRest: this.codeRest.slice(0, n),
        sketches: this.sketches.slice(0, n * SKETCH_DIM),
        restNorm: this.restNorm.slice(0, n),
        alive: this.alive.slice(0, n),
      },
    };
  }

  static fromSnapshot(s: VectorSnapshot, options: VectorIndexOptions = {}): VectorIndex {
    const { dim, ids } = s.meta;
    const n = ids.length;
    const { codes, rowScale, codeRest, sketches, restNorm, alive } = s.arrays;
    if (!(dim > 0) || codes.length !== n * dim || [rowScale, codeRest, restNorm, alive].some((a) => a.length !== n) || sketches.length !== n * SKETCH_DIM) {
      throw new Error('vector index snapshot does not fit together');
    }
    // The arrays are adopted, not copied (they are views on the snapshot file's buffer); the first vector added
    // later grows them into fresh arrays.
    const index = new VectorIndex(dim, options, 0);
    index.codes = codes;
    index.rowScale = rowScale;
    index.codeRest = codeRest;
    index.sketches = sketches;
    index.restNorm = restNorm;
    index.alive = alive;
    ids.forEach((id, row) => {
      index.ids.push(id);
      index.byId.set(id, row);
      if (alive[row] === 1) index.aliveCount++;
    });
    return index;
  }

  private dot(q: Float32Array, row: number): number {
    const base = row * this.dim;
    const c = this.codes;
    let s = 0;
    for (let i = 0; i < this.dim; i++) s += (q[i] as number) * (c[base + i] as number);
    return s * (this.rowScale[row] as number);
  }

  private project(unit: Float32Array): Float32Array {
    const out = new Float32Array(SKETCH_DIM);
    for (let i = 0; i < this.dim; i++) {
      const b = this.bucket[i] as number;
      out[b] = (out[b] as number) + (this.sign[i] as number) * (unit[i] as number);
    }
    return out;
  }

  /** Exact cosines of every row, with the same half-first bound as the sketch scan (on the vectors' own halves). */
  private scanExact(q: Float32Array, top: TopK, accept: ((id: string) => boolean) | undefined): void {
    const rows = this.ids.length;
    const dim = this.dim;
    const half = dim >> 1;
    const c = this.codes;
    const rowScale = this.rowScale;
    const codeRest = this.codeRest;
    const alive = this.alive;
    const qRest = rangeNorm(q, half, dim);
    let threshold = top.threshold;
    for (let r = 0; r < rows; r++) {
      if (alive[r] !== 1) continue;
      const base = r * dim;
      let s0 = 0;
      let s1 = 0;
      let i = 0;
      for (; i + 1 < half; i += 2) {
        s0 += (q[i] as number) * (c[base + i] as number);
        s1 += (q[i + 1] as number) * (c[base + i + 1] as number);
      }
      for (; i < half; i++) s0 += (q[i] as number) * (c[base + i] as number);
      const scale = rowScale[r] as number;
      if ((s0 + s1) * scale + qRest * (codeRest[r] as number) + BOUND_SLACK <= threshold) continue;
      for (; i + 1 < dim; i += 2) {
        s0 += (q[i] as number) * (c[base + i] as number);
        s1 += (q[i + 1] as number) * (c[base + i + 1] as number);
      }
      for (; i < dim; i++) s0 += (q[i] as number) * (c[base + i] as number);
      const s = (s0 + s1) * scale;
      if (s <= threshold) continue;
      if (accept && !accept(this.ids[r] as string)) continue;
      top.offer(r, s);
      threshold = top.threshold;
    }
  }

  private scanSketches(q: Float32Array, top: TopK, accept: ((id: string) => boolean) | undefined): void {
    const rows = this.ids.length;
    const m = this.sketches;
    const alive = this.alive;
    const restNorm = this.restNorm;
    // Cauchy-Schwarz: the second half adds at most |q_rest| x |m_rest|. About two rows in three stop at half.
    const qRest = rangeNorm(q, SKETCH_HALF, SKETCH_DIM);
    let threshold = top.threshold;
    for (let r = 0; r < rows; r++) {
      if (alive[r] !== 1) continue;
      const base = r * SKETCH_DIM;
      // Four accumulators let the engine overlap the multiplications.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < SKETCH_HALF; i += 4) {
        s0 += (q[i] as number) * (m[base + i] as number);
        s1 += (q[i + 1] as number) * (m[base + i + 1] as number);
        s2 += (q[i + 2] as number) * (m[base + i + 2] as number);
        s3 += (q[i + 3] as number) * (m[base + i + 3] as number);
      }
      if (s0 + s1 + s2 + s3 + qRest * (restNorm[r] as number) + BOUND_SLACK <= threshold) continue;
      for (let i = SKETCH_HALF; i < SKETCH_DIM; i += 4) {
        s0 += (q[i] as number) * (m[base + i] as number);
        s1 += (q[i + 1] as number) * (m[base + i + 1] as number);
        s2 += (q[i + 2] as number) * (m[base + i + 2] as number);
        s3 += (q[i + 3] as number) * (m[base + i + 3] as number);
      }
      const s = s0 + s1 + s2 + s3;
      if (s <= threshold) continue;
      if (accept && !accept(this.ids[r] as string)) continue;
      top.offer(r, s);
      threshold = top.threshold;
    }
  }

  private grow(rows: number): void {
    if (rows <= this.alive.length) return;
    const cap = Math.max(rows, this.alive.length * 2, 16);
    this.codes = grown(this.codes, cap * this.dim);
    this.rowScale = grown(this.rowScale, cap);
    this.sketches = grown(this.sketches, cap * SKETCH_DIM);
    this.restNorm = grown(this.restNorm, cap);
    this.codeRest = grown(this.codeRest, cap);
    this.alive = grown(this.alive, cap);
  }
}

/** The norm of `v[from..to)`: the most that part of a row can add to the score of a unit query (and back). */
function rangeNorm(v: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  for (let j = from; j < to; j++) sum += (v[j] as number) * (v[j] as number);
  return Math.sqrt(sum);
}

/** A fixed pseudo-random bucket and sign per input dimension (mulberry32): the same seed, the same sketches. */
function hashingProjection(dim: number, seed: number): { bucket: Uint8Array; sign: Float32Array } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const bucket = new Uint8Array(dim);
  const sign = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    bucket[i] = next() % SKETCH_DIM;
    sign[i] = next() & 1 ? 1 : -1;
  }
  return { bucket, sign };
}
