import type { PackedArray } from '../storage/binaryPack';
import { MemoryState, STATE_ARRAYS, type AuctionView, type BodyRef, type MemoryStateSnapshot } from './fold';
import type { EmbeddingLine, MemoryLine } from './records';
import { Bm25Index, type Bm25Snapshot } from './retrieval/bm25Index';
import { decodeQ8Codes, decodeVector } from './retrieval/vectorCodec';
import { VectorIndex, type VectorIndexOptions, type VectorSnapshot } from './retrieval/vectorIndex';

/** How a retrieval found its hits. */
export type RetrievalMethod = 'embedding' | 'lexical';

/** One similar past auction. */
export interface SimilarAuction {
  view: AuctionView;
  /** 0..1: cosine for embeddings, normalised BM25 for lexical. */
  similarity: number;
}

export interface SimilarQuery {
  task: string;
  k: number;
  /** The query's vector and the embedding model that produced it; lexical retrieval when absent. */
  vector?: { model: string; values: ArrayLike<number> };
  /** Only auctions passing this filter count towards k (filtered inside the index, not after top-k). */
  accept?: (view: AuctionView) => boolean;
}

/** A MemoryIndex as JSON-able meta and typed arrays (written by the store next to its file, see memorySnapshot.ts). */
export interface MemoryIndexSnapshot {
  meta: {
    state: MemoryStateSnapshot['meta'];
    lexical: Bm25Snapshot['meta'];
    vectors: { model: string; meta: VectorSnapshot['meta'] }[];
    pendingVectors: EmbeddingLine[];
    corruptVectors: number;
  };
  /** The auctions' strings (see MemoryStateSnapshot.text). */
  text: string;
  arrays: Record<string, PackedArray>;
}

/**
 * Everything retrieval needs, kept in sync line by line: the fold of records into auction views, a BM25 index
 * over task and plan text, and one vector index per embedding model. Feeding a line is O(size of the line);
 * a query never rescans the records.
 */
export class MemoryIndex {
  readonly state: MemoryState;
  private lexical = new Bm25Index();
  private readonly vectors = new Map<string, VectorIndex>();
  /** Vectors that arrived before their auction (team merge order), applied when it arrives. */
  private readonly pendingVectors = new Map<string, EmbeddingLine[]>();
  private corruptVectors = 0;

  constructor(private readonly vectorOptions: VectorIndexOptions = {}) {
    this.state = new MemoryState({
      onAuction: (view, line) => {
        this.lexical.add({ id: line.id, task: line.task, plans: line.bids.map((b) => b.plan) });
        const pending = this.pendingVectors.get(view.head.id);
        this.pendingVectors.delete(view.head.id);
        for (const line of pending ?? []) this.addVector(line);
      },
      onDeleted: (id) => {
        this.lexical.remove(id);
        for (const index of this.vectors.values()) index.remove(id);
      },
      onEmbedding: (line) => {
        if (this.state.has(line.auctionId)) this.addVector(line);
        else if (!this.state.isDeleted(line.auctionId)) this.pendingVectors.set(line.auctionId, [...(this.pendingVectors.get(line.auctionId) ?? []), line]);
      },
    });
  }

  /** Feeds one line; `ref` says where an auction line is on disk, so its text need not stay in memory. */
  ingest(line: MemoryLine, ref?: BodyRef): void {
    this.state.ingest(line, ref);
  }

  toSnapshot(): MemoryIndexSnapshot {
    const lexical = this.lexical.toSnapshot();
    const state = this.state.toSnapshot();
    const arrays: Record<string, PackedArray> = {};
    for (const [name, a] of Object.entries(state.arrays)) arrays[`state.${name}`] = a;
    for (const [name, a] of Object.entries(lexical.arrays)) arrays[`lexical.${name}`] = a;
    const vectors = [...this.vectors.entries()].map(([model, index], i) => {
      const v = index.toSnapshot();
      for (const [name, a] of Object.entries(v.arrays)) arrays[`vectors.${i}.${name}`] = a;
      return { model, meta: v.meta };
    });
    return {
      text: state.text,
      meta: { state: state.meta, lexical: lexical.meta, vectors, pendingVectors: [...this.pendingVectors.values()].flat(), corruptVectors: this.corruptVectors },
      arrays,
    };
  }

