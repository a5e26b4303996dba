import type { CallSink } from '../ledger/types';
import type { ModelCapabilities, ModelClient, ModelSpec } from '../providers/types';
import { embedderFromClient, type Embedder } from './embedder';

/** What choosing the memory's embedder from the pool needs. */
export interface PoolEmbedderDeps {
  clientFor(spec: ModelSpec): ModelClient;
  /** What a probe learned of the model, if it ran; a model known to have no embeddings endpoint is passed over. */
  capabilities(spec: ModelSpec): ModelCapabilities | undefined;
  /** Where every embedding call is charged (phase `embedding`). */
  sink: CallSink;
  now?: () => Date;
}

/**
 * The memory's embedder: the first enabled pool member (in pool order) with the `embedder` role whose client
 * has an embeddings endpoint (OpenAI, and OpenAI-compatible servers such as Ollama's, LM Studio's or
 * llama.cpp's embedding models). Undefined when there is none: retrieval is then lexical (BM25).
 */
export function embedderFromPool(specs: readonly ModelSpec[], deps: PoolEmbedderDeps): Embedder | undefined {
  for (const spec of specs) {
    if (!spec.enabled || !spec.roles.includes('embedder')) continue;
    if (deps.capabilities(spec)?.embeddings === false) continue;
    const embedder = embedderFromClient(deps.clientFor(spec), deps.sink, deps.now);
    if (embedder) return embedder;
  }
  return undefined;
}
