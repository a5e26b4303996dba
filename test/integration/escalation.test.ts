// Escalation inside a real VS Code: two loopback models bid; the winner's work is rejected; "Try the next bid"
// runs the other model's bid, whose agent is told about the failed attempt; each executed bid keeps its own outcome.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AuctionFact } from '../../src/common/ledger/entry';
import type { ExecutionView } from '../../src/common/protocol/executionView';
import type { SaleApi } from '../../src/vscode/api';
import { LoopbackServer } from '../fixtures/loopback/server';
import { activateSale, scriptProbe, waitFor, withSettings } from './helpers';
import type { ChatReply } from '../fixtures/loopback/types';

const bidText = (who: string) =>
  JSON.stringify({ summary: `Write a note (${who})`, steps: ['Create the note'], files: ['notes/escalation.md'], risks: ['none'], verification: ['read it'] });
const call = (name: string, args: unknown, id: string) => ({ id, name, arguments: JSON.stringify(args) });
const tools = (...toolCalls: ReturnType<typeof call>[]): ChatReply => ({ kind: 'chat', when: { tools: true }, toolCalls, usage: { input: 500, output: 50 } });

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has a workspace folder');
  return folder.uri.fsPath;
}

describe('escalation: try the next bid after a rejection', function () {
  this.timeout(120_000);
  let api: SaleApi;
  let server: LoopbackServer;
  let restore: (() => Promise<void>) | undefined;
  const stamp = Date.now();
  const models = { cheap: `esc-cheap-${stamp}`, strong: `esc-strong-${stamp}` };

  before(async () => {
    api = await activateSale();
    server = await LoopbackServer.start();
    for (const model of Object.values(models)) scriptProbe(server, model);
    server.setDefault({ kind: 'chat', text: bidText('any'), usage: { input: 200, output: 120 } });
    restore = await withSettings({
      'localServers.detect': false,
      'auction.jury.mode': 'none',
      'auction.refinement.enabled': false,
      models: [
        { id: 'cheap', provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, model: models.cheap, price: { inputPerMTok: 0.5, outputPerMTok: 1 }, roles: ['bidder', 'executor'] },
        { id: 'strong', provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, model: models.strong, price: { inputPerMTok: 5, outputPerMTok: 15 }, roles: ['bidder', 'executor'] },
      ],
    });
  });

  after(async () => {
    await restore?.();
    await server?.close();
  });

  it('a rejected run → "Try the next bid" → the second executed bid carries its own outcome, the first keeps its rejection', async () => {
    await vscode.commands.executeCommand('sale.auctionTask', { task: 'Write an escalation note' });
    const auction = await waitFor('the auction to end with two bids', () => {
      const a = api.panelState().auction;
      return a?.status === 'completed' && a.winner && api.lastAuctionResult()?.bids.length === 2 ? a : undefined;
    });
    const auctionId = auction.auctionId;
    const result = api.lastAuctionResult();
    assert.ok(result?.winner);
    const first = result.winner;
    const other = result.bids.find((b) => b.id !== first.bidId);
    assert.ok(other, 'a second bid to escalate to');
    const modelOf = (id: string) => (id === 'cheap' ? models.cheap : models.strong);

    server.script(modelOf(first.modelId), tools(call('create_file', { path: 'notes/escalation.md', content: 'FIRST ATTEMPT TEXT\n' }, 'f1')), tools(call('finish', { summary: 'wrote the first note' }, 'f2')));
    const firstView = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid', { auctionId, bidId: first.bidId });
    assert.equal(firstView?.files.length, 1, JSON.stringify(firstView?.log.slice(-3)));
    assert.equal(firstView.attempt, 1);
    assert.equal(api.panelState().execution?.escalation, null, 'no offer while the work is under review');

    await vscode.commands.executeCommand('sale.review.decideAll', { decision: 'rejected' });
    await vscode.commands.executeCommand('sale.applyAccepted');
    const offered = api.panelState().execution?.escalation;
    assert.equal(offered?.next?.bidId, other.id, JSON.stringify(offered));
    assert.equal(offered.next.newModel, true);
    assert.match(offered.note, /rejected/);

    server.script(modelOf(other.modelId), tools(call('create_file', { path: 'notes/escalation.md', content: 'SECOND ATTEMPT TEXT\n' }, 's1')), tools(call('finish', { summary: 'wrote a better note' }, 's2')));
    const second = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.tryNextBid', { auctionId });
    assert.equal(second?.bidId, other.id);
    assert.equal(second.modelId, other.modelId);
    assert.equal(second.attempt, 2);
    assert.equal(second.escalatedFrom, first.bidId);
    // The escalated agent was told what failed, as fenced data: the rejected diff is in its system prompt.
    const sent = JSON.stringify(server.requestsFor(modelOf(other.modelId)).find((r) => JSON.stringify(r.body).includes('previous attempt failed'))?.body ?? '');
    assert.match(sent, /A previous attempt failed/);
    assert.match(sent, /The user rejected its edits/);
    assert.match(sent, /<<<BEGIN DIFF [0-9a-f]{16}>>>/);
    assert.match(sent, /FIRST ATTEMPT TEXT/);

    await vscode.commands.executeCommand('sale.review.decideAll', { decision: 'accepted' });
    await vscode.commands.executeCommand('sale.applyAccepted');
    assert.equal(fs.readFileSync(path.join(root(), 'notes/escalation.md'), 'utf8'), 'SECOND ATTEMPT TEXT\n');
    assert.equal(api.panelState().execution?.escalation, null, 'accepted work offers no escalation');

    const facts = (await api.ledgerLines()).filter((l): l is AuctionFact => l.kind === 'auction' && l.auctionId === auctionId);
    const executed = facts.filter((f) => f.executedBy !== undefined && f.outcome === undefined);
    assert.deepEqual(
      executed.map((f) => [f.bidId, f.executedBy, f.attempt, f.escalatedFrom]),
      [
        [first.bidId, first.modelId, 1, undefined],
        [other.id, other.modelId, 2, first.bidId],
      ],
    );
    const outcomes = facts.filter((f) => f.outcome !== undefined).map((f) => [f.bidId, f.outcome]);
    assert.deepEqual(outcomes, [
      [first.bidId, 'rejected'],
      [other.id, 'accepted'],
    ]);
    const memory = await api.memoryOutcomes(auctionId);
    const costs = memory.filter((o) => o.type === 'execution-cost');
    assert.deepEqual(costs.map((c) => (c.type === 'execution-cost' ? [c.attempt, c.escalatedFrom] : [])), [[1, undefined], [2, first.bidId]]);

    await vscode.commands.executeCommand('sale.undoLastAuction');
    assert.equal(fs.existsSync(path.join(root(), 'notes/escalation.md')), false, 'undo removed the note');
  });
});
