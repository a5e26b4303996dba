import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveWeights } from '../../../../src/common/auction/weights';
import { fitAuctionOf, rankFitAuction } from '../../../../src/common/learning/weightFeatures';
import { runAuction } from '../../../../src/common/auction/engine';
import { learnedRecordFrom, type TrackRecordPort } from '../../../../src/common/learning/successPredictor';
import { auctionLineFromResult } from '../../../../src/common/memory/fromAuction';
import { AuctionLine } from '../../../../src/common/memory/records';
import { bidJson, caps, depsFor, judgeJson, logprobsWith, ScriptedClient, spec } from '../auction/scriptedClient';
import { replayWeights } from '../../../../src/common/learning/weightReplay';
import { accepted, ran, recorded, rejected } from './fitBuilders';

const defaults = resolveWeights(undefined);

describe('fitAuctionOf (signals read back through the weights in force)', () => {
  it('recovers each bid\'s confidence and cost unit from the recorded terms', () => {
    const { line, outcomes } = recorded('R', [
      { id: 'a', usd: 2, jury: { J: 4, K: 3 }, confidence: 0.7 },
      { id: 'b', usd: 20, jury: { J: 5 }, confidence: 0.25, outcomes: [ran(0.4), accepted] },
      { id: 'c', usd: 0.2, jury: { K: 2 } },
    ]);
    const a = fitAuctionOf(line, outcomes, [defaults]);
    assert.equal(a.problem, undefined);
    const by = Object.fromEntries(a.bids.map((b) => [b.bidId, b]));
    assert.ok(Math.abs(by.a!.confidence! - 0.7) < 1e-9);
    assert.ok(Math.abs(by.b!.confidence! - 0.25) < 1e-9);
    assert.equal(by.c!.confidence, undefined);
    // log10(E / E_ref), E_ref = 0.2 (the cheapest).
    assert.ok(Math.abs(by.a!.costUnit! - 1) < 1e-9 && Math.abs(by.b!.costUnit! - 2) < 1e-9 && Math.abs(by.c!.costUnit!) < 1e-12);
    assert.deepEqual([by.b!.executed, by.b!.label, by.b!.quality, by.b!.measuredUsd], [true, 'accepted', 'good', 0.4]);
    assert.deepEqual([by.a!.executed, by.a!.quality, by.a!.measuredUsd], [false, 'unknown', undefined]);
  });

  it('uses the first candidate weights that reproduce the record, and refuses when none does', () => {
    const custom = resolveWeights({ cost: 1, entropy: 2, jury: 2 });
    const { line, outcomes } = recorded('W', [
      { id: 'a', usd: 1, jury: { J: 4 } },
      { id: 'b', usd: 10, jury: { J: 2 }, confidence: 0.5 },
    ], custom);
    const read = fitAuctionOf(line, outcomes, [defaults, custom]);
    assert.equal(read.problem, undefined);
    assert.deepEqual(read.reference, custom);
    assert.ok(Math.abs(read.bids[1]!.costUnit! - 1) < 1e-9);
    const wrong = fitAuctionOf(line, outcomes, [defaults]);
    assert.match(wrong.problem ?? '', /bid a's recorded value 3\.2 is not what these weights give \(4\)/);
    assert.equal(wrong.bids.length, 0);
  });
});

describe('fitAuctionOf with a track record', () => {
  it('reads an auction the engine scored with a record back through w_r and the recorded rates, and replays it exactly', async () => {
    const judge = (author: string) => ({ text: judgeJson(author === 'large' ? 5 : 4) });
    const clients = [
      new ScriptedClient(spec('mid', 2), { judge, bid: { text: bidJson('mid'), logprobs: logprobsWith(0.9, 40) } }),
      new ScriptedClient(spec('large', 10), { judge }),
      new ScriptedClient(spec('small', 1), { judge, bid: { text: bidJson('small'), logprobs: logprobsWith(0.6, 40) } }),
    ];
    const deps = depsFor(clients, { capabilities: (id) => caps({ logprobs: id !== 'large' }) });
    // A different rate per model, so a rate read back for the wrong bid would not reproduce the values.
    const rates: Record<string, number> = { mid: 0.8, large: 0.3, small: 0.55 };
    const trackRecord: TrackRecordPort = {
      load: (q) => {
        const r = learnedRecordFrom([], new Map(), q);
        return Promise.resolve({ ...r, models: Object.fromEntries(Object.entries(r.models).map(([id, t]) => [id, { ...t, p: rates[id]! }])) });
      },
    };
    const result = await runAuction({ auctionId: 'r1', task: 'Add validation', pool: ['mid', 'large', 'small'], refinement: { enabled: false } }, { ...deps, trackRecord });
    const line = auctionLineFromResult(result, []);
    assert.ok(line.bids.every((b) => b.record === rates[b.modelId]), 'every bid line keeps the rate its value counted');
    // The line is valid as stored and read back (and a rate outside 0..1 is not).
    assert.deepEqual(AuctionLine.parse(JSON.parse(JSON.stringify(line))), line);
    assert.equal(AuctionLine.safeParse({ ...line, bids: [{ ...line.bids[0]!, record: 1.5 }] }).success, false);
    const read = fitAuctionOf(line, [], [defaults]);
    assert.equal(read.problem, undefined);
    for (const b of read.bids) {
      const bid = result.bids.find((x) => x.id === b.bidId)!;
      assert.equal(b.record, rates[b.modelId]);
      if (bid.entropy) assert.ok(Math.abs(b.confidence! - bid.entropy.confidence) < 1e-9, `${b.bidId}: confidence read back`);
      else assert.equal(b.confidence, undefined);
    }
    // The replay's scorer, given what the line keeps, ranks and scores as the auction did.
    const replayed = rankFitAuction(read, defaults);
    assert.deepEqual(replayed.map((r) => r.bidId), result.ranking.map((r) => r.bidId));
    for (const r of replayed) assert.ok(Math.abs(r.score! - result.ranking.find((x) => x.bidId === r.bidId)!.score!) < 1e-9);
    // Weights with another w_r do not reproduce it; nor does reading it as if it had no record.
    assert.match(fitAuctionOf(line, [], [{ ...defaults, record: 1 }]).problem ?? '', /is not what these weights give|implies a confidence/);
    const withoutRates = { ...line, bids: line.bids.map(({ record: _r, ...b }) => b) };
    assert.ok(fitAuctionOf(withoutRates, [], [defaults]).problem);
  });
});

describe('replayWeights', () => {
  const history = () => [
    // X: the winner ran and was accepted at $0.30.
    recorded('1', [
      { id: 'X-cheap', model: 'cheap', usd: 1, jury: { J: 4 }, outcomes: [ran(0.3), accepted] },
      { id: 'X-dear', model: 'dear', usd: 10, jury: { J: 4.3 } },
    ]),
    // Y: the winner ran and was rejected at $0.20; the dear bid never ran.
    recorded('2', [
      { id: 'Y-cheap', model: 'cheap', usd: 1, jury: { J: 4 }, outcomes: [ran(0.2), rejected] },
      { id: 'Y-dear', model: 'dear', usd: 10, jury: { J: 4.35 } },
    ]),
    // Z: the dear model ran once, accepted, at $2.50; nothing else about it ran.
    recorded('3', [
      { id: 'Z-cheap', model: 'cheap', usd: 1, jury: { J: 2 } },
      { id: 'Z-dear', model: 'dear', usd: 10, jury: { J: 5 }, outcomes: [ran(2.5), accepted] },
    ]),
    // W: the winner ran but nobody has judged its work yet.
    recorded('4', [
      { id: 'W-cheap', model: 'cheap', usd: 1, jury: { J: 4 }, outcomes: [ran(0.1)] },
      { id: 'W-dear', model: 'dear', usd: 10, jury: { J: 4 } },
    ]),
  ];
  const read = () => history().map(({ line, outcomes }) => fitAuctionOf(line, outcomes, [defaults]));

  it('with the weights in force it reproduces every recorded pick, verdict and measured dollar', () => {
    const replay = replayWeights(read(), defaults, defaults);
    assert.deepEqual(
      replay.rows.map((r) => [r.current.bidId, r.current.outcome, r.current.label, r.current.dollars]),
      [
        ['X-cheap', 'good', 'accepted', { basis: 'measured', usd: 0.3 }],
        ['Y-cheap', 'bad', 'rejected', { basis: 'measured', usd: 0.2 }],
        ['Z-dear', 'good', 'accepted', { basis: 'measured', usd: 2.5 }],
        ['W-cheap', 'unknown', undefined, { basis: 'measured', usd: 0.1 }],
      ],
    );
    assert.ok(replay.rows.every((r) => !r.currentDiffersFromRecord && !r.changed));
    assert.deepEqual(replay.current, { good: 2, bad: 1, unknown: 1, measuredUsd: 0.3 + 0.2 + 2.5 + 0.1, estimatedUsd: 0, unpriced: 0 });
  });

  it('a pick that never ran stays unknown, with estimated dollars from what that model really cost here', () => {
    // No cost weight: the jury alone decides, so the dear bid wins X, Y and Z (W ties, the cheaper bid keeps it).
    const noCost = resolveWeights({ cost: 0 });
    const replay = replayWeights(read(), defaults, noCost);
    const fitted = Object.fromEntries(replay.rows.map((r) => [r.auctionId, r.fitted]));
    assert.deepEqual([fitted['1']!.bidId, fitted['1']!.executed, fitted['1']!.outcome, fitted['1']!.label], ['X-dear', false, 'unknown', undefined]);
    // The dear model's only measured run: $2.50.
    assert.deepEqual(fitted['1']!.dollars, { basis: 'estimated', usd: 2.5, from: 'model-mean', runs: 1 });
    assert.deepEqual([fitted['2']!.bidId, fitted['2']!.outcome], ['Y-dear', 'unknown']);
    assert.deepEqual([fitted['3']!.bidId, fitted['3']!.outcome, fitted['3']!.dollars], ['Z-dear', 'good', { basis: 'measured', usd: 2.5 }]);
    assert.equal(replay.changed, 2);
    // X's accepted cheap bid is traded for an unknown; Y's rejected one is avoided.
    assert.deepEqual([replay.lostSuccesses, replay.avoidedFailures], [1, 1]);
    assert.deepEqual(replay.fitted, { good: 1, bad: 0, unknown: 3, measuredUsd: 2.5 + 0.1, estimatedUsd: 5, unpriced: 0 });
  });

  it('without any run of the model, dollars scale from the auction\'s executed bid by the recorded cost ratio, else unknown', () => {
    const only = recorded('5', [
      { id: 'V-cheap', model: 'cheap', usd: 1, jury: { J: 4 }, outcomes: [ran(0.3), rejected] },
      { id: 'V-new', model: 'new', usd: 10, jury: { J: 5 } },
    ]);
    const unrun = recorded('6', [
      { id: 'U-a', model: 'a', usd: 1, jury: { J: 3 } },
      { id: 'U-b', model: 'b', usd: 10, jury: { J: 5 } },
    ]);
    const replay = replayWeights([only, unrun].map(({ line, outcomes }) => fitAuctionOf(line, outcomes, [defaults])), defaults, resolveWeights({ cost: 0 }));
    const v = replay.rows[0]!.fitted;
    assert.equal(v.bidId, 'V-new');
    assert.equal(v.dollars.basis, 'estimated');
    assert.ok(v.dollars.basis === 'estimated' && Math.abs(v.dollars.usd - 3) < 1e-9 && v.dollars.from === 'auction-ratio');
    assert.deepEqual(replay.rows[1]!.fitted.dollars, { basis: 'unknown' });
    assert.equal(replay.fitted.unpriced, 1);
  });

  it('an auction whose terms cannot be read is listed, not replayed', () => {
    const { line, outcomes } = recorded('7', [
      { id: 'a', usd: 1, jury: { J: 4 } },
      { id: 'b', usd: 10, jury: { J: 2 } },
    ], { jury: 2 });
    const replay = replayWeights([fitAuctionOf(line, outcomes, [defaults])], defaults, defaults);
    assert.equal(replay.rows.length, 0);
    assert.equal(replay.notReplayed[0]!.auctionId, '7');
  });
});
