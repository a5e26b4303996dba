// A shadow run in a real VS Code on a real git workspace: the user runs and accepts the cheap model's bid; the
// auction's reference (the dear model) then does the task in a throw-away worktree outside the workspace, the test
// command runs there, the worktree is removed, the user's git state is byte-identical, and the shadow's cost and
// result land in the ledger and make that auction's saving measured in the cost report.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { buildCostReport } from '../../src/common/ledger/report';
import type { ExecutionView } from '../../src/common/protocol/executionView';
import type { SaleApi } from '../../src/vscode/api';
import type { ApplyReport } from '../../src/vscode/execution/reviewSession';
import { LoopbackServer } from '../fixtures/loopback/server';
import type { ChatReply } from '../fixtures/loopback/types';
import { activateSale, scriptProbe, waitFor, withSettings } from './helpers';

const BID = JSON.stringify({ summary: 'Add a note', steps: ['Write notes/shadow.md'], files: ['notes/shadow.md'], risks: ['none'], verification: ['node --test test/'] });
const TEST_COMMAND = 'node --test test/';

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has a workspace folder');
  return folder.uri.fsPath;
}
const git = (...args: string[]) => execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], { cwd: root(), encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
const gitDir = () => path.resolve(root(), git('rev-parse', '--git-dir').trim());
const userGitState = () => ({
  head: git('rev-parse', 'HEAD'),
  // The apply's own checkpoint ref (refs/sale/checkpoints/…, for undo) is SALE's, made by the apply, not the shadow run.
  refs: git('for-each-ref').split('\n').filter((l) => !l.includes('\trefs/sale/checkpoints/')).join('\n'),
  stash: git('stash', 'list'),
  index: fs.readFileSync(path.join(gitDir(), 'index')).toString('base64'),
  worktrees: git('worktree', 'list', '--porcelain').match(/^worktree /gm)?.length,
});
const call = (name: string, args: unknown, id: string) => ({ id, name, arguments: JSON.stringify(args) });
const tools = (...toolCalls: ReturnType<typeof call>[]): ChatReply => ({ kind: 'chat', when: { tools: true }, toolCalls, usage: { input: 1000, output: 100 } });

describe('shadow runs', function () {
  this.timeout(180_000);
  let api: SaleApi;
  let server: LoopbackServer;
  let restore: () => Promise<void>;
  const cheap = `shadow-cheap-${Date.now()}`;
  const dear = `shadow-dear-${Date.now()}`;

  before(async () => {
    api = await activateSale();
    server = await LoopbackServer.start();
    scriptProbe(server, cheap);
    scriptProbe(server, dear);
    server.setDefault({ kind: 'chat', text: BID, usage: { input: 200, output: 120 } });
    restore = await withSettings({
      'localServers.detect': false,
      'auction.jury.mode': 'none',
      'auction.refinement.enabled': false,
      'agent.testCommand': TEST_COMMAND,
      'shadowRuns.share': 1,
      'shadowRuns.maxDollarsPerRun': 5,
      models: [
        { id: 'cheap', provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, model: cheap, price: { inputPerMTok: 1, outputPerMTok: 2 }, roles: ['bidder', 'executor'] },
        { id: 'dear', provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, model: dear, price: { inputPerMTok: 10, outputPerMTok: 40 }, roles: ['bidder', 'executor'] },
      ],
    });
  });

  after(async () => {
    await restore?.();
    await server?.close();
  });

  it("measures an accepted cheap run's saving with a shadow run of the reference, outside the workspace, leaving git as it was", async () => {
    // The harness's own `.vscode/settings.json` may show as untracked on a fresh clone; the task's file must not.
    assert.ok(!git('status', '--porcelain').includes('notes/'), 'the sample has no notes/ yet');
    await vscode.commands.executeCommand('sale.auctionTask', { task: 'Add a note about shadow runs' });
    const auction = await waitFor('the auction to end', () => (api.panelState().auction?.status === 'completed' ? api.lastAuctionResult() : undefined));
    const cheapBid = auction.bids.find((b) => b.modelId === 'cheap');
    assert.ok(cheapBid && auction.bids.some((b) => b.modelId === 'dear'), 'both models bid');

    server.script(cheap, tools(call('create_file', { path: 'notes/shadow.md', content: 'by the cheap model\n' }, 'c1')), tools(call('finish', { summary: 'note added' }, 'c2')));
    server.script(dear, tools(call('create_file', { path: 'notes/shadow.md', content: 'by the dear model\n' }, 'd1')), tools(call('finish', { summary: 'note added' }, 'd2')));
    api.approveShadowTests(TEST_COMMAND);
    const view = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid', { auctionId: auction.auctionId, bidId: cheapBid.id });
    assert.equal(view?.files.length, 1, JSON.stringify({ status: view?.status, log: view?.log.slice(-5) }));
    const before = userGitState();
    await vscode.commands.executeCommand('sale.review.decideAll', { decision: 'accepted' });
    const applied = await vscode.commands.executeCommand<ApplyReport | undefined>('sale.applyAccepted');
    assert.deepEqual(applied?.written, ['notes/shadow.md']);
    const statusAfterApply = git('status', '--porcelain');

    // The shadow run starts from the accepted review; wait until it has recorded its result.
    await waitFor('the shadow run to start', async () => (await api.ledgerLines()).some((l) => l.kind === 'call' && l.call.phase === 'shadow') || undefined, 60_000);
    await api.shadowRunsIdle();
    const lines = await api.ledgerLines();
    const shadowFact = lines.find((l) => l.kind === 'auction' && l.auctionId === auction.auctionId && l.shadow);
    assert.deepEqual(shadowFact?.kind === 'auction' ? shadowFact.shadow : undefined, { modelId: 'dear', result: 'passed' });
    const shadowCalls = lines.filter((l) => l.kind === 'call' && l.call.phase === 'shadow');
    assert.ok(shadowCalls.length >= 2 && shadowCalls.every((l) => l.kind === 'call' && l.call.modelId === 'dear' && l.call.auctionId === auction.auctionId && (l.dollars ?? 0) > 0));

    // The user's tree holds the cheap model's work only; git is byte-identical; the shadow worktree is gone.
    assert.equal(fs.readFileSync(path.join(root(), 'notes/shadow.md'), 'utf8'), 'by the cheap model\n');
    assert.equal(git('status', '--porcelain'), statusAfterApply);
    assert.deepEqual(userGitState(), before);
    assert.equal(before.worktrees, 1);

    const report = buildCostReport(lines, { scope: 'shadow' });
    const row = report.auctions.find((a) => a.auctionId === auction.auctionId);
    assert.deepEqual([row?.referenceModelId, row?.verdict, row?.basis, row?.shadow], ['dear', 'accepted', 'measured', 'passed']);
    assert.ok((report.counterfactual?.shadow.spend.knownUsd ?? 0) > 0, 'the shadow runs have their own spend line');
    assert.ok((report.byPhase.find((p) => p.phase === 'shadow')?.calls ?? 0) >= 2);

    await vscode.commands.executeCommand('sale.undoLastAuction');
    assert.equal(fs.existsSync(path.join(root(), 'notes/shadow.md')), false);
  });
});
