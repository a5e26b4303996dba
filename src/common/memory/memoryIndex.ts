import { MemoryState, labelQuality, type AuctionView } from './fold';
import type { EmbeddingLine, MemoryLine } from './records';
import { Bm25Index } from './retrieval/bm25Index';
import { decodeVector } from './retrieval/vectorCodec';
import { VectorIndex, type VectorIndexOptions } from './retrieval/vectorIndex';

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

/**
 * Everything retrieval needs, kept in sync line by line: the fold of records into auction views, a BM25 index
 * over task and plan text, and one vector index per embedding model. Feeding a line is O(size of the line);
 * a query never rescans the records.
 */
export class MemoryIndex {
  readonly state: MemoryState;
  private readonly lexical = new Bm25Index();
  private readonly vectors = new Map<string, VectorIndex>();
  /** Vectors that arrived before their auction (team merge order), applied when it arrives. */
  private readonly pendingVectors = new Map<string, EmbeddingLine[]>();
  private corruptVectors = 0;

  constructor(private readonly vectorOptions: VectorIndexOptions = {}) {
    this.state = new MemoryState({
      onAuction: (view) => {
        this.lexical.add({ id: view.auction.id, task: view.auction.task, plans: view.auction.bids.map((b) => b.plan) });
        const pending = this.pendingVectors.get(view.auction.id);
        this.pendingVectors.delete(view.auction.id);
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

  ingest(line: MemoryLine): void {
    this.state.ingest(line);
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
    return [...this.state.all()].filter((v) => !index?.has(v.auction.id));
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
    const values = decodeVector(line.encoding, line.data, line.dim, line.scale);
    if (!values) {
      this.corruptVectors++;
      return;
    }
    let index = this.vectors.get(line.model);
    if (!index) {
      index = new VectorIndex(line.dim, this.vectorOptions);
      this.vectors.set(line.model, index);
    }
    if (!index.set(line.auctionId, values)) this.corruptVectors++;
  }
}

/** Auctions worth learning from: they had a winner whose work was not rejected, undone, or broke the tests. */
export function usableAsExample(view: AuctionView): boolean {
  return view.winner !== undefined && labelQuality(view.label) !== 'bad' && view.auction.bids.some((b) => !b.won && b.bidId !== view.winner?.bidId);
}
