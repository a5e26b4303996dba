import { normalize } from './vectorCodec';
import { TopK, type Hit } from './topK';

/** Dimension of the sketch used to preselect candidates in large indexes. */
const SKETCH_DIM = 64;

/** Options of a VectorIndex; the defaults keep top-5 over 100k 256-d vectors near 10 ms in plain JS. */
export interface VectorIndexOptions {
  /** Up to this many rows a query is an exact scan; above it, a sketch preselects candidates. */
  exactLimit?: number;
  /** Candidates kept from the sketch pass, per result asked for (at least 100 in total). */
  candidatesPerResult?: number;
}

/**
 * Unit vectors of one embedding model in one contiguous Float32Array, so a query is a linear pass of dot
 * products (cosine similarity) with no per-row objects. A vector added again for the same id replaces the old
 * row in place; removal marks the row dead.
 *
 * Why a sketch: an exact scan of 100k x 256 floats costs ~25 ms in JavaScript (no SIMD), above the 10 ms target.
 * Past `exactLimit` rows, a query first scans 64-d sketches of the vectors (4x fewer multiplications), keeps
 * the best few hundred candidates and re-ranks them exactly. A sketch is a sparse random projection (each input
 * dimension added, with a random sign, to one of 64 buckets: the "hashing trick"), which preserves inner
 * products in expectation and costs one addition per dimension, so loading 100k vectors stays cheap. Scores returned are always exact cosines; only recall is approximate, and only for large stores.
 */
export class VectorIndex {
  private readonly exactLimit: number;
  private readonly candidatesPerResult: number;
  private readonly bucket: Uint8Array;
  private readonly sign: Float32Array;
  private sketches: Float32Array;
  private matrix: Float32Array;
  private readonly ids: string[] = [];
  private readonly byId = new Map<string, number>();
  private alive: Uint8Array;
  private aliveCount = 0;

  constructor(
    readonly dim: number,
    options: VectorIndexOptions = {},
  ) {
    const initialCapacity = 1024;
    this.exactLimit = options.exactLimit ?? 20_000;
    this.candidatesPerResult = options.candidatesPerResult ?? 30;
    this.matrix = new Float32Array(dim * initialCapacity);
    this.sketches = new Float32Array(SKETCH_DIM * initialCapacity);
    this.alive = new Uint8Array(initialCapacity);
    ({ bucket: this.bucket, sign: this.sign } = hashingProjection(dim, 0x5a1e));
  }

  get size(): number {
    return this.aliveCount;
  }

  has(id: string): boolean {
    const row = this.byId.get(id);
    return row !== undefined && this.alive[row] === 1;
  }

  /** Adds or replaces the vector of `id`; returns false when its dimension does not match the index. */
  set(id: string, vector: ArrayLike<number>): boolean {
    if (vector.length !== this.dim) return false;
    let row = this.byId.get(id);
    if (row === undefined) {
      row = this.ids.length;
      this.grow(row + 1);
      this.ids.push(id);
      this.byId.set(id, row);
    }
    if (this.alive[row] !== 1) this.aliveCount++;
    this.alive[row] = 1;
    // Normalised straight into the matrix row and sketched from there: no temporary arrays per vector, and one
    // element type (Float32Array) in the hot loops, which matters when 100k vectors are loaded.
    const v = vector instanceof Float32Array ? vector : Float32Array.from(vector);
    const dim = this.dim;
    const m = this.matrix;
    const base = row * dim;
    let sum = 0;
    for (let i = 0; i < dim; i++) sum += (v[i] as number) * (v[i] as number);
    const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let i = 0; i < dim; i++) m[base + i] = (v[i] as number) * inv;
    const sk = this.sketches;
    const sbase = row * SKETCH_DIM;
    sk.fill(0, sbase, sbase + SKETCH_DIM);
    for (let i = 0; i < dim; i++) {
      const b = sbase + (this.bucket[i] as number);
      sk[b] = (sk[b] as number) + (this.sign[i] as number) * (m[base + i] as number);
    }
    let ssum = 0;
    for (let j = sbase; j < sbase + SKETCH_DIM; j++) ssum += (sk[j] as number) * (sk[j] as number);
    const sinv = ssum > 0 ? 1 / Math.sqrt(ssum) : 0;
    for (let j = sbase; j < sbase + SKETCH_DIM; j++) sk[j] = (sk[j] as number) * sinv;
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
      this.scan(this.matrix, this.dim, q, top, accept);
    } else {
      const pool = new TopK(Math.max(100, k * this.candidatesPerResult));
      this.scan(this.sketches, SKETCH_DIM, normalize(this.project(q)), pool, accept);
      for (const { item } of pool.result()) top.offer(item, this.dot(q, item));
    }
    return top.result().map(({ item, score }) => ({ id: this.ids[item] as string, score, similarity: Math.max(0, Math.min(1, score)) }));
  }

  private dot(q: Float32Array, row: number): number {
    const base = row * this.dim;
    let s = 0;
    for (let i = 0; i < this.dim; i++) s += (q[i] as number) * (this.matrix[base + i] as number);
    return s;
  }

  private project(unit: Float32Array): Float32Array {
    const out = new Float32Array(SKETCH_DIM);
    for (let i = 0; i < this.dim; i++) {
      const b = this.bucket[i] as number;
      out[b] = (out[b] as number) + (this.sign[i] as number) * (unit[i] as number);
    }
    return out;
  }

  private scan(m: Float32Array, dim: number, q: Float32Array, top: TopK, accept: ((id: string) => boolean) | undefined): void {
    const rows = this.ids.length;
    for (let r = 0; r < rows; r++) {
      if (this.alive[r] !== 1) continue;
      const base = r * dim;
      // Four accumulators let the engine overlap the multiplications.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      for (; i + 3 < dim; i += 4) {
        s0 += (q[i] as number) * (m[base + i] as number);
        s1 += (q[i + 1] as number) * (m[base + i + 1] as number);
        s2 += (q[i + 2] as number) * (m[base + i + 2] as number);
        s3 += (q[i + 3] as number) * (m[base + i + 3] as number);
      }
      for (; i < dim; i++) s0 += (q[i] as number) * (m[base + i] as number);
      const s = s0 + s1 + s2 + s3;
      if (s <= top.threshold) continue;
      if (accept && !accept(this.ids[r] as string)) continue;
      top.offer(r, s);
    }
  }

  private grow(rows: number): void {
    if (rows <= this.alive.length) return;
    const cap = Math.max(rows, this.alive.length * 2);
    const matrix = new Float32Array(cap * this.dim);
    matrix.set(this.matrix);
    this.matrix = matrix;
    const sketches = new Float32Array(cap * SKETCH_DIM);
    sketches.set(this.sketches);
    this.sketches = sketches;
    const alive = new Uint8Array(cap);
    alive.set(this.alive);
    this.alive = alive;
  }
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
