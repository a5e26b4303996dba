import { SaleError } from '../errors';
import type { CallSink } from '../ledger/types';
import { buildCallRecord } from '../providers/callRecord';
import { billedUsage, type ModelClient, type Usage } from '../providers/types';

/**
 * Computes embeddings for the memory. Injected, so the memory does not depend on any provider adapter; when
 * there is none, retrieval is lexical.
 */
export interface Embedder {
  /** Names the embedding model: vectors from different models are never compared. */
  readonly model: string;
  /** One vector per text, in order. `auctionId` names the auction the spend is charged to in the ledger. */
  embed(texts: string[], options?: { signal?: AbortSignal; auctionId?: string }): Promise<number[][]>;
}

/** The embedder returned a different number of vectors than texts. */
export class EmbeddingShapeError extends SaleError {
  readonly code = 'embedding-shape';
}

/**
 * An Embedder over a pool model's `embed()`, reporting every call to the ledger with phase 'embedding' (a failed
 * call too, with `ok: false`). Returns undefined when the model has no embeddings endpoint.
 */
export function embedderFromClient(client: ModelClient, sink: CallSink, now: () => Date = () => new Date()): Embedder | undefined {
  const embed = client.embed?.bind(client);
  if (!embed) return undefined;
  const spec = client.spec;
  return {
    model: `${spec.id}/${spec.model}`,
    async embed(texts, options) {
      const started = Date.now();
      const owner = options?.auctionId;
      const record = (usage: Usage, latencyMs: number, errorCode?: string) => {
        sink.record(buildCallRecord(spec, { phase: 'embedding', time: now().toISOString(), ...(owner ? { auctionId: owner } : {}) }, { usage, latencyMs, ok: errorCode === undefined, ...(errorCode !== undefined ? { errorCode } : {}) }));
      };
      try {
        const res = await embed(texts, options?.signal);
        record(res.usage, res.latencyMs);
        if (res.vectors.length !== texts.length) throw new EmbeddingShapeError(`asked ${texts.length} embeddings, got ${res.vectors.length}`);
        return res.vectors;
      } catch (e) {
        // A shape error was already recorded as the successful (billed) call it was.
        if (!(e instanceof EmbeddingShapeError)) record(billedUsage(e), Date.now() - started, e instanceof SaleError ? e.code : 'unknown');
        throw e;
      }
    },
  };
}
