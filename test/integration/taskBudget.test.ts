// One task budget inside a real VS Code: a loopback model (OpenAI wire format, native tool calls) wins an auction
// under `sale.budget.perTask`, its first run spends most of what is left, and a second run of a bid of the same
// task is refused before any model call because its expected work no longer fits.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExecutionView } from '../../src/common/protocol/executionView';
import type { SaleApi } from '../../src/vscode/api';
import { LoopbackServer } from '../fixtures/loopback/server';
import type { ChatReply } from '../fixtures/loopback/types';
import { activateSale, scriptProbe, waitFor, withSettings } from './helpers';

const BID = JSON.stringify({ summary: 'Read the config and stop', steps: ['Read src/config.js', 'Finish'], files: ['src/config.js'], risks: ['none'], verification: ['none'] });

// Each agent call reports 5,000 input and 100 output tokens: $0.0052 at $1 / $2 per Mtok.
const tools = (name: string, args: unknown, id: string): ChatReply => ({ kind: 'chat', when: { tools: true }, toolCalls: [{ id, name, arguments: JSON.stringify(args) }], usage: { input: 5000, output: 100 } });

describe('the task budget', function () {
  this.timeout(120_000);
  let api: SaleApi;
  let server: LoopbackServer;
  let restore: (() => Promise<void>) | undefined;
  const model = `budget-model-${Date.now()}`;

  before(async () => {
    api = await activateSale();
    server = await LoopbackServer.start();
    scriptProbe(server, model);
    // The bid: 200 input and 120 output tokens, so its expected work is 120×20×$2 + 200×15×$1 per Mtok = $0.0078.
    server.setDefault({ kind: 'chat', text: BID, usage: { input: 200, output: 120 } });
    restore = await withSettings({
      'localServers.detect': false,
      'auction.jury.mode': 'none',
      'auction.refinement.enabled': false,
      'agent.maxDollars': null,
      'budget.perTask': 0.02,
      models: [{ id: 'budgeted', provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, model, price: { inputPerMTok: 1, outputPerMTok: 2 }, roles: ['bidder', 'executor'] }],
    });
  });

  after(async () => {
    await restore?.();
    await server?.close();
  });

  it('refuses a run of the task once its expected work no longer fits what the earlier run left', async () => {
    await vscode.commands.executeCommand('sale.auctionTask', { task: 'Read the config and stop' });
    const auction = await waitFor('the auction to end', () => {
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
