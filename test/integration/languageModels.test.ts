// Models VS Code already has, through its Language Model API, in a real VS Code. code-server ships no Copilot, so
// the test extension in test/fixtures/lm-provider-extension plays its part: it contributes a chat model with
// `vscode.lm.registerLanguageModelChatProvider` and answers by forwarding each request to the loopback server.
// SALE lists it, probes it, lets it bid, judge and win, runs it as the executor with tool calls through the API,
// and the ledger records every call as one premium request × its multiplier.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExecutionView } from '../../src/common/protocol/executionView';
import type { ConnectionResult } from '../../src/vscode/providers/testConnections';
import { LoopbackServer } from '../fixtures/loopback/server';
import type { BatchJudgementReply, ChatReply } from '../fixtures/loopback/types';
import type { AddModelResult } from '../../src/vscode/onboarding/addModel';
import { activateSale, auctionToEnd, waitFor, withSettings } from './helpers';
import { expect, pick, ScriptedUi } from './scriptedUi';

const PROVIDER_EXTENSION = 'sale-dev.sale-lm-test-provider';
const LM_ID = 'loop-lm';
const WIRE = `lm-wire-${Date.now()}`;
const QWEN = `qwen-wire-${Date.now()}`;
const PER_REQUEST = 0.04;
const MULTIPLIER = 2;
const REQUEST_USD = PER_REQUEST * MULTIPLIER;

const REFUSING_ID = 'refusing-lm';

interface ProviderApi {
  configure(config: { baseUrl: string; models: { id: string; wire: string; toolCalling: boolean; refuse?: boolean }[] }): void;
  requests(): { model: string; toolMode: number; tools: number }[];
}

const plan = (id: string) => ({
  summary: `Validate parseConfig input (plan-by-${id})`,
  steps: ['Read src/config.js', 'Reject lines without "="', 'Add a test'],
  files: ['src/config.js'],
  risks: ['none'],
  verification: ['npm test'],
});
const usage = { input: 100, output: 20 };
const batchJudgement: BatchJudgementReply = {
  kind: 'batch-judgement',
  scores: [
    { contains: 'plan-by-copilot-loop', score: 5 },
    { contains: 'plan-by-qwen', score: 2 },
  ],
  usage,
};
const toolCall = (name: string, args: unknown, id: string): ChatReply => ({ kind: 'chat', when: { tools: true }, toolCalls: [{ id, name, arguments: JSON.stringify(args) }], usage });

