import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAuction } from '../../../../src/common/auction/engine';
import type { AuctionResult } from '../../../../src/common/auction/types';
import { Journal, journalEntries, type JournalFact } from '../../../../src/common/journal/journal';
import type { AuctionFact } from '../../../../src/common/ledger/entry';
import { AuctionMemory } from '../../../../src/common/memory/auctionMemory';
import { MemoryIndex } from '../../../../src/common/memory/memoryIndex';
import type { AuctionLine, OutcomeLine } from '../../../../src/common/memory/records';
import { bidJson, depsFor, judgeJson, ScriptedClient, spec, type Script } from '../auction/scriptedClient';

const RATING: Record<string, number> = { small: 3, mid: 4, large: 5 };
const judge: Script['judge'] = (author) => ({ text: judgeJson(RATING[author] ?? 0) });
const TIME = '2026-12-01T10:00:00.000Z';
let n = 0;
const stamp = () => ({ time: TIME, id: `out-${++n}` });

/** A real auction (three scripted bidders, jury on): mid wins, small and large lose. */
async function auctionResult(): Promise<AuctionResult> {
  const clients = ['small', 'mid', 'large'].map((m, i) => new ScriptedClient(spec(m, [0.5, 2, 10][i]), { judge, bid: { text: bidJson(m) } }));
  const result = await runAuction({ auctionId: 'a1', task: 'Add input validation to the config loader', pool: ['small', 'mid', 'large'], weights: { cost: 1e-3, costMode: 'paper' }, refinement: { enabled: false } }, depsFor(clients));
  assert.equal(result.winner?.modelId, 'mid');
  return result;
}

const bidOf = (r: AuctionResult, model: string): string => r.bids.find((b) => b.modelId === model)?.id ?? assert.fail(`no bid of ${model}`);

/** Feeds every journal fact's memory lines to an index, as the store does. */
function memoryOf(facts: JournalFact[]): { index: MemoryIndex; ledger: AuctionFact[] } {
  const index = new MemoryIndex();
  const ledger: AuctionFact[] = [];
  for (const f of facts) {
    const e = journalEntries(f, stamp());
    for (const l of e.memory) index.ingest(l);
    ledger.push(...e.ledger);
  }
  return { index, ledger };
}

