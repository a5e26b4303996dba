// One task budget inside a real VS Code: a loopback model (OpenAI wire format, native tool calls) wins an auction
// under `sale.budget.perTask`, its first run spends most of what is left, and a second run of a bid of the same
// task is refused before any model call because its expected work no longer fits.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExecutionView } from '../../src/common/protocol/executionView';
import type { SaleApi } from '../../src/vscode/api';
import { LoopbackServer } from '../fixtures/loopback/server';
import type { ChatReply } from '../fixtures/loopback/types';

const EXTENSION_ID = 'sale-dev.sale-vscode';
const BID = JSON.stringify({ summary: 'Read the config and stop', steps: ['Read src/config.js', 'Finish'], files: ['src/config.js'], risks: ['none'], verification: ['none'] });

async function until<T>(what: string, probe: () => T | undefined | false, deadlineMs = 30_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Each agent call reports 5,000 input and 100 output tokens: $0.0052 at $1 / $2 per Mtok.
const tools = (name: string, args: unknown, id: string): ChatReply => ({ kind: 'chat', when: { tools: true }, toolCalls: [{ id, name, arguments: JSON.stringify(args) }], usage: { input: 5000, output: 100 } });

describe('the task budget', function () {
  this.timeout(120_000);
  let api: SaleApi;
  let server: LoopbackServer;
  const model = `budget-model-${Date.now()}`;
  const keys = ['models', 'localServers.detect', 'auction.jury.mode', 'auction.refinement.enabled', 'budget.perTask', 'agent.maxDollars'];

  before(async () => {
    const ext = vscode.extensions.getExtension<SaleApi>(EXTENSION_ID);
    assert.ok(ext);
    const activated = await ext.activate();
    assert.ok(activated);
    api = activated;
    server = await LoopbackServer.start();
    server.script(model, { kind: 'chat', when: { tools: true }, toolCalls: [{ name: 'report_status', arguments: '{"ok":true}' }] }, { kind: 'chat', when: { structured: true }, text: '{"ok": true}' });
    // The bid: 200 input and 120 output tokens, so its expected work is 120×20×$2 + 200×15×$1 per Mtok = $0.0078.
    server.setDefault({ kind: 'chat', text: BID, usage: { input: 200, output: 120 } });
    const sale = vscode.workspace.getConfiguration('sale');
    await sale.update('localServers.detect', false, vscode.ConfigurationTarget.Global);
    await sale.update('auction.jury.mode', 'none', vscode.ConfigurationTarget.Global);
    await sale.update('auction.refinement.enabled', false, vscode.ConfigurationTarget.Global);
    await sale.update('agent.maxDollars', null, vscode.ConfigurationTarget.Global);
    await sale.update('budget.perTask', 0.02, vscode.ConfigurationTarget.Global);
    await sale.update(
      'models',
      [{ id: 'budgeted', provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, model, price: { inputPerMTok: 1, outputPerMTok: 2 }, roles: ['bidder', 'executor'] }],
      vscode.ConfigurationTarget.Global,
    );
  });

  after(async () => {
    const sale = vscode.workspace.getConfiguration('sale');
    for (const key of keys) await sale.update(key, undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('refuses a run of the task once its expected work no longer fits what the earlier run left', async () => {
    await vscode.commands.executeCommand('sale.auctionTask', { task: 'Read the config and stop' });
    const auction = await until('the auction to end', () => {
      const a = api.panelState().auction;
      return a?.status === 'completed' && a.winner ? a : undefined;
    });
    const { auctionId, winner } = auction;
    assert.ok(winner);
    const card = auction.cards.find((b) => b.bidId === winner.bidId);
    assert.equal(card?.eligible, true, 'with $0.02 the bid\'s $0.0078 of work fits after the auction');

    // First run: three calls of $0.0052 = $0.0156, which leaves less than the bid's expected $0.0078.
    server.script(model, tools('read_file', { path: 'src/config.js' }, 'b1'), tools('read_file', { path: 'README.md' }, 'b2'), tools('finish', { summary: 'read' }, 'b3'));
    const first = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid', { auctionId, bidId: winner.bidId });
    assert.equal(first?.status, 'finished');
    assert.ok(first.dollars !== null && first.dollars > 0.015, `the first run spent ${String(first.dollars)}`);

    // Second run of a bid of the same task (what an escalation does): refused before any model call.
    const calls = server.requestsFor(model).length;
    const second = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid', { auctionId, bidId: winner.bidId });
    assert.equal(second, undefined, 'the run is refused');
    assert.equal(server.requestsFor(model).length, calls, 'no model call was made');
    assert.equal(api.panelState().execution?.runId, first.runId, 'the panel still shows the first run');

    // With a larger budget the same run goes ahead, capped by what is left.
    await vscode.workspace.getConfiguration('sale').update('budget.perTask', 1, vscode.ConfigurationTarget.Global);
    server.script(model, tools('finish', { summary: 'again' }, 'c1'));
    const third = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid', { auctionId, bidId: winner.bidId });
    assert.equal(third?.status, 'finished');
  });
});
