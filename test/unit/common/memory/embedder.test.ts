import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelCallRecord } from '../../../../src/common/ledger/types';
import { EmbeddingShapeError, embedderFromClient } from '../../../../src/common/memory/embedder';
import type { ModelClient, ModelSpec } from '../../../../src/common/providers/types';

const spec: ModelSpec = {
  id: 'oa-emb',
  provider: 'openai',
  model: 'text-embedding-3-small',
  price: { inputPerMTok: 0.02, outputPerMTok: 0, source: 'settings' },
  roles: ['embedder'],
  enabled: true,
  local: false,
};
const usage = { inputTokens: 1_000, outputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 };

function client(embed?: ModelClient['embed']): ModelClient {
  return { spec, chat: () => Promise.reject(new Error('not used')), ...(embed ? { embed } : {}) };
}

describe('embedderFromClient', () => {
  it('is undefined for a model without an embeddings endpoint', () => {
    assert.equal(embedderFromClient(client(), { record: () => {} }), undefined);
  });

  it('reports each call to the ledger as an embedding call with its dollars and auction', async () => {
    const records: ModelCallRecord[] = [];
    const e = embedderFromClient(client((texts) => Promise.resolve({ vectors: texts.map(() => [1, 0]), usage, latencyMs: 12 })), { record: (r) => records.push(r) }, () => new Date('2026-02-01T00:00:00Z'));
    assert.ok(e);
    assert.equal(e.model, 'oa-emb/text-embedding-3-small');
    assert.deepEqual(await e.embed(['a', 'b'], { auctionId: 'auc1' }), [[1, 0], [1, 0]]);
    assert.equal(records.length, 1);
    assert.deepEqual(
      { phase: records[0]?.phase, auctionId: records[0]?.auctionId, ok: records[0]?.ok, dollars: records[0]?.dollars, time: records[0]?.time },
      { phase: 'embedding', auctionId: 'auc1', ok: true, dollars: 0.00002, time: '2026-02-01T00:00:00.000Z' },
    );
  });

  it('records a failed call as not ok and rethrows; refuses a wrong number of vectors', async () => {
    const records: ModelCallRecord[] = [];
    const failing = embedderFromClient(client(() => Promise.reject(new Error('boom'))), { record: (r) => records.push(r) });
    await assert.rejects(failing?.embed(['a']) ?? Promise.resolve(), /boom/);
    assert.equal(records[0]?.ok, false);
    const short = embedderFromClient(client(() => Promise.resolve({ vectors: [], usage, latencyMs: 1 })), { record: (r) => records.push(r) });
    await assert.rejects(short?.embed(['a']) ?? Promise.resolve(), EmbeddingShapeError);
    assert.equal(records[1]?.ok, true); // the provider billed it
  });
});
