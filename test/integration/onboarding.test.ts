// First run without JSON, in a real VS Code: the empty pool's one notice, "Add Model…" against loopback servers
// (the model list fetched live through each SDK, price, key into Secret Storage, the probe, User and Workspace
// settings), an auction the added models run and win, and "Manage Models…". Only the
// QuickInput dialogs are replaced, by scripted answers at the flows' UI boundary (scriptedUi.ts).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExecutionView } from '../../src/common/protocol/executionView';
import type { AddModelResult } from '../../src/vscode/onboarding/addModel';
import { LoopbackServer } from '../fixtures/loopback/server';
import type { ChatReply } from '../fixtures/loopback/types';
import { marketScript, WINNER_ID } from '../fixtures/market';
import { activateSale, waitFor, withSettings } from './helpers';
import { back, escape, expect, pick, pickMany, ScriptedUi, type } from './scriptedUi';

const KEY = 'sk-onboarding-canary-9e8d7c6b';
const TASK = 'Add input validation to parseConfig';
// Only the executor's requests carry both tools and the task (the probe's tool call must not take these).
const tools = (name: string, args: unknown, id: string): ChatReply => ({ kind: 'chat', when: { tools: true, contains: TASK }, toolCalls: [{ id, name, arguments: JSON.stringify(args) }], usage: { input: 800, output: 60 } });

type Scoped = { globalValue?: unknown; workspaceValue?: unknown };
const inspectModels = () => vscode.workspace.getConfiguration('sale').inspect<unknown[]>('models') as Scoped;
const ids = (v: unknown) => (Array.isArray(v) ? v.map((e: { id?: string }) => e.id) : []);

async function setModels(user: unknown, workspace: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration('sale');
  await config.update('models', user, vscode.ConfigurationTarget.Global);
  await config.update('models', workspace, vscode.ConfigurationTarget.Workspace);
}

