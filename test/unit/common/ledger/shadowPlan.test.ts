import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideShadowRun, type ShadowInputs } from '../../../../src/common/ledger/shadowPlan';
import { BIG, SMALL } from './fixtures';

const bids = [
  { id: 'small#original', modelId: 'small', planText: 'small plan' },
  { id: 'big#original', modelId: 'big', planText: 'big plan' },
];
const base: ShadowInputs = {
  pool: [{ modelId: 'small', price: SMALL }, { modelId: 'big', price: BIG }],
  acceptedModelId: 'small',
  acceptedBid: bids[0],
  bids,
  share: 0.5,
  draw: 0.1,
  runnable: () => true,
};

describe('shadow run decision', () => {
  it("runs the recorded reference on its own bid when it bid, else on the accepted bid's plan", () => {
    const d = decideShadowRun(base);
    assert.ok('run' in d);
    assert.deepEqual([d.run.reference.modelId, d.run.plan.planText], ['big', 'big plan']);
    const noBid = decideShadowRun({ ...base, bids: [bids[0]!] });
    assert.ok('run' in noBid);
    assert.equal(noBid.run.plan.planText, 'small plan');
  });
  it('is sampled: off at share 0, and only when the draw is below the share', () => {
    assert.ok('skip' in decideShadowRun({ ...base, share: 0, draw: 0 }));
    assert.ok('skip' in decideShadowRun({ ...base, draw: 0.5 }));
    assert.ok('run' in decideShadowRun({ ...base, share: 1, draw: 0.999 }));
  });
  it('skips when the reference did the accepted work, is gone from the pool, or nothing is priced', () => {
    assert.match((decideShadowRun({ ...base, acceptedModelId: 'big' }) as { skip: string }).skip, /already measured/);
    assert.match((decideShadowRun({ ...base, runnable: (m) => m !== 'big' }) as { skip: string }).skip, /no longer/);
    assert.match((decideShadowRun({ ...base, pool: [{ modelId: 'small' }] }) as { skip: string }).skip, /no priced pool/);
    assert.match((decideShadowRun({ ...base, pool: undefined }) as { skip: string }).skip, /no priced pool/);
  });
});
