import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { executionHistoryFromLedger } from '../../../../src/common/ledger/executionHistory';
import { auctionFact, ledgerLineCodec, serializeLedgerLine, toCallEntry, type LedgerLine } from '../../../../src/common/ledger/entry';
import type { CallPhase } from '../../../../src/common/ledger/types';
import { emptyUsage } from '../../../../src/common/providers/types';

let clock = Date.UTC(2026, 0, 1);
const call = (auctionId: string, modelId: string, phase: CallPhase, inputTokens: number, outputTokens: number, unreported = false): LedgerLine =>
  toCallEntry({
    time: new Date((clock += 1000)).toISOString(),
    auctionId,
    phase,
    modelId,
    model: `${modelId}-wire`,
    local: false,
    usage: { ...emptyUsage(), inputTokens, outputTokens, ...(unreported ? { unreported: true as const } : {}) },
    price: { inputPerMTok: 1, outputPerMTok: 5, source: 'settings' },
    latencyMs: 10,
    ok: true,
  });
const started = (auctionId: string, task: string): LedgerLine => auctionFact({ auctionId, task, time: new Date((clock += 1000)).toISOString() });

/** Writes and reads the lines back through the ledger's own codec: the port reads what the file holds. */
function recorded(lines: LedgerLine[]): LedgerLine[] {
  return lines.map((l) => {
    const decoded = ledgerLineCodec.decode(JSON.parse(serializeLedgerLine(l)));
    assert.ok(decoded.ok, 'a line the ledger wrote must read back');
    return decoded.value;
  });
}

describe('executionHistoryFromLedger', () => {
  const dateTasks = ['Fix the date parser for ISO week dates', 'The date parser rejects leap-second timestamps', 'Date parser: time zone offsets are dropped'];
  const lines = recorded([
    // Three date-parser auctions run by `mid` (two calls each), one unrelated auction by `mid`, one by `big`.
    ...dateTasks.flatMap((task, i) => [started(`d${i}`, task), call(`d${i}`, 'mid', 'bidding', 3000, 400), call(`d${i}`, 'mid', 'execution', 10_000 * (i + 1), 1000), call(`d${i}`, 'mid', 'execution', 10_000, 1000)]),
    started('css', 'Restyle the settings page buttons'),
    call('css', 'mid', 'execution', 400_000, 9000),
    started('big1', 'Rename the logging module'),
    call('big1', 'big', 'execution', 50_000, 2000),
    // An execution whose usage was not reported is a lower bound: left out.
    started('lost', 'Fix the date parser once more'),
    call('lost', 'big', 'execution', 1, 1, true),
  ]);

  it('means the tokens of similar tasks when there are enough, and says so', () => {
    const h = executionHistoryFromLedger(lines, { task: 'The date parser fails on ISO dates', modelIds: ['mid', 'big', 'none'] });
    // mid on the three date tasks: input (20k + 30k + 40k) / 3, output 2,000 each, two calls each; not the CSS run.
    assert.deepEqual(h.mid, { inputTokens: 30_000, outputTokens: 2000, requests: 2, runs: 3, basis: 'similar-tasks' });
    // big has one usable run, on an unrelated task: the mean of all its runs; the unreported one is not counted.
    assert.deepEqual(h.big, { inputTokens: 50_000, outputTokens: 2000, requests: 1, runs: 1, basis: 'all-tasks' });
    assert.equal(h.none, undefined);
  });

  it('falls back on every execution of the model for an unrelated task, and ignores the auction phases', () => {
    const h = executionHistoryFromLedger(lines, { task: 'Add a dark theme toggle', modelIds: ['mid'] });
    assert.equal(h.mid?.basis, 'all-tasks');
    assert.equal(h.mid?.runs, 4);
    assert.equal(h.mid?.inputTokens, (20_000 + 30_000 + 40_000 + 400_000) / 4);
  });

  it('answers nothing from an empty ledger', () => {
    assert.deepEqual(executionHistoryFromLedger([], { task: 'anything', modelIds: ['mid'] }), {});
  });
});