describe('first run without JSON: Add Model, Manage Models, the empty pool', function () {
  this.timeout(120_000);
  let server: LoopbackServer;
  let before_: Scoped;
  let detectBefore: unknown;
  let restoreCap: (() => Promise<void>) | undefined;

  before(async () => {
    await activateSale();
    before_ = inspectModels();
    detectBefore = vscode.workspace.getConfiguration('sale').inspect('localServers.detect')?.globalValue;
    await vscode.workspace.getConfiguration('sale').update('localServers.detect', false, vscode.ConfigurationTarget.Global);
    // The overhead cap would drop the jury: the market's scripted bids cost about its execution estimate.
    restoreCap = await withSettings({ 'auction.maxOverheadShare': 10 });
    await setModels(undefined, undefined);
    // The market's replies (bids, judgements, probe answers) plus the executor's two tool calls for the winner.
    server = await LoopbackServer.start(
      marketScript({ extra: { 'gpt-small-loop': [tools('propose_edit', { path: 'README.md', edits: [{ search: '# ', replace: '# (SALE) ' }] }, 'x1'), tools('finish', { summary: 'README title' }, 'x2')] } }),
    );
  });

  after(async () => {
    await restoreCap?.();
    await setModels(before_?.globalValue, before_?.workspaceValue);
    await vscode.workspace.getConfiguration('sale').update('localServers.detect', detectBefore, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('an empty pool is said once, in the panel\'s notice, with Add Model, Detect Local Servers and Open Walkthrough', async () => {
    const api = await activateSale();
    const notice = await waitFor('the empty-pool notice', () => (api.panelState().notice?.actions.some((a) => a.command === 'addModel') ? api.panelState().notice : undefined));
    assert.deepEqual(notice?.actions.map((a) => a.command), ['addModel', 'detectLocalServers', 'openWalkthrough']);
    const task = `Anything (${Date.now()})`;
    await vscode.commands.executeCommand('sale.auctionTask', { task });
    await waitFor('the task in the panel', () => api.panelState().task?.text === task);
    // The auction that could not start leaves no view behind that would repeat the message in red.
    await waitFor('the auction view to be gone', () => api.panelState().auction === null, 15_000);
    assert.equal(api.panelState().notice?.message, notice?.message);
  });

  it('adds an OpenAI-format model: key saved at once, the list fetched live with that key, a typed price, User settings, probed', async () => {
    const ui = new ScriptedUi(
      expect((s) => assert.equal(s.canGoBack, false), pick('OpenAI')),
      expect((s) => assert.equal(s.value, 'https://api.openai.com/v1', 'prefilled'), type(server.openaiBaseUrl)),
      expect((s) => assert.match(s.prompt ?? '', /Secret Storage/), type(KEY)),
      expect((s) => assert.ok(s.labels.includes('gpt-small-loop') && s.labels.includes('claude-large-loop'), s.labels.join()), pick('gpt-small-loop')),
      // The table does not know this name and the server is on this machine: free comes first.
      expect((s) => assert.deepEqual(s.labels, ['Free / local', 'Enter a price…', 'Unknown']), pick('Enter a price')),
      type('0.4, 1.6'),
      expect((s) => assert.deepEqual(s.labels.length, 2), pick('User settings')),
    );
    const r = await vscode.commands.executeCommand<AddModelResult | undefined>('sale.addModel', { ui });
    assert.equal(ui.remaining, 0);
    assert.equal(r?.id, 'gpt-small-loop');
    assert.deepEqual(inspectModels().globalValue, [{ id: 'gpt-small-loop', provider: 'openai', model: 'gpt-small-loop', baseUrl: server.openaiBaseUrl, price: { inputPerMTok: 0.4, outputPerMTok: 1.6 } }]);
    assert.equal(r?.connection?.ok, true, r?.connection?.message);
    assert.equal(r?.connection?.capabilities?.logprobs, true);
    const list = server.requests.find((q) => q.api === 'models' && !q.headers['anthropic-version']);
    assert.equal(list?.headers.authorization, `Bearer ${KEY}`, 'the list was fetched with the key just typed');
    assert.ok(server.requests.some((q) => q.api === 'openai-chat' && q.model === 'gpt-small-loop' && q.headers.authorization === `Bearer ${KEY}`), 'probed with the stored key');
  });

  it('adds an Anthropic-format model to the Workspace settings, from Anthropic\'s model list, joined with the User\'s', async () => {
    const ui = new ScriptedUi(
      pick('Anthropic'),
      type(server.url),
      type(KEY),
      expect((s) => assert.ok(s.labels.includes('claude-large-loop')), pick('claude-large-loop')),
      pick('Enter a price'),
      type('$3 / $15'),
      pick('Workspace settings'),
    );
    const r = await vscode.commands.executeCommand<AddModelResult | undefined>('sale.addModel', { ui });
    assert.equal(r?.connection?.ok, true, r?.connection?.message);
    assert.equal(r?.connection?.capabilities?.logprobs, false);
    assert.deepEqual(ids(inspectModels().workspaceValue), ['claude-large-loop']);
    assert.deepEqual(ids(inspectModels().globalValue), ['gpt-small-loop']);
    assert.ok(server.requests.some((q) => q.api === 'models' && q.headers['anthropic-version']), 'listed in Anthropic\'s format');
  });

  it('the two added models run an auction, the cheaper one wins and its run proposes an edit', async () => {
    const api = await activateSale();
    await waitFor('the empty-pool notice to go', () => api.panelState().notice?.actions.every((a) => a.command !== 'addModel') ?? true);
    const task = `${TASK} (${Date.now()})`;
    await vscode.commands.executeCommand('sale.auctionTask', { task });
    const auction = await waitFor('the auction', () => {
      const a = api.panelState().auction;
      return a && a.task === task && a.status !== 'running' ? a : undefined;
    }, 60_000);
    assert.equal(auction.status, 'completed', JSON.stringify(auction.error));
    assert.deepEqual(auction.cards.map((c) => c.modelId).sort(), ['claude-large-loop', 'gpt-small-loop']);
    assert.equal(auction.winner?.modelId, 'gpt-small-loop', `the market's winner (${WINNER_ID}) under the name Add Model gave it`);
    const view = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid');
    assert.equal(view?.status, 'finished', JSON.stringify(view?.error));
    assert.deepEqual(view?.files.map((f) => f.path), ['README.md'], JSON.stringify(view?.log.slice(-4)));
    await vscode.commands.executeCommand('sale.review.decideAll', { decision: 'rejected' });
  });

  it('Back returns to the step before; a failed list says why and takes a typed name; Escape keeps the key already saved', async () => {
    const failing = await LoopbackServer.start({ listModelsError: { kind: 'error', status: 500, message: 'model registry down' } });
    try {
      const ui = new ScriptedUi(
        pick('OpenAI'),
        type(failing.openaiBaseUrl),
        type(KEY),
        expect((s) => assert.match(s.placeholder ?? '', /model registry down/), pick('Enter a model name')),
        type('gpt-4o'),
        back,
        expect((s) => assert.equal(s.value, 'gpt-4o', 'the name typed is kept'), type('gpt-5-mini')),
        expect((s) => assert.match(s.labels[0] ?? '', /\$0\.25 in · \$2 out/), pick('$0.25')),
        escape,
      );
      const r = await vscode.commands.executeCommand<AddModelResult | undefined>('sale.addModel', { ui });
      assert.equal(r, undefined);
      assert.equal(ui.remaining, 0);
      assert.deepEqual(ids(inspectModels().globalValue), ['gpt-small-loop'], 'nothing written');
      // The key typed before Escape is in Secret Storage: the next flow for that endpoint skips the key step.
      const again = new ScriptedUi(pick('OpenAI'), type(failing.openaiBaseUrl), expect((s) => assert.equal(s.kind, 'pick', 'no key asked again'), escape));
      await vscode.commands.executeCommand('sale.addModel', { ui: again });
      assert.equal(again.remaining, 0);
    } finally {
      await failing.close();
    }
  });

  it('Manage Models disables, re-roles and removes, each in the scope the model came from', async () => {
    const ui = new ScriptedUi(
      expect((s) => assert.deepEqual(s.labels.slice(0, 2).map((l) => l.replace(/^\$\([^)]+\) /, '')), ['gpt-small-loop', 'claude-large-loop']), pick('claude-large-loop')),
      pick('Disable'),
      pick('gpt-small-loop'),
      pick('Change roles'),
      pickMany('bidder', 'executor'),
      pick('claude-large-loop'),
      pick('Remove'),
      escape,
    );
    await vscode.commands.executeCommand('sale.manageModels', { ui });
    assert.equal(ui.remaining, 0);
    assert.deepEqual(inspectModels().workspaceValue, undefined, 'the workspace list emptied is removed');
    assert.deepEqual(inspectModels().globalValue, [{ id: 'gpt-small-loop', provider: 'openai', model: 'gpt-small-loop', baseUrl: server.openaiBaseUrl, price: { inputPerMTok: 0.4, outputPerMTok: 1.6 }, roles: ['bidder', 'executor'] }]);
  });
});
