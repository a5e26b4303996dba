import type { AuctionMemoryPort, ContrastivePair, MemoryRetrieval, PairQuery } from '../auction/memoryPort';
import { isCancellation, throwIfAborted } from '../errors';
import { nullLogger, type Logger } from '../log';
import type { Embedder } from './embedder';
import type { AuctionView } from './fold';
import { usableAsExample, type MemoryIndex, type RetrievalMethod, type SimilarAuction } from './memoryIndex';
import { selectContrastivePairs, type SimilarWithBids } from './pairs';
import { MEMORY_SCHEMA_VERSION, type AuctionLine, type EmbeddingLine } from './records';
import { encodeQ8 } from './retrieval/vectorCodec';

/** What the text of an auction is embedded from: the task, which is what a new query is compared with. */
export function embeddingText(view: AuctionView): string {
  return view.head.task;
}

/** The memory line caching an auction's vector. */
export function embeddingLine(auctionId: string, model: string, values: ArrayLike<number>): EmbeddingLine {
  const { data, scale } = encodeQ8(values);
  return { v: MEMORY_SCHEMA_VERSION, kind: 'embedding', id: `${auctionId}/emb/${model}`, auctionId, model, dim: values.length, encoding: 'q8', scale, data };
}

export interface AuctionMemoryOptions {
  /** The current embedder, read per query (the pool can change while the extension runs). */
  embedder?: () => Embedder | undefined;
  log?: Logger;
  /** Similar auctions considered per pair asked for: more gives the pair ranking room to prefer. */
  candidatesPerPair?: number;
  /**
   * Reads an auction's full line (its bids' plans), which the index does not keep in memory when it knows where
   * the line is on disk. Without it, only auctions fed as whole lines can give pairs.
   */
  loadAuction?: (auctionId: string) => Promise<AuctionLine | undefined>;
}

const QUERY_CACHE_SIZE = 32;

/**
 * The auction engine's view of the memory (AuctionMemoryPort) over a MemoryIndex. Retrieval by embedding when
 * the embedder's model has cached vectors; otherwise, or when the embedding call fails, BM25. Every refining
 * model of one auction asks with the same task, so query vectors are cached and paid for once.
 */
export class AuctionMemory implements AuctionMemoryPort {
  private readonly queryVectors = new Map<string, number[]>();
  private readonly log: Logger;
  private readonly index: () => MemoryIndex;

  /** `index` may be a getter, for owners that replace their index on reload. */
  constructor(
    index: MemoryIndex | (() => MemoryIndex),
    private readonly options: AuctionMemoryOptions = {},
  ) {
    this.index = typeof index === 'function' ? index : () => index;
    this.log = options.log ?? nullLogger;
  }

  /** The k most similar past auctions (optionally only those passing `accept`), and how they were found. */
  async similar(
    task: string,
    k: number,
    options: { signal?: AbortSignal; auctionId?: string; accept?: (view: AuctionView) => boolean } = {},
  ): Promise<{ hits: SimilarAuction[]; method: RetrievalMethod; model?: string }> {
    throwIfAborted(options.signal);
    const vector = await this.queryVector(task, options.signal, options.auctionId);
    const found = this.index().similar({ task, k, ...(vector ? { vector } : {}), ...(options.accept ? { accept: options.accept } : {}) });
    return found.method === 'embedding' && vector ? { ...found, model: vector.model } : found;
  }

  async contrastivePairs(query: PairQuery): Promise<{ pairs: ContrastivePair[] } & MemoryRetrieval> {
    const candidates = Math.max(query.k * (this.options.candidatesPerPair ?? 4), 10);
    const { hits, method, model } = await this.similar(query.task, candidates, {
      ...(query.signal ? { signal: query.signal } : {}),
      ...(query.auctionId ? { auctionId: query.auctionId } : {}),
      accept: usableAsExample,
    });
    const load =
      this.options.loadAuction ??
      ((id: string): Promise<AuctionLine | undefined> => {
        const body = this.index().state.body(id);
        return Promise.resolve(body && 'kind' in body ? body : undefined);
      });
    const withBids = await Promise.all(
      hits.map(async (h): Promise<SimilarWithBids | undefined> => {
        const auction = await load(h.view.head.id);
        return auction ? { ...h, auction } : undefined;
      }),
    );
    throwIfAborted(query.signal);
    return { pairs: selectContrastivePairs(withBids.filter((h) => h !== undefined), query.modelId, query.k), method, ...(model !== undefined ? { model } : {}) };
  }

  private async queryVector(task: string, signal: AbortSignal | undefined, auctionId: string | undefined): Promise<{ model: string; values: number[] } | undefined> {
    const embedder = this.options.embedder?.();
    // No vectors of this model yet: an embedding call would cost money and could not be used.
    if (!embedder || this.index().vectorCount(embedder.model) === 0) return undefined;
    const key = `${embedder.model}\u0000${task}`;
    const cached = this.queryVectors.get(key);
    if (cached) return { model: embedder.model, values: cached };
    try {
      const [values] = await embedder.embed([task], { ...(signal ? { signal } : {}), ...(auctionId ? { auctionId } : {}) });
      if (!values) return undefined;
      if (this.queryVectors.size >= QUERY_CACHE_SIZE) {
        const oldest = this.queryVectors.keys().next().value;
        if (oldest !== undefined) this.queryVectors.delete(oldest);
      }
      this.queryVectors.set(key, values);
      return { model: embedder.model, values };
    } catch (e) {
      if (isCancellation(e)) throw e;
      this.log.warn(`embedding the query failed, using lexical retrieval: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }
}
