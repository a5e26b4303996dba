import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runAuction } from '../../../../src/common/auction';
import { parsePool } from '../../../../src/common/providers/poolSchema';
import { probeCapabilities } from '../../../../src/common/providers/probe';
import type { ModelCapabilities } from '../../../../src/common/providers/types';
import { createModelClient } from '../../../../src/node/providers/createModelClient';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import { PRACTICE_TASK, PRACTICE_WINNER_ID, practicePool, practiceScript } from '../../../fixtures/practice';

// The practice market of `npm run open`: no API key (its models are local), labelled practice, and it keeps
// answering however many auctions a newcomer runs (default replies chosen per model, no queue to run dry).
describe('the practice market', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await LoopbackServer.start(practiceScript());
  });
  after(async () => {
    await server?.close();
  });

  it('is a pool of labelled practice models that need no key', () => {
    const { models, problems } = parsePool(practicePool(server));
    assert.deepEqual(problems, []);
    assert.equal(models.length, 3);
    for (const m of models) {
      assert.equal(m.practice, true, `${m.id} is marked practice`);
      assert.equal(m.local, true, `${m.id} is local, so no API key is asked for`);
      assert.match(m.id, /^practice-/);
    }
  });

  it('runs auction after auction through the real SDKs without a key, with the same winner each time', async () => {
    const { models } = parsePool(practicePool(server));
    const noKey = () => Promise.resolve(undefined);
    const clients = models.map((spec) => createModelClient(spec, noKey));
    const capabilities = new Map<string, ModelCapabilities>();
    for (const c of clients) capabilities.set(c.spec.id, (await probeCapabilities(c)).capabilities);
    // Batched (the default) twice, then per-bid: the practice market answers either jury.
    const styles = ['batched', 'batched', 'per-bid'] as const;
    for (const [n, style] of styles.entries()) {
      const i = n + 1;
      const result = await runAuction(
        { auctionId: `practice-${i}`, task: PRACTICE_TASK, pool: models.map((m) => m.id), refinement: { enabled: false }, jury: { mode: 'all', style } },
        { clients, capabilities: (id) => capabilities.get(id), calls: { record: () => undefined }, now: () => Date.now() },
      );
      assert.equal(result.status, 'completed', `auction ${i}`);
      assert.equal(result.winner?.modelId, PRACTICE_WINNER_ID, result.why);
      assert.equal(result.bids.length, 3);
      assert.equal(result.judgements.length, 9, `every juror judged every bid in auction ${i} (${style})`);
    }
    // Two batched auctions made one jury call per juror each; the per-bid one, one per juror and bid.
    const batched = server.requests.filter((r) => r.rawBody.includes('You are a juror scoring several plans'));
    assert.equal(batched.length, 2 * 3);
    assert.equal(server.requests.filter((r) => r.rawBody.includes('You are a juror scoring a plan another')).length, 9);
    // Each model answered its own bid: the per-model default replies told them apart.
    const bidModels = server.requests.filter((r) => r.rawBody.includes('You are bidding')).map((r) => r.model);
    assert.equal(new Set(bidModels).size, 3);
  });
});
