import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ledgerExporter } from '../../../src/common/ledger/export';
import { buildCostReport } from '../../../src/common/ledger/report';
import { parseMessage } from '../../../src/common/protocol/channel';
import { reportProtocol } from '../../../src/common/protocol/report';
import { BIG, call } from './ledger/fixtures';

describe('cost report protocol', () => {
  it('accepts the refresh command and export requests in CSV or JSON', () => {
    assert.equal(parseMessage(reportProtocol.commands, { type: 'refresh' }).ok, true);
    for (const format of ['csv', 'json']) assert.equal(parseMessage(reportProtocol.requests.export.params, { format }).ok, true, format);
    assert.equal(parseMessage(reportProtocol.requests.export.result, { saved: 'sale-cost-report.csv' }).ok, true);
    assert.equal(parseMessage(reportProtocol.requests.export.result, null).ok, true);
  });
  it('rejects unknown commands and export formats', () => {
    for (const m of [null, { type: 'export', format: 'csv' }, { type: 'delete' }]) assert.equal(parseMessage(reportProtocol.commands, m).ok, false, JSON.stringify(m));
    for (const m of [{ format: 'xlsx' }, {}]) assert.equal(parseMessage(reportProtocol.requests.export.params, m).ok, false, JSON.stringify(m));
  });
  it('carries a built report as plain data, and rejects a malformed one', () => {
    const report = buildCostReport([call('big', 'execution', 1, 0, { price: BIG }), call('x', 'jury', 1, 0)], { scope: 'w' });
    const roundTripped: unknown = JSON.parse(JSON.stringify({ type: 'report', report }));
    const parsed = parseMessage(reportProtocol.notifications, roundTripped);
    assert.ok(parsed.ok && parsed.value.type === 'report');
    assert.deepEqual(parsed.value.report, report);
    assert.equal(parseMessage(reportProtocol.notifications, { type: 'report', report: { ...report, totals: { knownUsd: -1 } } }).ok, false);
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
