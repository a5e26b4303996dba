import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { journalEntries, type JournalFact } from '../../../../src/common/journal/journal';
import { auctionFact, parseLedgerJsonl, type AuctionFact } from '../../../../src/common/ledger/entry';
import { escalationSummary } from '../../../../src/common/ledger/escalationReport';
import { buildCostReport } from '../../../../src/common/ledger/report';
import { MemoryLine } from '../../../../src/common/memory/records';
import { CostReport } from '../../../../src/common/protocol/report';

const TIME = '2026-12-01T10:00:00.000Z';
let n = 0;
const stamp = () => ({ time: TIME, id: `o-${++n}` });
const usage = { inputTokens: 100, outputTokens: 10 };
const ledgerOf = (facts: JournalFact[]): AuctionFact[] => facts.flatMap((f) => journalEntries(f, stamp()).ledger);
const executed = (auctionId: string, bidId: string, modelId: string, extra: { attempt?: number; escalatedFrom?: string } = {}): JournalFact => ({ type: 'bid-executed', auctionId, bidId, modelId, status: 'finished', staged: 1, usage, ...extra });
const reviewed = (auctionId: string, bidId: string, modelId: string, decision: 'accepted' | 'rejected'): JournalFact => ({ type: 'reviewed', auctionId, bidId, modelId, files: [{ path: 'a.ts', decision }] });

describe('escalation in the journal', () => {
  it('each attempt is its own executed bid with its attempt number and the bid it escalated from, in memory and ledger', () => {
    const first = journalEntries(executed('a1', 'b1', 'small', { attempt: 1 }), stamp());
    const second = journalEntries(executed('a1', 'b3', 'big', { attempt: 2, escalatedFrom: 'b1' }), stamp());
    const fact = second.memory[0];
    assert.ok(fact?.kind === 'outcome' && fact.fact.type === 'execution-cost');
    assert.equal(fact.bidId, 'b3');
    assert.deepEqual([fact.fact.attempt, fact.fact.escalatedFrom], [2, 'b1']);
    assert.deepEqual(second.ledger.map((l) => [l.bidId, l.executedBy, l.attempt, l.escalatedFrom]), [['b3', 'big', 2, 'b1']]);
    assert.deepEqual(first.ledger.map((l) => [l.bidId, l.attempt, l.escalatedFrom]), [['b1', 1, undefined]]);
    // The lines round-trip through their schemas (what the stores read back).
    assert.ok(MemoryLine.safeParse(JSON.parse(JSON.stringify(fact))).success);
    const parsed = parseLedgerJsonl(second.ledger.map((l) => JSON.stringify(l)).join('\n'));
    assert.deepEqual([parsed.skipped, parsed.lines[0]?.kind === 'auction' ? parsed.lines[0].escalatedFrom : undefined], [[], 'b1']);
  });

  it('older lines without the new fields still read, as first tries', () => {
    const old = '{"v":2,"kind":"auction","auctionId":"a0","time":"2026-11-01T10:00:00.000Z","bidId":"b0","executedBy":"m"}\n{"v":2,"kind":"auction","auctionId":"a0","time":"2026-11-01T10:01:00.000Z","bidId":"b0","outcome":"accepted"}';
    const parsed = parseLedgerJsonl(old);
    assert.equal(parsed.skipped.length, 0);
    const facts = parsed.lines.filter((l): l is AuctionFact => l.kind === 'auction');
    assert.deepEqual(escalationSummary(facts), { firstTry: { executed: 1, accepted: 1, decided: 1 }, escalated: { tasks: 0, attempts: 0, accepted: 0 } });
    const memoryLine = { v: 2, kind: 'outcome', id: 'o', auctionId: 'a0', bidId: 'b0', time: TIME, fact: { type: 'execution-cost', inputTokens: 1, outputTokens: 1 } };
    assert.ok(MemoryLine.safeParse(memoryLine).success);
  });
});

describe('escalation in the cost report', () => {
  it('shows first-try and escalated outcomes apart; the first try keeps its rejection', () => {
    const facts = ledgerOf([
      // a1: rejected, escalated to big, accepted.
      executed('a1', 'b1', 'small', { attempt: 1 }),
      reviewed('a1', 'b1', 'small', 'rejected'),
      executed('a1', 'b3', 'big', { attempt: 2, escalatedFrom: 'b1' }),
      reviewed('a1', 'b3', 'big', 'accepted'),
      // a2: accepted at once.
      executed('a2', 'c1', 'small', { attempt: 1 }),
      reviewed('a2', 'c1', 'small', 'accepted'),
      // a3: rejected, escalated twice, still rejected.
      executed('a3', 'd1', 'small', { attempt: 1 }),
      reviewed('a3', 'd1', 'small', 'rejected'),
      executed('a3', 'd2', 'mid', { attempt: 2, escalatedFrom: 'd1' }),
      reviewed('a3', 'd2', 'mid', 'rejected'),
      executed('a3', 'd3', 'big', { attempt: 3, escalatedFrom: 'd2' }),
      reviewed('a3', 'd3', 'big', 'rejected'),
      // a4: applied (accepted), then escalated (its tests failed): the first try does not count as accepted.
      executed('a4', 'e1', 'small', { attempt: 1 }),
      reviewed('a4', 'e1', 'small', 'accepted'),
      executed('a4', 'e2', 'big', { attempt: 2, escalatedFrom: 'e1' }),
      // a5: executed, not decided yet.
      executed('a5', 'f1', 'small', { attempt: 1 }),
    ]);
    const summary = escalationSummary(facts);
    assert.deepEqual(summary, { firstTry: { executed: 5, accepted: 1, decided: 4 }, escalated: { tasks: 3, attempts: 4, accepted: 1 } });
    const report = buildCostReport([...facts, auctionFact({ auctionId: 'a1', time: TIME, task: 't' })], { scope: 'w', now: new Date(TIME) });
    assert.deepEqual(report.escalation, summary);
    assert.ok(CostReport.safeParse(report).success);
    // A report exported before escalation (no field) still parses, with nothing escalated.
    const { escalation: _dropped, ...older } = report;
    assert.deepEqual(CostReport.parse(older).escalation.escalated, { tasks: 0, attempts: 0, accepted: 0 });
  });

  it('a bid run by hand after another (no escalatedFrom) is neither a first try nor an escalation', () => {
    const facts = ledgerOf([executed('a1', 'b1', 'small'), reviewed('a1', 'b1', 'small', 'rejected'), executed('a1', 'b2', 'big'), reviewed('a1', 'b2', 'big', 'accepted')]);
    assert.deepEqual(escalationSummary(facts), { firstTry: { executed: 1, accepted: 0, decided: 1 }, escalated: { tasks: 0, attempts: 0, accepted: 0 } });
  });
});
