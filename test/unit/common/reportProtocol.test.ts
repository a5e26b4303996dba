import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ledgerExporter } from '../../../src/common/ledger/export';
import { buildCostReport } from '../../../src/common/ledger/report';
import { ReportHostToView, ReportViewToHost, parseMessage } from '../../../src/common/protocol/report';
import { BIG, call } from './ledger/fixtures';

describe('cost report protocol', () => {
  it('accepts the ready handshake, refresh and export commands', () => {
    for (const m of [{ type: 'ready', protocolVersion: 1 }, { type: 'refresh' }, { type: 'export', format: 'csv' }, { type: 'export', format: 'json' }]) {
      assert.equal(parseMessage(ReportViewToHost, m).ok, true, JSON.stringify(m));
    }
  });
  it('rejects unknown commands and export formats', () => {
    for (const m of [null, { type: 'export', format: 'xlsx' }, { type: 'export' }, { type: 'delete' }]) {
      assert.equal(parseMessage(ReportViewToHost, m).ok, false, JSON.stringify(m));
    }
  });
  it('carries a built report as plain data, and rejects a malformed one', () => {
    const report = buildCostReport([call('big', 'execution', 1, 0, { price: BIG }), call('x', 'jury', 1, 0)], { scope: 'w' });
    const roundTripped: unknown = JSON.parse(JSON.stringify({ type: 'report', report }));
    const parsed = parseMessage(ReportHostToView, roundTripped);
    assert.ok(parsed.ok && parsed.value.type === 'report');
    assert.deepEqual(parsed.value.report, report);
    assert.equal(parseMessage(ReportHostToView, { type: 'report', report: { ...report, totals: { knownUsd: -1 } } }).ok, false);
  });
  it('the ledger exporter reads the lines at export time', async () => {
    let lines = [call('big', 'execution', 1, 0, { price: BIG })];
    const exporter = ledgerExporter(() => Promise.resolve(lines));
    const report = buildCostReport(lines, { scope: 'w' });
    lines = [...lines, call('big', 'jury', 1, 0, { price: BIG })];
    const csv = await exporter('csv', report);
    assert.equal(csv.trimEnd().split('\r\n').length, 3);
    const json = JSON.parse(await exporter('json', report)) as { calls: unknown[] };
    assert.equal(json.calls.length, 2);
  });
});
