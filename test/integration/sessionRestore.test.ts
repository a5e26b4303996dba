// Sessions after a reload, inside a real VS Code: an auction against the loopback market, a rejected run of its
// winner; then the window's sessions are forgotten and restored from the workspace's session log (as a reloaded
// window does at start), and the restored auction's next bid and its winner run, with the auction's own context.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AuctionFact } from '../../src/common/ledger/entry';
import type { ExecutionView } from '../../src/common/protocol/executionView';
import type { SaleApi } from '../../src/vscode/api';
import { LoopbackServer } from '../fixtures/loopback/server';
import type { ChatReply } from '../fixtures/loopback/types';
import { activateSale, scriptProbe, waitFor, withSettings } from './helpers';

const bidText = (who: string) =>
  JSON.stringify({ summary: `Write a restore note (${who})`, steps: ['Create the note'], files: ['notes/restore.md'], risks: ['none'], verification: ['read it'] });
const call = (name: string, args: unknown, id: string) => ({ id, name, arguments: JSON.stringify(args) });
const tools = (...toolCalls: ReturnType<typeof call>[]): ChatReply => ({ kind: 'chat', when: { tools: true }, toolCalls, usage: { input: 500, output: 50 } });

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has a workspace folder');
  return folder.uri.fsPath;
}

describe('session restore: a reloaded window runs the last auction\'s bids', function () {
  this.timeout(120_000);
  let api: SaleApi;
  let server: LoopbackServer;
  let restore: (() => Promise<void>) | undefined;
  const stamp = Date.now();
  const models = { cheap: `rst-cheap-${stamp}`, strong: `rst-strong-${stamp}` };
  const contextFile = `notes/restore-context-${stamp}.md`;
  const marker = `CONTEXT-AT-AUCTION-${stamp}`;

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
    fs.mkdirSync(path.join(root(), 'notes'), { recursive: true });
    fs.writeFileSync(path.join(root(), contextFile), `${marker}\n`);
  });

  after(async () => {
    await restore?.();
    await server?.close();
    fs.rmSync(path.join(root(), contextFile), { force: true });
    fs.rmSync(path.join(root(), 'notes/restore.md'), { force: true });
  });

  it('after the sessions are restored from the session log, "Try the next bid" and "Run the winner" run the restored auction with its own context', async () => {
    await vscode.commands.executeCommand('sale.auctionTask', { task: 'Write a restore note', contextFiles: [contextFile] });
    const auction = await waitFor('the auction to end with two bids', () => {
      const a = api.panelState().auction;
      return a?.status === 'completed' && a.task === 'Write a restore note' && a.winner && api.lastAuctionResult()?.bids.length === 2 ? a : undefined;
    });
    const auctionId = auction.auctionId;
    const result = api.lastAuctionResult();
    assert.ok(result?.winner);
    const winner = result.winner;
    const other = result.bids.find((b) => b.id !== winner.bidId);
    assert.ok(other, 'a second bid to escalate to');
    const modelOf = (id: string) => (id === 'cheap' ? models.cheap : models.strong);

    server.script(modelOf(winner.modelId), tools(call('create_file', { path: 'notes/restore.md', content: 'FIRST\n' }, 'f1')), tools(call('finish', { summary: 'first note' }, 'f2')));
    const first = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid', { auctionId, bidId: winner.bidId });
    assert.equal(first?.files.length, 1, JSON.stringify(first?.log.slice(-3)));
    await vscode.commands.executeCommand('sale.review.decideAll', { decision: 'rejected' });
    await vscode.commands.executeCommand('sale.applyAccepted');

    // The file the auction saw changes on disk: a context rebuilt from today's files would no longer hold the marker.
    fs.writeFileSync(path.join(root(), contextFile), 'CHANGED AFTER THE AUCTION\n');
    const restored = await api.reloadSessions();
    assert.ok(restored.includes(auctionId), `restored ${restored.join(', ')}`);

    server.script(modelOf(other.modelId), tools(call('create_file', { path: 'notes/restore.md', content: 'SECOND\n' }, 's1')), tools(call('finish', { summary: 'second note' }, 's2')));
    const second = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.tryNextBid', { auctionId });
    assert.equal(second?.bidId, other.id, 'the restored session knows the winner was rejected and what is next');
    assert.equal(second.attempt, 2);
    assert.equal(second.escalatedFrom, winner.bidId);
    const escalated = JSON.stringify(server.requestsFor(modelOf(other.modelId)).find((r) => JSON.stringify(r.body).includes('previous attempt failed'))?.body ?? '');
    assert.match(escalated, /FIRST/, 'the failed attempt\'s diff survived the reload');
    assert.match(escalated, new RegExp(marker), 'the auction\'s own context, not the file as it is now');
    await vscode.commands.executeCommand('sale.review.decideAll', { decision: 'rejected' });
    await vscode.commands.executeCommand('sale.applyAccepted');

    // Once more, then "Run the winner" without ids: the newest finished session is the restored auction.
    await api.reloadSessions();
    const before = server.requestsFor(modelOf(winner.modelId)).length;
    server.script(modelOf(winner.modelId), tools(call('create_file', { path: 'notes/restore.md', content: 'THIRD\n' }, 't1')), tools(call('finish', { summary: 'third note' }, 't2')));
    const third = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid');
    assert.equal(third?.auctionId, auctionId);
    assert.equal(third.bidId, winner.bidId);
    assert.equal(third.attempt, 1, 'a re-run of the winner keeps its attempt number');
    assert.equal(third.files.length, 1);
    const rerun = JSON.stringify(server.requestsFor(modelOf(winner.modelId)).slice(before).map((r) => r.body));
    assert.match(rerun, new RegExp(marker));
    await vscode.commands.executeCommand('sale.review.decideAll', { decision: 'accepted' });
    await vscode.commands.executeCommand('sale.applyAccepted');
    assert.equal(fs.readFileSync(path.join(root(), 'notes/restore.md'), 'utf8'), 'THIRD\n');

    const facts = (await api.ledgerLines()).filter((l): l is AuctionFact => l.kind === 'auction' && l.auctionId === auctionId);
    assert.deepEqual(
      facts.filter((f) => f.outcome !== undefined).map((f) => [f.bidId, f.outcome]),
      [
        [winner.bidId, 'rejected'],
        [other.id, 'rejected'],
        [winner.bidId, 'accepted'],
      ],
    );
    await vscode.commands.executeCommand('sale.undoLastAuction');
  });
});
