// The cost report's figures reconcile with the ledger: total spend is the sum of the ledger's calls, and so are the
// splits by phase, by model and by day (probe and shadow calls included, each in its own phase). The sums are
// taken from the raw JSONL text, not through the report's own code.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { auctionFact, parseLedgerJsonl, serializeLedgerLine, type LedgerLine } from '../../../../src/common/ledger/entry';
import { buildCostReport } from '../../../../src/common/ledger/report';
import { CostReport } from '../../../../src/common/protocol/report';
import { BIG, call, SMALL } from './fixtures';

const RECORDED = path.join(__dirname, '../../../fixtures/ledger/recorded-ledger.jsonl');
const close = (a: number | undefined, b: number, what: string): void => assert.ok(a !== undefined && Math.abs(a - b) < 1e-9, `${what}: ${String(a)} ≠ ${b}`);

interface RawCall {
  call: { time: string; phase: string; modelId: string };
  dollars: number | null;
}

/** The call lines of ledger text, read as plain JSON: the reference the report must agree with. */
function rawCalls(text: string): RawCall[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { kind: string } & RawCall)
    .filter((l) => l.kind === 'call');
}

function sumBy(calls: RawCall[], key: (c: RawCall) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of calls) m.set(key(c), (m.get(key(c)) ?? 0) + (c.dollars ?? 0));
  return m;
}

function assertReconciles(text: string): CostReport {
  const raw = rawCalls(text);
  const report = buildCostReport(parseLedgerJsonl(text).lines, { scope: 'reconcile', now: new Date('2026-11-24T08:00:00.000Z') });
  assert.doesNotThrow(() => CostReport.parse(report));
  const total = raw.reduce((s, c) => s + (c.dollars ?? 0), 0);
  close(report.totals.knownUsd, total, 'total');
  assert.equal(report.totals.calls, raw.length);
  assert.equal(report.totals.unknownPriceCalls, raw.filter((c) => c.dollars === null).length);
  for (const [phase, usd] of sumBy(raw, (c) => c.call.phase)) close(report.byPhase.find((p) => p.phase === phase)?.knownUsd, usd, `phase ${phase}`);
  for (const [model, usd] of sumBy(raw, (c) => c.call.modelId)) close(report.byModel.find((m) => m.modelId === model)?.knownUsd, usd, `model ${model}`);
  // The recorded times are UTC and the report's offset is 0, so a day is the time's date.
  for (const [day, usd] of sumBy(raw, (c) => c.call.time.slice(0, 10))) close(report.perDay.find((d) => d.day === day)?.knownUsd, usd, `day ${day}`);
  close(report.byPhase.reduce((s, p) => s + p.knownUsd, 0), total, 'Σ phases');
  close(report.byModel.reduce((s, m) => s + m.knownUsd, 0), total, 'Σ models');
  close(report.perDay.reduce((s, d) => s + d.knownUsd, 0), total, 'Σ days');
  return report;
}

describe('the cost report reconciles with the ledger', () => {
  it('the recorded ledger: total = Σ calls, by phase (probe shown), by model and by day', () => {
    const text = fs.readFileSync(RECORDED, 'utf8');
    const report = assertReconciles(text);
    assert.ok(report.byPhase.some((p) => p.phase === 'probe'), 'the probe phase is shown');
    const cf = report.counterfactual;
    assert.ok(cf);
    // Claims rest on accepted auctions only, and their sum is the sum of the auction rows' savings.
    const claimed = report.auctions.filter((a) => a.savingsUsd !== null);
    assert.ok(claimed.every((a) => a.verdict === 'accepted'));
    close(cf.measured.savingsUsd + cf.estimated.savingsUsd, claimed.reduce((s, a) => s + (a.savingsUsd ?? 0), 0), 'Σ savings');
    close(cf.unsavedSpendUsd, report.auctions.filter((a) => a.verdict !== 'accepted').reduce((s, a) => s + a.spend.knownUsd, 0), 'unsaved spend');
  });

  it('with a shadow run appended: its calls are their own phase, outside every saving, and the figures still reconcile', () => {
    const pool = [{ modelId: 'small', price: SMALL }, { modelId: 'big', price: BIG }];
    const time = '2026-11-23T12:00:00.000Z';
    const extra: LedgerLine[] = [
      auctionFact({ auctionId: 's1', time, task: 'shadowed', pool }),
      call('small', 'execution', 1, 0.25, { price: SMALL, auctionId: 's1', time }), // $2
      auctionFact({ auctionId: 's1', time, executedBy: 'small', bidId: 'small#original', outcome: 'accepted' }),
      call('big', 'shadow', 1.2, 0.3, { price: BIG, auctionId: 's1', time }), // 12 + 12 = $24
      auctionFact({ auctionId: 's1', time, shadow: { modelId: 'big', result: 'passed' } }),
    ];
    const text = `${fs.readFileSync(RECORDED, 'utf8').trimEnd()}\n${extra.map(serializeLedgerLine).join('\n')}\n`;
    const report = assertReconciles(text);
    close(report.byPhase.find((p) => p.phase === 'shadow')?.knownUsd, 24, 'shadow phase');
    const s1 = report.auctions.find((a) => a.auctionId === 's1');
    assert.deepEqual([s1?.basis, s1?.shadow], ['measured', 'passed']);
    // Measured: the reference's shadow run cost $24; the route cost $2 (the shadow's $24 is not the route's).
    close(s1?.savingsUsd ?? undefined, 22, 's1 saving');
    assert.deepEqual([report.counterfactual?.shadow.runs, report.counterfactual?.shadow.passed], [1, 1]);
    close(report.counterfactual?.shadow.spend.knownUsd, 24, 'shadow spend line');
    assert.equal(report.counterfactual?.measured.auctions, 1);
  });
});
