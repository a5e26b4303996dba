import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CALL_PHASES } from '../../../../src/common/ledger/entry';
import { buildCostReport } from '../../../../src/common/ledger/report';
import { CostReport } from '../../../../src/common/protocol/report';
import { BIG, LOCAL, SMALL, call } from './fixtures';

const priceOf = { small: SMALL, big: BIG, local: LOCAL, unpriced: undefined } as const;
const arbCall = fc
  .record({
    model: fc.constantFrom('small', 'big', 'local', 'unpriced'),
    phase: fc.constantFrom(...CALL_PHASES),
    inK: fc.integer({ min: 0, max: 500 }),
    outK: fc.integer({ min: 0, max: 100 }),
    auction: fc.constantFrom('a', 'b', 'c', undefined),
    day: fc.integer({ min: 1, max: 9 }),
    ok: fc.boolean(),
  })
  .map((c) => {
    const price = priceOf[c.model];
    return call(c.model, c.phase, c.inK / 1000, c.outK / 1000, {
      ...(price ? { price } : {}),
      ...(c.auction ? { auctionId: c.auction } : {}),
      time: `2026-11-0${c.day}T12:00:00.000Z`,
      ok: c.ok,
      local: c.model === 'local',
    });
  });

const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

describe('cost report invariants (property)', () => {
  it('every split adds up to the totals, unknown prices included, and the report validates', () => {
    fc.assert(
      fc.property(fc.array(arbCall, { maxLength: 40 }), (lines) => {
        const r = buildCostReport(lines, { scope: 'p', now: new Date('2026-11-10T00:00:00Z') });
        CostReport.parse(r);
        const sum = (xs: { knownUsd: number }[]) => xs.reduce((s, x) => s + x.knownUsd, 0);
        const count = (xs: { unknownPriceCalls: number }[]) => xs.reduce((s, x) => s + x.unknownPriceCalls, 0);
        for (const split of [r.byPhase, r.byModel, [r.locality.local, r.locality.remote], r.perDay]) {
          assert.ok(close(sum(split), r.totals.knownUsd));
          assert.equal(count(split), r.totals.unknownPriceCalls);
        }
        assert.equal(r.totals.unknownPriceCalls, lines.filter((l) => l.dollars === null).length);
        assert.equal(r.totals.isLowerBound, r.totals.unknownPriceCalls > 0);
        const inAuctions = lines.filter((l) => l.call.auctionId !== undefined);
        assert.ok(close(sum(r.auctions.map((a) => a.spend)), sum(inAuctions.map((l) => ({ knownUsd: l.dollars ?? 0 })))));
        if (r.counterfactual) {
          const claimed = r.auctions.filter((a) => a.savingsUsd !== null);
          const claimedSum = claimed.reduce((s, a) => s + (a.savingsUsd ?? 0), 0);
          assert.ok(close(r.counterfactual.measured.savingsUsd + r.counterfactual.estimated.savingsUsd, claimedSum));
          assert.equal(r.counterfactual.measured.auctions + r.counterfactual.estimated.auctions, claimed.length);
          assert.ok(r.counterfactual.unsavedSpendUsd <= r.totals.knownUsd + 1e-9);
        }
      }),
    );
  });
});