  /** An index restored from a snapshot; throws when the snapshot does not fit together. */
  static fromSnapshot(snapshot: MemoryIndexSnapshot, vectorOptions: VectorIndexOptions = {}): MemoryIndex {
    const { meta, arrays } = snapshot;
    const array = <T extends PackedArray>(name: string, type: new (...args: never[]) => T): T => {
      const a = arrays[name];
      if (!(a instanceof type)) throw new Error(`memory snapshot: ${name} is missing`);
      return a;
    };
    const index = new MemoryIndex(vectorOptions);
    const stateArrays = Object.fromEntries(Object.entries(STATE_ARRAYS).map(([name, type]) => [name, array(`state.${name}`, type as new (...args: never[]) => PackedArray)]));
    index.state.restore({ meta: meta.state, text: snapshot.text, arrays: stateArrays as unknown as MemoryStateSnapshot['arrays'] });
    index.lexical = Bm25Index.fromSnapshot({
      meta: meta.lexical,
      arrays: {
        offsets: array('lexical.offsets', Uint32Array),
        docs: array('lexical.docs', Int32Array),
        tfs: array('lexical.tfs', Float32Array),
        lengths: array('lexical.lengths', Float32Array),
        alive: array('lexical.alive', Uint8Array),
      },
    });
    meta.vectors.forEach(({ model, meta: vmeta }, i) => {
      const v = (name: string) => `vectors.${i}.${name}`;
      index.vectors.set(
        model,
        VectorIndex.fromSnapshot(
          {
            meta: vmeta,
            arrays: {
              codes: array(v('codes'), Int8Array),
              rowScale: array(v('rowScale'), Float32Array),
              codeRest: array(v('codeRest'), Float32Array),
              sketches: array(v('sketches'), Float32Array),
              restNorm: array(v('restNorm'), Float32Array),
              alive: array(v('alive'), Uint8Array),
            },
          },
          vectorOptions,
        ),
      );
    });
    for (const line of meta.pendingVectors) index.pendingVectors.set(line.auctionId, [...(index.pendingVectors.get(line.auctionId) ?? []), line]);
    index.corruptVectors = meta.corruptVectors;
    return index;
  }

  /** Number of embedding lines whose data did not decode (skipped, like a corrupt line). */
  get corruptVectorCount(): number {
    return this.corruptVectors;
  }

  /** Whether the auction has a cached vector from this embedding model. */
  hasVector(auctionId: string, model: string): boolean {
    return this.vectors.get(model)?.has(auctionId) ?? false;
  }

  /** Auctions without a vector of `model`, oldest first (for backfilling embeddings). */
  missingVectors(model: string): AuctionView[] {
    const index = this.vectors.get(model);
    return [...this.state.all()].filter((v) => !index?.has(v.head.id));
  }

  vectorCount(model: string): number {
    return this.vectors.get(model)?.size ?? 0;
  }

  /**
   * The k most similar past auctions. Uses the vector index of the query's embedding model when it holds any
   * vectors, else BM25; the method actually used is returned so the UI can say it.
   */
  similar(query: SimilarQuery): { hits: SimilarAuction[]; method: RetrievalMethod } {
    const accept = query.accept;
    const filter = accept
      ? (id: string): boolean => {
          const view = this.state.get(id);
          return view !== undefined && accept(view);
        }
      : undefined;
    const toHits = (raw: { id: string; similarity: number }[]): SimilarAuction[] =>
      raw.flatMap((h) => {
        const view = this.state.get(h.id);
        return view ? [{ view, similarity: h.similarity }] : [];
      });
    const index = query.vector ? this.vectors.get(query.vector.model) : undefined;
    if (query.vector && index && index.size > 0) {
      return { hits: toHits(index.search(query.vector.values, query.k, filter)), method: 'embedding' };
    }
    return { hits: toHits(this.lexical.search(query.task, query.k, filter)), method: 'lexical' };
  }

  private addVector(line: EmbeddingLine): void {
    // q8 lines go in as their codes (no float round trip); f32 lines are quantised by the index.
    const values = line.encoding === 'q8' ? decodeQ8Codes(line.data, line.dim) : decodeVector(line.encoding, line.data, line.dim, line.scale);
    if (!values) {
      this.corruptVectors++;
      return;
    }
    let index = this.vectors.get(line.model);
    if (!index) {
      index = new VectorIndex(line.dim, this.vectorOptions);
      this.vectors.set(line.model, index);
    }
    const ok = values instanceof Int8Array ? index.setCodes(line.auctionId, values) : index.set(line.auctionId, values);
    if (!ok) this.corruptVectors++;
  }
}

/**
 * Auctions that can give a (losing, winning) pair: a winner and a loser. A winner whose work went badly is kept
 * too, as a negative example (`selectContrastivePairs` ranks it last and says what happened).
 */
export function usableAsExample(view: AuctionView): boolean {
  return view.head.winner !== undefined && view.head.hasLoser;
}
