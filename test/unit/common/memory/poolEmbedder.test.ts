import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelCallRecord } from '../../../../src/common/ledger/types';
import { embedderFromPool } from '../../../../src/common/memory/poolEmbedder';
import type { ModelCapabilities, ModelClient, ModelSpec } from '../../../../src/common/providers/types';

const usage = { inputTokens: 40, outputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 };

function member(id: string, over: Partial<ModelSpec> = {}): ModelSpec {
  return { id, provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1', model: `${id}-model`, price: { inputPerMTok: 0.5, outputPerMTok: 0, source: 'settings' }, roles: ['embedder'], enabled: true, local: false, ...over };
}

/** A client over the spec; with an embeddings endpoint unless `chatOnly` (Anthropic's and VS Code's have none). */
function clientOf(spec: ModelSpec, chatOnly: ReadonlySet<string>): ModelClient {
  const chat = () => Promise.reject(new Error('not used'));
  if (chatOnly.has(spec.id)) return { spec, chat };
  return { spec, chat, embed: (texts) => Promise.resolve({ vectors: texts.map((t) => [t.length, 1]), usage, latencyMs: 3 }) };
}

function choose(specs: ModelSpec[], opts: { chatOnly?: string[]; caps?: Record<string, Partial<ModelCapabilities>> } = {}) {
  const records: ModelCallRecord[] = [];
  const chatOnly = new Set(opts.chatOnly ?? []);
  const embedder = embedderFromPool(specs, {
    clientFor: (s) => clientOf(s, chatOnly),
    capabilities: (s) => opts.caps?.[s.id] as ModelCapabilities | undefined,
    sink: { record: (r) => records.push(r) },
  });
  return { embedder, records };
}

describe('embedderFromPool', () => {
  it('is undefined when no member has the embedder role (retrieval stays lexical)', () => {
    assert.equal(choose([member('a', { roles: ['bidder', 'juror', 'executor'] })]).embedder, undefined);
    assert.equal(choose([]).embedder, undefined);
  });

  it('takes the first enabled embedder member in pool order, named pool id / model', () => {
    const { embedder } = choose([member('bidder', { roles: ['bidder'] }), member('off', { enabled: false }), member('first'), member('second')]);
    assert.equal(embedder?.model, 'first/first-model');
  });

  it('passes over a member whose client has no embeddings endpoint, or that a probe found without embeddings', () => {
    const specs = [member('anthropic', { provider: 'anthropic' }), member('probed-no'), member('ok')];
    const { embedder } = choose(specs, { chatOnly: ['anthropic'], caps: { 'probed-no': { embeddings: false } } });
    assert.equal(embedder?.model, 'ok/ok-model');
    // An unprobed member (capabilities unknown) is tried: its failure falls back to BM25 at query time.
    assert.equal(choose([member('unknown')]).embedder?.model, 'unknown/unknown-model');
  });

  it('charges each embedding call to the ledger under the embedding phase, with its dollars', async () => {
    const { embedder, records } = choose([member('ok')]);
    assert.deepEqual(await embedder?.embed(['abc', 'de'], { auctionId: 'auc-1' }), [[3, 1], [2, 1]]);
    assert.equal(records.length, 1);
    assert.deepEqual(
      { modelId: records[0]?.modelId, phase: records[0]?.phase, auctionId: records[0]?.auctionId, dollars: records[0]?.dollars },
      { modelId: 'ok', phase: 'embedding', auctionId: 'auc-1', dollars: (40 * 0.5) / 1e6 },
    );
  });
});