describe('auction journal: one fact in, the memory and ledger lines out', () => {
  it('auction started → one ledger fact with the redacted, shortened task and the pool; nothing in memory', () => {
    const e = journalEntries({ type: 'auction-started', auctionId: 'a1', task: `use key sk-ant-api03-${'x'.repeat(40)} ${'y'.repeat(400)}`, pool: [{ modelId: 'mid' }] }, stamp());
    assert.deepEqual(e.memory, []);
    assert.equal(e.ledger.length, 1);
    assert.equal(e.ledger[0]?.task?.length, 300);
    assert.ok(e.ledger[0]?.task?.startsWith('use key [redacted] '));
    assert.deepEqual(e.ledger[0]?.pool, [{ modelId: 'mid' }]);
  });

  it('auction recorded → the memory auction line and the ledger winner; a cancelled auction goes to neither memory', async () => {
    const result = await auctionResult();
    const e = journalEntries({ type: 'auction-recorded', result, contextFiles: ['src/config.ts'] }, stamp());
    const line = e.memory[0] as AuctionLine;
    assert.equal(e.memory.length, 1);
    assert.deepEqual([line.kind, line.id, line.winnerBidId, line.contextFiles, line.bids.length], ['auction', 'a1', result.winner?.bidId, ['src/config.ts'], 3]);
    assert.deepEqual(e.ledger.map((f) => [f.auctionId, f.winnerModelId, f.outcome]), [['a1', 'mid', undefined]]);
    assert.deepEqual(journalEntries({ type: 'auction-recorded', result: { ...result, status: 'cancelled' }, contextFiles: [] }, stamp()).memory, []);
    const noBids = journalEntries({ type: 'auction-recorded', result: { ...result, winner: undefined }, contextFiles: [], noBids: true }, stamp());
    assert.deepEqual(noBids.ledger.map((f) => f.outcome), ['no-bids']);
  });

  it('bid executed → an execution-cost outcome about that bid, and the ledger executor with that bid', () => {
    const e = journalEntries({ type: 'bid-executed', auctionId: 'a1', bidId: 'b-small', modelId: 'small', status: 'failed', staged: 0, usage: { inputTokens: 10, outputTokens: 4 }, dollars: 0.01 }, { time: TIME, id: 'o1' });
    assert.deepEqual(e.memory, [
      { v: 2, kind: 'outcome', id: 'o1', auctionId: 'a1', bidId: 'b-small', time: TIME, fact: { type: 'execution-cost', inputTokens: 10, outputTokens: 4, dollars: 0.01, status: 'failed', staged: 0 } },
    ] satisfies OutcomeLine[]);
    assert.deepEqual(e.ledger, [{ v: 2, kind: 'auction', auctionId: 'a1', time: TIME, bidId: 'b-small', executedBy: 'small', outcome: 'failed' }]);
    const staged = journalEntries({ type: 'bid-executed', auctionId: 'a1', bidId: 'b', modelId: 'm', status: 'failed', staged: 2, usage: { inputTokens: 0, outputTokens: 0 } }, stamp());
    assert.equal(staged.ledger[0]?.outcome, undefined, 'a failed run that staged files waits for the review');
  });

  it('reviewed → a review outcome about the bid and the ledger label from the one derivation; no files → no label', () => {
    const e = journalEntries({ type: 'reviewed', auctionId: 'a1', bidId: 'b', modelId: 'm', files: [{ path: 'a.ts', decision: 'accepted' }, { path: 'b.ts', decision: 'rejected' }] }, { time: TIME, id: 'o2' });
    assert.deepEqual(e.memory, [{ v: 2, kind: 'outcome', id: 'o2', auctionId: 'a1', bidId: 'b', time: TIME, fact: { type: 'review', files: [{ path: 'a.ts', decision: 'accepted' }, { path: 'b.ts', decision: 'rejected' }] } }]);
    assert.deepEqual(e.ledger.map((f) => [f.bidId, f.executedBy, f.outcome]), [['b', 'm', 'partially-accepted']]);
    // The review session used to write 'rejected' to the ledger here while the memory said nothing.
    const empty = journalEntries({ type: 'reviewed', auctionId: 'a1', bidId: 'b', modelId: 'm', files: [] }, stamp());
    assert.equal(empty.ledger[0]?.outcome, undefined);
    const { index } = memoryOf([{ type: 'reviewed', auctionId: 'a1', bidId: 'b', modelId: 'm', files: [] }]);
    assert.equal(index.state.size, 0, 'the outcome waits for its auction');
  });

  it('undone and tests ran → outcomes about the bid; undone also in the ledger, tests only in memory', () => {
    const u = journalEntries({ type: 'undone', auctionId: 'a1', bidId: 'b', files: ['a.ts'] }, stamp());
    assert.deepEqual([u.memory[0]?.kind === 'outcome' && u.memory[0].bidId, u.memory[0]?.kind === 'outcome' && u.memory[0].fact], ['b', { type: 'undone', files: ['a.ts'] }]);
    assert.deepEqual(u.ledger.map((f) => [f.bidId, f.outcome]), [['b', 'undone']]);
    const t = journalEntries({ type: 'tests-ran', auctionId: 'a1', bidId: 'b', command: 'npm test', passed: false, output: 'FAIL' }, stamp());
    assert.deepEqual(t.memory[0]?.kind === 'outcome' && t.memory[0].fact, { type: 'tests', command: 'npm test', passed: false, output: 'FAIL' });
    assert.deepEqual(t.ledger, []);
  });
});

