// The winner's run inside a real VS Code: a loopback model (OpenAI wire format, native tool calls) reads files and
// proposes edits; the test reviews per file and per hunk through the commands, edits a file on disk while the agent
// runs, applies, checks the disk and git, then undoes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ExecutionView } from '../../src/common/protocol/executionView';
import type { SaleApi } from '../../src/vscode/api';
import type { ApplyReport } from '../../src/vscode/execution/reviewSession';
import { LoopbackServer } from '../fixtures/loopback/server';
import { scriptProbe, waitFor } from './helpers';
import type { ChatReply, Reply } from '../fixtures/loopback/types';

const EXTENSION_ID = 'sale-dev.sale-vscode';
const BID = JSON.stringify({
  summary: 'Document parseConfig, tidy format.js, note it in the README, add a validator',
  steps: ['Read the three files', 'Edit the comments', 'Add src/validate.js'],
  files: ['src/config.js', 'src/format.js', 'README.md', 'src/validate.js'],
  risks: ['none'],
  verification: ['npm test'],
});
const VALIDATE = "'use strict';\n\nmodule.exports = { isKey: (k) => /^[a-z]+$/.test(k) };\n";

function root(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test window has a workspace folder');
  return folder.uri.fsPath;
}
const git = (...args: string[]) => execFileSync('git', args, { cwd: root(), encoding: 'utf8' });
const read = (rel: string) => fs.readFileSync(path.join(root(), rel));
const exists = (rel: string) => fs.existsSync(path.join(root(), rel));
const gitState = () => ({ head: git('rev-parse', 'HEAD'), branch: git('branch', '--show-current'), cached: git('diff', '--cached'), stash: git('stash', 'list') });

