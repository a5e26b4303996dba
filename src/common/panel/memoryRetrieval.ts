import type { MemoryRetrievalView } from '../protocol/auctionView';

/** The panel's line about how the memory found past auctions, and its tooltip. */
export interface RetrievalNote {
  text: string;
  tooltip: string;
}

const HOW_TO_EMBED = 'To find them by meaning, give an embedding model the embedder role in SALE: Manage Models…';

function label(r: Pick<MemoryRetrievalView, 'method' | 'model'>): string {
  return r.method === 'embedding' ? `by embedding (${r.model ?? 'unknown model'})` : 'lexical (BM25)';
}

/**
 * Says how the refining models' examples were found: one phrase when every model's lookup went the same way,
 * else per model (an embedding call can fail for one lookup, which then falls back to BM25). Undefined when no
 * model asked the memory (refinement did not run).
 */
export function retrievalNote(retrieval: readonly MemoryRetrievalView[]): RetrievalNote | undefined {
  if (retrieval.length === 0) return undefined;
  const groups = new Map<string, { phrase: string; models: string[] }>();
  for (const r of retrieval) {
    const phrase = label(r);
    const g = groups.get(phrase) ?? { phrase, models: [] };
    g.models.push(r.modelId);
    groups.set(phrase, g);
  }
  const all = [...groups.values()];
  const text = all.length === 1 ? `memory: ${all[0]?.phrase ?? ''}` : `memory: ${all.map((g) => `${g.phrase} for ${g.models.join(', ')}`).join('; ')}`;
  const embedded = retrieval.some((r) => r.method === 'embedding');
  const lexical = retrieval.some((r) => r.method === 'lexical');
  const parts: string[] = [];
  if (embedded) parts.push('Past auctions were found by comparing an embedding of this task with the embeddings of theirs; the embedding calls are charged in the ledger under "embedding".');
  if (lexical) {
    parts.push(
      embedded
        ? 'Where it says BM25, embedding the task failed (see the log) or no past auction had a vector yet, so past auctions were found by the words they share with this task.'
        : `Past auctions were found by the words they share with this task (BM25). ${HOW_TO_EMBED}`,
    );
  }
  return { text, tooltip: parts.join(' ') };
}
