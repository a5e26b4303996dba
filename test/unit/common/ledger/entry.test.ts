import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LedgerCallEntry, auctionFact, ledgerCallSink, ledgerLineCodec, parseLedgerJsonl, serializeLedgerLine, toCallEntry } from '../../../../src/common/ledger/entry';
import { BIG, call, LOCAL } from './fixtures';

describe('ledger entries', () => {
  it('prices a call from usage x price and records the price source', () => {
    const e = call('big', 'execution', 1, 1, { price: BIG });
    assert.equal(e.dollars, 50);
    assert.equal(e.priceSource, 'default-table');
    assert.equal(e.v, 2);
  });
  it('records an unknown price as null dollars, never 0', () => {
    const e = call('mystery', 'bidding', 1, 1);
    assert.equal(e.dollars, null);
    assert.equal(e.priceSource, 'unknown');
  });
  it('records unreported usage of a priced model as null dollars and keeps the flag through JSONL', () => {
    const base = call('big', 'execution', 0, 0, { price: BIG }).call;
    const e = toCallEntry({ ...base, usage: { ...base.usage, unreported: true } });
    assert.equal(e.dollars, null);
    assert.equal(e.priceSource, 'default-table', 'the price is known; the usage is not');
    const parsed = parseLedgerJsonl(serializeLedgerLine(e));
    assert.deepEqual(parsed.lines, [e]);
    assert.equal(parsed.lines[0]?.kind === 'call' && parsed.lines[0].call.usage.unreported, true);
    assert.equal(toCallEntry({ ...base, price: LOCAL, usage: { ...base.usage, unreported: true } }).dollars, 0, 'a free model costs 0 either way');
  });
  it('still parses older lines without the flag as reported usage, and rejects a flag that is not true', () => {
    const old = JSON.parse(serializeLedgerLine(call('big', 'bidding', 1, 0, { price: BIG }))) as { call: { usage: Record<string, unknown> } };
    assert.equal('unreported' in old.call.usage, false);
    const parsed = parseLedgerJsonl(JSON.stringify(old));
    assert.equal(parsed.lines.length, 1);
    const wrong = { ...old, call: { ...old.call, usage: { ...old.call.usage, unreported: false } } };
    assert.equal(parseLedgerJsonl(JSON.stringify(wrong)).skipped.length, 1);
  });
  it('keeps a dollar figure supplied without a price as "recorded"', () => {
    const e = toCallEntry({ ...call('x', 'jury', 1, 1).call, dollars: 0.25 });
    assert.equal(e.dollars, 0.25);
    assert.equal(e.priceSource, 'recorded');
  });
  it('prices a failed call that the provider billed', () => {
    const e = call('big', 'execution', 0.5, 0.25, { price: BIG, ok: false });
    assert.equal(e.call.ok, false);
    assert.equal(e.dollars, 15);
  });
  it('round-trips lines through JSONL and skips a torn last line and a newer version', () => {
    const a = call('big', 'bidding', 1, 0, { price: BIG, auctionId: 'a1' });
    const f = auctionFact({ auctionId: 'a1', time: '2026-11-20T10:00:00.000Z', task: 'fix it', outcome: 'accepted' });
    const text = [serializeLedgerLine(a), '', serializeLedgerLine(f), JSON.stringify({ ...a, v: 3 }), serializeLedgerLine(a).slice(0, 40)].join('\n');
    const parsed = parseLedgerJsonl(text);
    assert.deepEqual(parsed.lines, [a, f]);
    assert.deepEqual(
      parsed.skipped.map((s) => s.line),
      [4, 5],
    );
  });
  it('reads version-1 lines as version 2; an old outcome fact has no bid id (it was the winner\'s)', () => {
    const a = call('big', 'bidding', 1, 0, { price: BIG, auctionId: 'a1' });
    const old = { v: 1, kind: 'auction', auctionId: 'a1', time: '2026-11-20T10:00:00.000Z', executedBy: 'big', outcome: 'rejected' };
    const parsed = parseLedgerJsonl([JSON.stringify({ ...a, v: 1 }), JSON.stringify(old)].join('\n'));
    assert.deepEqual(parsed.skipped, []);
    assert.deepEqual(parsed.lines, [a, { ...old, v: 2 }]);
    const decoded = ledgerLineCodec.decode(old);
    assert.ok(decoded.ok && decoded.upgraded);
  });
  it('the call sink appends valid calls and reports invalid ones without throwing', () => {
    const appended: LedgerCallEntry[] = [];
    const invalid: unknown[] = [];
    const sink = ledgerCallSink((l) => appended.push(l), (_e, record) => invalid.push(record));
    const good = call('big', 'jury', 1, 0, { price: BIG }).call;
    sink.record(good);
    sink.record({ ...good, latencyMs: -5 });
    assert.deepEqual(appended, [toCallEntry(good)]);
    assert.equal(invalid.length, 1);
  });
  it('refuses to serialise an invalid line', () => {
    const bad = { ...call('big', 'bidding', 1, 0, { price: BIG }), dollars: -1 };
    assert.throws(() => serializeLedgerLine(bad));
  });

  it('keeps no credential a user pasted into the task of an auction fact', () => {
    const fact = auctionFact({ auctionId: 'a1', task: 'Use the key sk-proj-abcdefghijklmnopqrstuvwx to call the API' });
    assert.equal(fact.task, 'Use the key [redacted] to call the API');
    assert.ok(!serializeLedgerLine(fact).includes('abcdefghijklmnop'));
  });
});
