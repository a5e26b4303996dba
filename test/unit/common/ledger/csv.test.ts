import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CsvParseError, guardCell, parseCsv, toCsv, unguardCell } from '../../../../src/common/ledger/csv';
import { auctionFact } from '../../../../src/common/ledger/entry';
import { LEDGER_CSV_COLUMNS, ledgerCsvRows, ledgerToCsv, ledgerToJson } from '../../../../src/common/ledger/export';
import { buildCostReport } from '../../../../src/common/ledger/report';
import { BIG, call } from './fixtures';

const tricky = ['plain', 'a,b', 'say "hi"', 'line1\nline2', 'crlf\r\nend', '=SUM(A1:A2)', '+1', '-2', '@cmd', '\tTAB', '\rCR', "'=already", "''+x", "'quoted", '', ' spaced '];

describe('CSV', () => {
  it('quotes commas, quotes and newlines per RFC 4180 and ends records with CRLF', () => {
    const text = toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['l1\nl2', 'z']], { bom: false });
    assert.equal(text, 'a,b\r\n"x,y","say ""hi"""\r\n"l1\nl2",z\r\n');
  });
  it('guards formula-like cells with an apostrophe', () => {
    const text = toCsv(['h'], [['=1+2'], ['+1'], ['-1'], ['@x'], ['\tx'], ['safe']], { bom: false });
    assert.equal(text, "h\r\n'=1+2\r\n'+1\r\n'-1\r\n'@x\r\n'\tx\r\nsafe\r\n");
    for (const line of text.split('\r\n').slice(1, -2)) assert.ok(!/^[=+\-@\t\r]/.test(line), line);
  });
  it('round-trips tricky cells, including formula-like ones, through write and parse', () => {
    const rows = tricky.map((t, i) => [String(i), t]);
    const text = toCsv(['n', 'value'], rows);
    assert.ok(text.startsWith('\uFEFF'));
    assert.deepEqual(parseCsv(text), [['n', 'value'], ...rows]);
  });
  it('round-trips arbitrary strings (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 5 }), { maxLength: 6 }), (rows) => {
        const width = 5;
        const padded = rows.map((r) => [...r, ...Array<string>(width - r.length).fill('')]);
        const header = ['a', 'b', 'c', 'd', 'e'];
        assert.deepEqual(parseCsv(toCsv(header, padded)), [header, ...padded]);
      }),
    );
  });
  it('guardCell and unguardCell are inverse', () => {
    fc.assert(fc.property(fc.string(), (s) => unguardCell(guardCell(s)) === s));
    for (const t of tricky) assert.equal(unguardCell(guardCell(t)), t);
  });
  it('rejects malformed CSV with a typed error', () => {
    assert.throws(() => parseCsv('a,"unclosed'), CsvParseError);
    assert.throws(() => parseCsv('a,b"c'), CsvParseError);
    assert.throws(() => parseCsv('"a"b'), CsvParseError);
  });
  it('exports the ledger one row per call with a header, ISO times and empty dollars for unknown prices', () => {
    const lines = [
      auctionFact({ auctionId: 'a1', time: '2026-11-20T09:00:00.000Z', task: '=cmd|"/c calc"!A1, then\nfix "it"', outcome: 'accepted' }),
      call('big', 'execution', 0.001, 0.002, { price: BIG, auctionId: 'a1', time: '2026-11-20T09:01:00+01:00', ok: false }),
      call('mystery', 'bidding', 1, 0, { auctionId: 'a1' }),
    ];
    const records = parseCsv(ledgerToCsv(lines));
    assert.deepEqual(records[0], [...LEDGER_CSV_COLUMNS]);
    assert.equal(records.length, 3);
    const row = Object.fromEntries(LEDGER_CSV_COLUMNS.map((c, i) => [c, records[1]?.[i]]));
    assert.equal(row.time, '2026-11-20T08:01:00.000Z');
    assert.equal(row.task, '=cmd|"/c calc"!A1, then\nfix "it"');
    assert.equal(row.outcome, 'accepted');
    assert.equal(row.ok, 'false');
    assert.equal(row.dollars, '0.09');
    assert.equal(row.price_source, 'default-table');
    assert.equal(records[2]?.[LEDGER_CSV_COLUMNS.indexOf('dollars')], '');
    assert.equal(records[2]?.[LEDGER_CSV_COLUMNS.indexOf('price_source')], 'unknown');
    assert.deepEqual(parseCsv(ledgerToCsv(lines)).slice(1), ledgerCsvRows(lines));
    assert.ok(!ledgerToCsv(lines).split('\r\n').some((l) => l.startsWith('=')));
  });
  it('writes tiny dollar figures without exponent notation', () => {
    const tiny = call('big', 'bidding', 0.000001, 0, { price: BIG });
    assert.equal(ledgerCsvRows([tiny])[0]?.[LEDGER_CSV_COLUMNS.indexOf('dollars')], '0.00001');
  });
  it('exports JSON with the report and every call', () => {
    const lines = [call('big', 'execution', 1, 0, { price: BIG })];
    const json = JSON.parse(ledgerToJson(buildCostReport(lines, { scope: 's' }), lines)) as { format: string; calls: unknown[]; report: { totals: { knownUsd: number } } };
    assert.equal(json.format, 'sale-cost-report');
    assert.equal(json.calls.length, 1);
    assert.equal(json.report.totals.knownUsd, 10);
  });
});