describe('outcome attribution: the executed bid carries the outcome', () => {
  it('run a losing bid and accept its work: memory, pairs and ledger credit that bid, not the jury winner', async () => {
    const result = await auctionResult();
    const small = bidOf(result, 'small');
    const mid = bidOf(result, 'mid');
    const { index, ledger } = memoryOf([
      { type: 'auction-recorded', result, contextFiles: [] },
      { type: 'bid-executed', auctionId: 'a1', bidId: small, modelId: 'small', status: 'finished', staged: 1, usage: { inputTokens: 100, outputTokens: 20 } },
      { type: 'reviewed', auctionId: 'a1', bidId: small, modelId: 'small', files: [{ path: 'src/a.ts', decision: 'accepted' }] },
    ]);
    const view = index.state.get('a1');
    assert.deepEqual(view?.bidLabels, { [small]: 'accepted' });
    assert.equal(view?.bidLabels[mid], undefined, 'the winner was never run: no verdict on it');
    assert.equal(view?.executedBidId, small);
    const { pairs } = await new AuctionMemory(index).contrastivePairs({ task: 'Add validation to the config loader', modelId: 'large', k: 1 });
    assert.deepEqual(pairs.map((p) => [p.losing.modelId, p.loserOutcome, p.winning.modelId, p.winnerOutcome]), [['small', 'accepted', 'mid', undefined]]);
    assert.deepEqual(ledger.filter((f) => f.outcome).map((f) => [f.bidId, f.executedBy, f.outcome]), [[small, 'small', 'accepted']]);
  });

  it('a rejected winner stays in memory as a negative example that the refinement prompt shows', async () => {
    const result = await auctionResult();
    const mid = bidOf(result, 'mid');
    const { index } = memoryOf([
      { type: 'auction-recorded', result, contextFiles: [] },
      { type: 'bid-executed', auctionId: 'a1', bidId: mid, modelId: 'mid', status: 'finished', staged: 1, usage: { inputTokens: 1, outputTokens: 1 } },
      { type: 'reviewed', auctionId: 'a1', bidId: mid, modelId: 'mid', files: [{ path: 'src/a.ts', decision: 'rejected' }] },
    ]);
    const { pairs } = await new AuctionMemory(index).contrastivePairs({ task: 'Add validation to the config loader', modelId: 'small', k: 1 });
    assert.deepEqual(pairs.map((p) => [p.winning.modelId, p.winnerOutcome]), [['mid', 'rejected']]);
  });

  it('a winner whose run failed with nothing staged is labelled failed and kept as a negative example', async () => {
    const result = await auctionResult();
    const mid = bidOf(result, 'mid');
    const { index } = memoryOf([
      { type: 'auction-recorded', result, contextFiles: [] },
      { type: 'bid-executed', auctionId: 'a1', bidId: mid, modelId: 'mid', status: 'failed', staged: 0, usage: { inputTokens: 1, outputTokens: 1 } },
    ]);
    assert.equal(index.state.get('a1')?.label, 'failed');
    const { pairs } = await new AuctionMemory(index).contrastivePairs({ task: 'Add validation to the config loader', modelId: 'small', k: 1 });
    assert.equal(pairs[0]?.winnerOutcome, 'failed');
  });
});

describe('Journal (the writer)', () => {
  it('hands the ledger facts and memory lines to their sinks; a memory failure is logged, not thrown', async () => {
    const facts: AuctionFact[] = [];
    const errors: string[] = [];
    const journal = new Journal(
      {
        memory: { appendAuction: () => Promise.resolve(), appendOutcome: () => Promise.reject(new Error('disk full')) },
        ledger: { appendFact: (f) => facts.push(f) },
      },
      { error: (m) => errors.push(m) },
      stamp,
    );
    await journal.record({ type: 'undone', auctionId: 'a1', bidId: 'b', files: [] });
    assert.deepEqual(facts.map((f) => f.outcome), ['undone']);
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /undone fact of a1 .*disk full/);
  });

  it('logs a fact that makes no valid line instead of rejecting (callers do not wait on it); its listeners still hear it', async () => {
    const errors: string[] = [];
    const journal = new Journal({ memory: { appendAuction: () => Promise.resolve(), appendOutcome: () => Promise.resolve() }, ledger: { appendFact: () => undefined } }, { error: (m) => errors.push(m) }, stamp);
    const heard: string[] = [];
    journal.onRecorded((f) => heard.push(f.type));
    const entries = await journal.record({ type: 'auction-started', auctionId: '', task: 't', pool: [] });
    assert.deepEqual(entries, { memory: [], ledger: [] });
    assert.match(errors[0] ?? '', /auction-started fact made no valid lines/);
    assert.deepEqual(heard, ['auction-started']);
  });
});