describe("models of VS Code's Language Model API (a test provider standing in for Copilot)", function () {
  this.timeout(120_000);
  let server: LoopbackServer;
  let provider: ProviderApi;
  let restore: (() => Promise<void>) | undefined;

  before(async () => {
    server = await LoopbackServer.start({
      models: {
        // Through the API, structured output is a forced tool: the model answers by calling it.
        [WIRE]: [
          { kind: 'chat', when: { contains: 'Answer with JSON' }, toolCalls: [{ name: 'status', arguments: '{"ok":true}' }], usage },
          { kind: 'chat', when: { contains: 'You are bidding' }, toolCalls: [{ name: 'strategy_bid', arguments: JSON.stringify(plan('copilot-loop')) }], usage },
          // The batched jury (the default): one call scores both plans, answered through the forced tool.
          batchJudgement,
        ],
        [QWEN]: [
          { kind: 'chat', when: { contains: 'You are bidding' }, text: JSON.stringify(plan('qwen')), usage },
          batchJudgement,
        ],
      },
      default: [
        { kind: 'chat', when: { tools: true }, toolCalls: [{ name: 'report_status', arguments: '{"ok":true}' }], usage },
        { kind: 'chat', when: { structured: true }, text: '{"ok":true}', usage },
        { kind: 'chat', text: 'ready', usage },
      ],
    });
    const ext = vscode.extensions.getExtension<ProviderApi>(PROVIDER_EXTENSION);
    assert.ok(ext, `the test provider ${PROVIDER_EXTENSION} is loaded beside SALE`);
    provider = await ext.activate();
    provider.configure({
      baseUrl: server.openaiBaseUrl,
      models: [
        { id: LM_ID, wire: WIRE, toolCalling: true },
        { id: REFUSING_ID, wire: 'never-sent', toolCalling: true, refuse: true },
      ],
    });
    await waitFor('VS Code to offer the test model', async () => ((await vscode.lm.selectChatModels({ vendor: 'sale-test' })).length ? true : undefined));
  });

  after(async () => {
    await vscode.commands.executeCommand('sale.review.decideAll', { decision: 'rejected' }).then(undefined, () => undefined);
    await restore?.();
    await server?.close();
  });

  it('lists the models VS Code offers as sale.models entries', async () => {
    const api = await activateSale();
    const entries = await api.languageModelPoolEntries();
    assert.deepEqual(
      entries.filter((e) => e.model === LM_ID || e.model === REFUSING_ID).map((e) => e.model).sort(),
      [LM_ID, REFUSING_ID],
    );
    assert.deepEqual(
      entries.filter((e) => e.model === LM_ID),
      [{ id: `sale-test-${LM_ID}`, provider: 'vscode-lm', model: LM_ID, roles: ['bidder', 'juror', 'executor'] }],
    );
  });

  it('"Test Model Connections" reports what the API declares (tools and structured output, no logprobs) without a paid request', async () => {
    const api = await activateSale();
    restore = await withSettings({
      models: [
        { id: 'copilot-loop', provider: 'vscode-lm', model: LM_ID, price: { perRequest: PER_REQUEST, multiplier: MULTIPLIER }, roles: ['bidder', 'juror', 'executor'] },
        { id: 'qwen', provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, model: QWEN, local: true, roles: ['bidder', 'juror'] },
      ],
      'localServers.detect': false,
      'auction.refinement.enabled': false,
      // The premium request must not decide this auction: the test is about the path, the unit tests about the term.
      'auction.weights.cost': 1e-6,
      // Nor may the overhead cap: one premium request for the jury is most of a per-request execution estimate, so
      // the 10% cap would drop the whole jury and the free local model would win on cost alone.
      'auction.maxOverheadShare': 10,
    });
    // The pool strip follows sale.models before any auction: the new model with its price per request.
    const member = await waitFor('the pool strip to list copilot-loop', () => api.panelState().pool.find((m) => m.id === 'copilot-loop'));
    assert.deepEqual(member.perRequest, { usd: PER_REQUEST, multiplier: MULTIPLIER, asOf: null });
    const sent = server.requestsFor(WIRE).length;
    const results = await vscode.commands.executeCommand<ConnectionResult[]>('sale.testConnections');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const lm = results.find((r) => r.modelId === 'copilot-loop');
    assert.ok(lm?.ok, `copilot-loop answered: ${lm?.message ?? ''}`);
    // Each call to a VS Code model is a paid request: the test reads what VS Code declares, and says it sent nothing.
    assert.equal(server.requestsFor(WIRE).length, sent, 'no request was sent to test it');
    assert.equal(lm.latencyMs, undefined);
    assert.deepEqual(
      { streaming: lm.capabilities?.streaming, tools: lm.capabilities?.tools, structured: lm.capabilities?.structuredOutput, logprobs: lm.capabilities?.logprobs },
      { streaming: true, tools: true, structured: true, logprobs: false },
    );
  });

  it('bids, judges and wins an auction; every call is in the ledger as one premium request × the multiplier', async () => {
    const api = await activateSale();
    const task = `Validate parseConfig input (${Date.now()})`;
    const auction = await auctionToEnd(api, task);
    assert.equal(auction.winner?.modelId, 'copilot-loop');
    const card = auction.cards.find((c) => c.modelId === 'copilot-loop');
    assert.equal(card?.status, 'received');
    assert.equal(card.signals.entropy, false, 'no logprobs through the Language Model API: scored on the jury');
    assert.deepEqual(card.judgements.map((j) => j.score).sort(), [5, 5]);

    const member = api.panelState().pool.find((m) => m.id === 'copilot-loop');
    assert.deepEqual(
      { provider: member?.provider, vendor: member?.vendor, status: member?.status, perRequest: member?.perRequest },
      { provider: 'vscode-lm', vendor: 'sale-test', status: 'ready', perRequest: { usd: PER_REQUEST, multiplier: MULTIPLIER, asOf: null } },
    );

    const lines = await api.ledgerLines();
    const calls = lines.flatMap((l) => (l.kind === 'call' && l.call.auctionId === auction.auctionId && l.call.modelId === 'copilot-loop' ? [l] : []));
    // One bid, and one batched jury call over both plans (a per-bid jury would make two).
    assert.deepEqual(calls.map((l) => l.call.phase).sort(), ['bidding', 'jury']);
    for (const l of calls) {
      assert.ok(l.dollars !== null && Math.abs(l.dollars - REQUEST_USD) < 1e-12, `${l.call.phase}: $${String(l.dollars)} = one request at ${MULTIPLIER}×`);
      assert.equal(l.call.usage.requests, 1);
      assert.equal(l.call.usage.counted, true, 'tokens counted with the model\'s countTokens, not reported');
      assert.ok(l.call.usage.inputTokens > 0 && l.call.usage.outputTokens > 0);
      assert.equal(l.call.price?.perRequest, PER_REQUEST);
    }
    assert.ok(Math.abs(auction.cost.bidding.usd - REQUEST_USD) < 1e-12, 'the local model is free; the bid is one request');
    assert.ok(Math.abs(auction.cost.jury.usd - REQUEST_USD) < 1e-12, 'one premium request for the whole jury round');
    // The structured bid went through the API's tool support, forced (toolMode Required) with the one answer tool.
    assert.ok(provider.requests().some((r) => r.model === LM_ID && r.toolMode === 2 && r.tools === 1));
    assert.ok(server.requestsFor(WIRE).some((r) => r.rawBody.includes('"tool_choice"') && r.rawBody.includes('strategy_bid')));
  });

  it('runs as the executor with tool calls through the API, each step a premium request in the ledger', async () => {
    const api = await activateSale();
    server.script(
      WIRE,
      toolCall('read_file', { path: 'src/config.js' }, 'c1'),
      toolCall('propose_edit', { path: 'src/config.js', edits: [{ search: ' * Parses a `key = value` config file into an object.\n', replace: ' * Parses a `key = value` config file into a plain object.\n' }] }, 'c2'),
      toolCall('finish', { summary: 'Documented parseConfig' }, 'c3'),
    );
    const before = server.requestsFor(WIRE).length;
    const view = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid');
    assert.equal(view?.status, 'finished', JSON.stringify(view?.error ?? view?.log.slice(-3)));
    assert.equal(view.summary, 'Documented parseConfig');
    assert.deepEqual(view.files.map((f) => f.path), ['src/config.js']);
    const agent = server.requestsFor(WIRE).slice(before);
    assert.equal(agent.length, 3);
    // The second step carried the first tool's result back, as a tool message the provider got from the API.
    assert.ok(agent[1]?.rawBody.includes('"role":"tool"') && agent[1].rawBody.includes('"tool_call_id":"c1"'));

    const auctionId = api.panelState().auction?.auctionId;
    const lines = await api.ledgerLines();
    const exec = lines.flatMap((l) => (l.kind === 'call' && l.call.auctionId === auctionId && l.call.phase === 'execution' ? [l] : []));
    assert.equal(exec.length, 3);
    for (const l of exec) assert.ok(l.dollars !== null && Math.abs(l.dollars - REQUEST_USD) < 1e-12);
    assert.ok(view.dollars !== null && Math.abs(view.dollars - 3 * REQUEST_USD) < 1e-12, `the run cost ${String(view.dollars)}`);
  });

  it('a refusal (LanguageModelError.NoPermissions) is a state of the model: no request in later auctions until "Ask Again"', async () => {
    const api = await activateSale();
    const sale = vscode.workspace.getConfiguration('sale');
    const models = sale.get<unknown[]>('models') ?? [];
    await sale.update('models', [...models.slice(0, 1), { id: 'refused', provider: 'vscode-lm', model: REFUSING_ID, price: { perRequest: PER_REQUEST }, roles: ['bidder'] }], vscode.ConfigurationTarget.Global);
    const asked = () => provider.requests().filter((r) => r.model === REFUSING_ID).length;
    const auction = async (n: number) => {
      server.script(
        WIRE,
        { kind: 'chat', when: { contains: 'You are bidding' }, toolCalls: [{ name: 'strategy_bid', arguments: JSON.stringify(plan('copilot-loop')) }], usage },
        batchJudgement,
      );
      const task = `Refusal round ${n} (${Date.now()})`;
      await vscode.commands.executeCommand('sale.auctionTask', { task });
      return waitFor('the auction to finish', () => {
        const a = api.panelState().auction;
        return a && a.task === task && a.status !== 'running' ? a : undefined;
      }, 60_000);
    };

    const first = await auction(1);
    assert.equal(first.winner?.modelId, 'copilot-loop', 'the auction goes on without the refused model');
    assert.equal(first.cards.find((c) => c.modelId === 'refused')?.failure?.code, 'call-failed');
    assert.equal(asked(), 1, 'asked once');
    const refusedCalls = (await api.ledgerLines()).flatMap((l) => (l.kind === 'call' && l.call.modelId === 'refused' ? [l] : []));
    assert.deepEqual(refusedCalls.map((l) => [l.call.errorCode, l.dollars]), [['consent-refused', 0]], 'refused before any output: no request billed');

    const second = await auction(2);
    assert.equal(second.winner?.modelId, 'copilot-loop');
    assert.equal(asked(), 1, 'the refused model was not asked again by the next auction');
    assert.equal(api.panelState().pool.find((m) => m.id === 'refused')?.status, 'consent-refused', 'the pool strip shows the refusal');
    assert.match(second.cards.find((c) => c.modelId === 'refused')?.failure?.reason ?? '', /refused/);

    assert.equal(await vscode.commands.executeCommand<boolean>('sale.askModelConsent', REFUSING_ID), false);
    assert.equal(asked(), 2, '"Ask Again" sends one request, so VS Code can ask the user again');
    // The pool strip follows the registry between auctions: forgotten by "Ask Again", then refused again.
    await waitFor('the pool strip to show the refusal again', () => api.panelState().pool.find((m) => m.id === 'refused')?.status === 'consent-refused');
  });

  // Last: its probe answers from the server's defaults, not from the queued replies the tests above consume.
  it('"Add Model…" offers the models VS Code has and adds the one picked, without URL, key or JSON', async () => {
    await activateSale();
    const config = () => vscode.workspace.getConfiguration('sale');
    const before = config().inspect<unknown[]>('models')?.globalValue;
    try {
      const ui = new ScriptedUi(
        pick('Models in VS Code'),
        expect((seen) => assert.ok(seen.labels.some((l) => l.includes(LM_ID)), seen.labels.join()), pick(LM_ID)),
        pick('User settings'),
      );
      const r = await vscode.commands.executeCommand<AddModelResult | undefined>('sale.addModel', { ui });
      assert.equal(ui.remaining, 0);
      assert.equal(ui.seen.length, 3, 'provider, model, scope: nothing else to ask');
      assert.deepEqual(config().inspect<unknown[]>('models')?.globalValue, [...(before ?? []), { id: `sale-test-${LM_ID}`, provider: 'vscode-lm', model: LM_ID, roles: ['bidder', 'juror', 'executor'] }]);
      assert.equal(r?.connection?.ok, true, r?.connection?.message);
    } finally {
      await config().update('models', before, vscode.ConfigurationTarget.Global);
    }
  });
});