async function until<T>(what: string, probe: () => T | undefined | false, deadlineMs = 30_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const call = (name: string, args: unknown, id: string) => ({ id, name, arguments: JSON.stringify(args) });
const tools = (...toolCalls: ReturnType<typeof call>[]): ChatReply => ({ kind: 'chat', when: { tools: true }, toolCalls, usage: { input: 1000, output: 100 } });

describe('executing the winner and reviewing its edits', function () {
  this.timeout(120_000);
  let api: SaleApi;
  let server: LoopbackServer;
  const model = `exec-model-${Date.now()}`;

  before(async () => {
    const ext = vscode.extensions.getExtension<SaleApi>(EXTENSION_ID);
    assert.ok(ext);
    const activated = await ext.activate();
    assert.ok(activated);
    api = activated;
    server = await LoopbackServer.start();
    // The capability probe's tool and structured calls come first; every other plain call (the probe's text call,
    // the bid) gets the bid text.
    scriptProbe(server, model);
    server.setDefault({ kind: 'chat', text: BID, usage: { input: 200, output: 120 } });
    const sale = vscode.workspace.getConfiguration('sale');
    await sale.update('localServers.detect', false, vscode.ConfigurationTarget.Global);
    await sale.update('auction.jury.mode', 'none', vscode.ConfigurationTarget.Global);
    await sale.update('auction.refinement.enabled', false, vscode.ConfigurationTarget.Global);
    await sale.update(
      'models',
      [{ id: 'executor', provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, model, price: { inputPerMTok: 1, outputPerMTok: 2 }, roles: ['bidder', 'executor'] }],
      vscode.ConfigurationTarget.Global,
    );
    await vscode.commands.executeCommand('sale.auctionTask', { task: 'Document parseConfig and add a key validator' });
    const auction = await until('the auction to end', () => (api.panelState().auction?.status === 'completed' && api.panelState().auction?.winner ? api.panelState().auction : undefined));
    assert.equal(auction?.winner?.modelId, 'executor');
  });

  after(async () => {
    const sale = vscode.workspace.getConfiguration('sale');
    for (const key of ['models', 'localServers.detect', 'auction.jury.mode', 'auction.refinement.enabled']) await sale.update(key, undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('applies only accepted hunks and files, refuses a file changed during the run, leaves git alone, and undoes byte for byte', async () => {
    const before = gitState();
    assert.equal(git('status', '--porcelain'), '', 'the sample starts clean');
    const original = { config: read('src/config.js'), format: read('src/format.js'), readme: read('README.md') };
    server.script(
      model,
      tools(call('read_file', { path: 'src/config.js' }, 'c1'), call('read_file', { path: 'src/format.js' }, 'c2'), call('read_file', { path: 'README.md' }, 'c3')),
      tools(
        call('propose_edit', { path: 'src/config.js', edits: [
          { search: ' * Parses a `key = value` config file into an object.\n', replace: ' * Parses a `key = value` config file into a plain object.\n' },
          { search: '    result[key.trim()] = value.trim();\n', replace: '    result[key.trim()] = (value ?? \'\').trim();\n' },
        ] }, 'c4'),
        call('propose_edit', { path: 'src/format.js', content: original.format.toString('utf8').replace('sorted by key', 'sorted by key name') }, 'c5'),
        call('propose_edit', { path: 'README.md', edits: [{ search: '# Sample workspace for SALE\n', replace: '# Sample workspace for SALE (edited by the agent)\n' }] }, 'c6'),
        call('create_file', { path: 'src/validate.js', content: VALIDATE }, 'c7'),
      ),
      // The last reply is slow, so the test can change README.md on disk while the agent is still running.
      { kind: 'slow', delayMs: 1500, when: { tools: true }, reply: tools(call('finish', { summary: 'Done: four files' }, 'c8')) } satisfies Reply,
    );

    const running = vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid');
    await until('README.md to be staged', () => api.panelState().execution?.log.some((l) => l.kind === 'edit' && l.label === 'README.md'));
    const userReadme = '# My own title, typed while the agent ran\n';
    fs.writeFileSync(path.join(root(), 'README.md'), userReadme);
    const view = await running;

    assert.equal(view?.status, 'finished');
    assert.equal(view.summary, 'Done: four files');
    // The bid asked for the auction's reasoning effort (the setting's default, low); the run's calls ask for none,
    // so the winner reasons at its provider's default.
    assert.equal(server.requests.find((r) => r.rawBody.includes('You are bidding'))?.body?.reasoning_effort, 'low');
    const runCalls = server.requests.filter((r) => r.api === 'openai-chat' && r.rawBody.includes('propose_edit'));
    assert.ok(runCalls.length >= 3 && runCalls.every((r) => r.body !== undefined && !('reasoning_effort' in r.body)), `${runCalls.length} agent calls, none with reasoning_effort`);
    assert.ok(view.tokens > 0, 'tokens were counted');
    assert.ok(view.dollars !== null && view.dollars > 0, 'dollars were counted from the configured price');
    assert.deepEqual(view.files.map((f) => f.path), ['README.md', 'src/config.js', 'src/format.js', 'src/validate.js']);
    const config = view.files.find((f) => f.path === 'src/config.js');
    assert.equal(config?.hunks.length, 2, 'two separate hunks in config.js');
    assert.equal(read('src/config.js').toString(), original.config.toString(), 'nothing is written before the review');
    assert.equal(exists('src/validate.js'), false);

    await vscode.commands.executeCommand('sale.review.decide', { path: 'src/config.js', hunk: 0, decision: 'accepted' });
    await vscode.commands.executeCommand('sale.review.decide', { path: 'src/config.js', hunk: 1, decision: 'rejected' });
    await vscode.commands.executeCommand('sale.review.decide', { path: 'src/format.js', decision: 'rejected' });
    await vscode.commands.executeCommand('sale.review.decide', { path: 'README.md', decision: 'accepted' });
    await vscode.commands.executeCommand('sale.review.decide', { path: 'src/validate.js', decision: 'accepted' });
    assert.deepEqual(api.panelState().execution?.files.map((f) => f.decision), ['accepted', 'partial', 'rejected', 'accepted']);

    const applied = await vscode.commands.executeCommand<ApplyReport | undefined>('sale.applyAccepted');
    assert.deepEqual(applied?.written.sort(), ['src/config.js', 'src/validate.js']);
    assert.deepEqual(applied.conflicts, ['README.md']);

    const expectedConfig = original.config.toString('utf8').replace('config file into an object.', 'config file into a plain object.');
    assert.equal(read('src/config.js').toString('utf8'), expectedConfig, 'only the accepted hunk is on disk');
    assert.deepEqual(read('src/format.js'), original.format, 'the rejected file is untouched');
    assert.equal(read('README.md').toString('utf8'), userReadme, 'the user\'s newer text is not clobbered');
    assert.equal(read('src/validate.js').toString('utf8'), VALIDATE);
    assert.equal(git('status', '--porcelain'), ' M README.md\n M src/config.js\n?? src/validate.js\n');
    assert.deepEqual(gitState(), before, 'HEAD, branch, index and stash are as before');
    const after = api.panelState().execution;
    assert.equal(after?.review, 'applied');
    assert.match(after.files.find((f) => f.path === 'README.md')?.conflict ?? '', /changed after the agent read it/);

    await vscode.commands.executeCommand('sale.undoLastAuction');
    assert.deepEqual(read('src/config.js'), original.config, 'undo restores the bytes');
    assert.equal(exists('src/validate.js'), false, 'undo removes the created file');
    assert.equal(read('README.md').toString('utf8'), userReadme, 'undo leaves the file it did not apply');
    assert.equal(git('status', '--porcelain'), ' M README.md\n');
    assert.deepEqual(gitState(), before);
    assert.equal(api.panelState().execution?.review, 'undone');
    fs.writeFileSync(path.join(root(), 'README.md'), original.readme);

    // The memory holds the real outcome: execution cost, the review per file and hunk, and the undo.
    const outcomes = await api.memoryOutcomes(view.auctionId ?? '');
    const cost = outcomes.find((o) => o.type === 'execution-cost');
    assert.ok(cost?.type === 'execution-cost' && cost.inputTokens === 3000 && cost.outputTokens === 300 && (cost.dollars ?? 0) > 0);
    const review = outcomes.find((o) => o.type === 'review');
    assert.deepEqual(review?.type === 'review' ? review.files : undefined, [
      { path: 'README.md', decision: 'accepted' },
      { path: 'src/config.js', decision: 'partial', hunks: [{ index: 0, accepted: true }, { index: 1, accepted: false }] },
      { path: 'src/format.js', decision: 'rejected' },
      { path: 'src/validate.js', decision: 'accepted' },
    ]);
    const undone = outcomes.find((o) => o.type === 'undone');
    assert.deepEqual(undone?.type === 'undone' ? undone.files?.slice().sort() : undefined, ['src/config.js', 'src/validate.js']);
  });

  it('applies a proposal the user edited before accepting it', async () => {
    const original = read('src/format.js');
    server.script(
      model,
      tools(call('propose_edit', { path: 'src/format.js', edits: [{ search: 'sorted by key', replace: 'sorted by the agent' }] }, 'e1')),
      tools(call('finish', { summary: 'one edit' }, 'e2')),
    );
    const view = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid');
    assert.equal(view?.files.length, 1);
    const copy = await vscode.commands.executeCommand<vscode.Uri>('sale.review.editProposal', { path: 'src/format.js' });
    const doc = await vscode.workspace.openTextDocument(copy);
    assert.match(doc.getText(), /sorted by the agent/);
    const mine = doc.getText().replace('sorted by the agent', 'sorted by me');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(copy, doc.validateRange(new vscode.Range(0, 0, 1e6, 0)), mine);
    assert.ok(await vscode.workspace.applyEdit(edit));
    // "Open diff" shows the file against the (now user-edited) proposal, read-only, in VS Code's diff editor.
    await vscode.commands.executeCommand('sale.review.openDiff', { path: 'src/format.js' });
    const tab = await until('the diff tab', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff && input.modified.scheme === 'sale-proposed' ? input : undefined;
    });
    assert.equal(tab.original.fsPath, path.join(root(), 'src/format.js'));
    assert.equal((await vscode.workspace.openTextDocument(tab.modified)).getText(), mine);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('sale.review.decideAll', { decision: 'accepted' });
    const applied = await vscode.commands.executeCommand<ApplyReport | undefined>('sale.applyAccepted');
    assert.deepEqual(applied?.written, ['src/format.js']);
    assert.equal(read('src/format.js').toString('utf8'), mine);
    assert.equal(api.panelState().execution?.files[0]?.editedByUser, true);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('sale.undoLastAuction');
    assert.deepEqual(read('src/format.js'), original);
    assert.equal(git('status', '--porcelain'), '');
  });

  it('refuses to stage edits to a file with unsaved changes in an editor', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root(), 'src/config.js')));
    const editor = await vscode.window.showTextDocument(doc);
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// typing, not saved\n')));
    assert.ok(doc.isDirty);
    server.script(
      model,
      tools(call('propose_edit', { path: 'src/config.js', edits: [{ search: "'use strict';", replace: "'use strict'; // agent" }] }, 'd1')),
      tools(call('finish', { summary: 'could not edit' }, 'd2')),
    );
    const view = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid');
    assert.equal(view?.status, 'finished');
    assert.deepEqual(view.files, [], 'nothing staged for the dirty file');
    const result = view.log.find((l) => l.kind === 'tool' && l.label === 'propose_edit');
    assert.equal(result?.status, 'error');
    assert.match(result.detail, /unsaved changes/);
    const sent = JSON.stringify(server.requestsFor(model).at(-1)?.body);
    assert.match(sent, /unsaved changes in an editor/, 'the model was told why');
    // Take the typing back out and save. The save's own result is not asserted: VS Code may abort one save
    // when another (an auto-save of the typing) is in flight ("Aborted onWillSaveTextDocument-event"), which says
    // nothing about SALE; what matters is that the editor ends clean with the committed bytes on disk.
    assert.ok(await editor.edit((b) => b.delete(new vscode.Range(0, 0, 1, 0))));
    const committed = git('show', 'HEAD:src/config.js');
    await waitFor('the editor to be saved with the committed text', async () => {
      if (doc.isDirty) await doc.save();
      return !doc.isDirty && fs.readFileSync(path.join(root(), 'src/config.js'), 'utf8') === committed ? true : undefined;
    });
    assert.equal(git('status', '--porcelain'), '');
  });

  it('runs the tests after apply and records whether they passed with the auction', async () => {
    server.script(
      model,
      tools(call('create_file', { path: 'notes/tested.md', content: 'Checked by the tests after apply.\n' }, 't1')),
      tools(call('finish', { summary: 'one file' }, 't2')),
    );
    const view = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid');
    assert.equal(view?.files.length, 1, JSON.stringify({ status: view?.status, log: view?.log.slice(-5) }));
    const auctionId = view?.auctionId;
    assert.ok(auctionId);
    await vscode.commands.executeCommand('sale.review.decideAll', { decision: 'accepted' });
    await vscode.commands.executeCommand<ApplyReport | undefined>('sale.applyAccepted');
    const sale = vscode.workspace.getConfiguration('sale');
    try {
      // The sample project's own tests, then a command that fails.
      await sale.update('agent.testCommand', 'node --test test/', vscode.ConfigurationTarget.Global);
      const passed = await vscode.commands.executeCommand<{ passed: boolean; exitCode?: number } | undefined>('sale.runTests', { skipConfirmation: true });
      assert.deepEqual([passed?.passed, passed?.exitCode], [true, 0]);
      await sale.update('agent.testCommand', 'node -e "process.exit(3)"', vscode.ConfigurationTarget.Global);
      const failed = await vscode.commands.executeCommand<{ passed: boolean; exitCode?: number } | undefined>('sale.runTests', { skipConfirmation: true });
      assert.deepEqual([failed?.passed, failed?.exitCode], [false, 3]);
    } finally {
      await sale.update('agent.testCommand', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('sale.undoLastAuction');
    }
    const tests = (await api.memoryOutcomes(auctionId)).filter((o) => o.type === 'tests');
    assert.deepEqual(tests.map((t) => (t.type === 'tests' ? [t.command, t.passed] : [])), [['node --test test/', true], ['node -e "process.exit(3)"', false]]);
    assert.equal(exists('notes/tested.md'), false, 'undo removed the created file');
  });

  it('cancels a run from the command; nothing is written', async () => {
    server.script(
      model,
      tools(call('propose_edit', { path: 'src/format.js', edits: [{ search: 'sorted by key', replace: 'sorted, cancelled' }] }, 'x1')),
      { kind: 'slow', delayMs: 20_000, when: { tools: true }, reply: tools(call('finish', { summary: 'never' }, 'x2')) } satisfies Reply,
    );
    const running = vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid');
    await until('src/format.js to be staged', () => api.panelState().execution?.log.some((l) => l.kind === 'edit' && l.label === 'src/format.js'));
    await vscode.commands.executeCommand('sale.cancelExecution');
    const view = await running;
    assert.equal(view?.status, 'cancelled');
    assert.deepEqual(view.files.map((f) => f.path), ['src/format.js'], 'what was staged stays reviewable');
    assert.equal(git('status', '--porcelain'), '', 'nothing was written');
  });
});
