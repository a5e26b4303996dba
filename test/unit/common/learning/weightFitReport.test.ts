import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveWeights } from '../../../../src/common/auction/weights';
import { fitAuctionOf } from '../../../../src/common/learning/weightFeatures';
import { fitWeights } from '../../../../src/common/learning/weightFit';
import { weightFitMarkdown } from '../../../../src/common/learning/weightFitReport';
import { candidatesAt } from '../../../../src/common/learning/weightHistory';
import { replayWeights } from '../../../../src/common/learning/weightReplay';
import { accepted, ran, recorded, rejected } from './fitBuilders';

const defaults = resolveWeights(undefined);

describe('candidatesAt (the weights an auction was recorded with)', () => {
  const a = resolveWeights({ cost: 1 });
  const b = resolveWeights({ cost: 2 });
  const history = [
    { time: '2026-02-01T00:00:00Z', before: defaults, after: a },
    { time: '2026-03-01T00:00:00Z', before: a, after: b },
  ];
  it('before any adoption: what the first adoption replaced; between two: the earlier one\'s; then in force, then defaults', () => {
    assert.deepEqual(candidatesAt('2026-01-15T00:00:00Z', history, b), [defaults, b]);
    assert.deepEqual(candidatesAt('2026-02-15T00:00:00Z', history, b), [a, b, defaults]);
    assert.deepEqual(candidatesAt('2026-03-15T00:00:00Z', history, b), [b, defaults]);
    assert.deepEqual(candidatesAt('2026-03-15T00:00:00Z', [], defaults), [defaults]);
  });
});

describe('weightFitMarkdown', () => {
  it('shows both weights, the replay totals, the changed picks with their outcomes and dollars, and how to undo', () => {
    const auctions = [];
    for (let i = 0; i < 3; i++) {
      const { line, outcomes } = recorded(`r${i}`, [
        { id: `r${i}-cheap`, model: 'cheap', usd: 1, jury: { J: 4 }, outcomes: [ran(0.25), i === 0 ? accepted : rejected] },
        { id: `r${i}-dear`, model: 'dear', usd: 10, jury: { J: i === 0 ? 3 : 4.3 } },
      ]);
      auctions.push(fitAuctionOf(line, outcomes, [defaults]));
    }
    const fit = fitWeights(auctions, defaults, { minAuctions: 3 });
    const replay = replayWeights(auctions, defaults, fit.weights);
    const md = weightFitMarkdown(fit, replay, defaults);
    assert.match(md, /\| cost \(w_c, work mode\) \| 0\.4 \| /);
    assert.match(md, /\| juror `J` \| share of jury \| \d/);
    // r1 and r2: the rejected cheap bid is left for the dear one (w_c ≤ 0.1), which never ran; its dollars scale
    // from the cheap bid's real $0.25 by the recorded cost ratio 10.
    assert.match(md, /pick another bid in \*\*2\*\*: they move away from 2 bid\(s\) known to have failed and from 0/);
    assert.match(md, /\| known successes \| 1 \| 1 \|/);
    assert.match(md, /\| known failures \| 2 \| 0 \|/);
    assert.match(md, /\| dollars measured \| \$0\.7500 \| \$0\.2500 \|/);
    assert.match(md, /\| dollars estimated \| \$0\.0000 \| \$5\.00 \|/);
    assert.match(md, /`cheap` — ✘ rejected, \$0\.2500 measured \| `dear` — never ran: unknown, ~\$2\.50 estimated/);
    assert.match(md, /Reset Auction Weights/);
  });
});
