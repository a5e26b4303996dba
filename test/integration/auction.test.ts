import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { LoopbackServer } from '../fixtures/loopback/server';
import { MARKET, WINNER_ID, expectedAuctionCost, marketPool, marketScript } from '../fixtures/market';
import type { ConnectionResult } from '../../src/vscode/providers/testConnections';
import { activateSale, waitFor, withSettings } from './helpers';

const CANARY_KEY = 'sk-canary-7f3a9c1e5b2d4680';
// The 10% overhead cap would drop the jury here: the scripted bids cost about $0.01, as much as the market's
// execution estimate (~$0.013), so the cap ($0.0013) is spent before the jury starts. These tests are about the
// jury's path and dollars; the cap has its own unit tests.
const NO_OVERHEAD_CAP = { 'auction.maxOverheadShare': 10 };
// Not the default (`low`), so the wire shows the setting itself reached the auction's calls.
const REASONING_EFFORT = { 'auction.reasoningEffort': 'minimal' };

describe('auctions against loopback models, in a real VS Code', () => {
  let server: LoopbackServer;
  let restore: () => Promise<void>;

  before(async () => {
    server = await LoopbackServer.start(marketScript());
    restore = await withSettings({ models: marketPool(server), 'localServers.detect': false, ...NO_OVERHEAD_CAP, ...REASONING_EFFORT });
    // The remote-format models need keys, set the way a user's onboarding would (never logged, never in settings).
    await vscode.commands.executeCommand('sale.setApiKey', { providerKey: `openai:${server.openaiBaseUrl.toLowerCase()}`, key: CANARY_KEY });
    await vscode.commands.executeCommand('sale.setApiKey', { providerKey: `anthropic:${server.url.replace(/\/+$/, '').toLowerCase()}`, key: CANARY_KEY });
  });

  after(async () => {
    await restore?.();
    await server?.close();
  });

  it('"Test Model Connections" shows the OpenAI-format model with logprobs and the Anthropic one without', async () => {
    await activateSale();
    const results = await vscode.commands.executeCommand<ConnectionResult[]>('sale.testConnections');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const byId = new Map(results.map((r) => [r.modelId, r]));
    assert.deepEqual([...byId.keys()].sort(), MARKET.map((m) => m.id).sort());
    for (const r of results) assert.ok(r.ok, `${r.modelId} answered: ${r.message ?? ''}`);
    assert.equal(byId.get('gpt-small')?.capabilities?.logprobs, true);
    assert.equal(byId.get('claude-large')?.capabilities?.logprobs, false);
    assert.equal(byId.get('ollama-qwen')?.local, true);
    // The probe went over the wire in each provider's format.
    assert.ok(server.requests.some((r) => r.api === 'anthropic-messages' && r.model === 'claude-large-loop'));
    assert.ok(server.requests.some((r) => r.api === 'openai-chat' && r.model === 'gpt-small-loop' && r.body?.logprobs === true));
    // Every probe call is charged to the ledger under its own phase.
    const api = await activateSale();
    const probed = await waitFor('the probe calls in the ledger', async () => {
      const calls = (await api.ledgerLines()).flatMap((l) => (l.kind === 'call' && l.call.phase === 'probe' ? [l.call] : []));
      const models = new Set(calls.map((c) => c.modelId));
      return MARKET.every((m) => models.has(m.id)) ? calls : undefined;
    });
    assert.ok(probed.length >= 3 * MARKET.length, `${probed.length} probe calls: plain, tool and structured per model`);
  });

  it('runs a whole auction: three bids, the jury, the winner and why, recorded in memory and the ledger', async () => {
    const api = await activateSale();
    const task = `Add input validation to parseConfig and a test for it (${Date.now()})`;
    await vscode.commands.executeCommand('sale.auctionTask', { task, contextFiles: ['src/format.js'] });
    const auction = await waitFor('the auction to finish', () => {
      const a = api.panelState().auction;
      return a && a.task === task && a.status !== 'running' ? a : undefined;
    }, 60_000);
    assert.equal(auction.status, 'completed', JSON.stringify(auction.error));
    assert.equal(auction.winner?.modelId, WINNER_ID);
    assert.ok(auction.why && auction.why.length > 20, 'the panel says why it won');
    assert.deepEqual(auction.cards.map((c) => c.status), ['received', 'received', 'received']);
    const card = (id: string) => auction.cards.find((c) => c.modelId === id);
    assert.equal(card('gpt-small')?.signals.entropy, true, 'entropy from OpenAI logprobs');
    assert.equal(card('claude-large')?.signals.entropy, false, 'no logprobs from Anthropic');
    assert.equal(card('claude-large')?.entropyNats, null);
    // The default jury: a batched panel of three (by price), here every market model; each judged every plan.
    for (const c of auction.cards) assert.equal(c.judgements.length, MARKET.length, `${c.modelId} judged by every juror`);
    const juryRequests = server.requests.filter((r) => r.rawBody.includes('You are a juror scoring') && r.rawBody.includes(task.slice(0, 40)));
    assert.equal(juryRequests.length, MARKET.length, 'one batched jury call per juror');
    assert.ok(juryRequests.every((r) => r.rawBody.includes('You are a juror scoring several plans')), 'every jury call is a batched one');
    assert.equal(card('ollama-qwen')?.local, true);

    // The chosen context file reached every bidder.
    const bids = server.requests.filter((r) => r.rawBody.includes('You are bidding') && r.rawBody.includes(task.slice(0, 40)));
    assert.equal(bids.length, 3);
    for (const r of bids) assert.ok(r.rawBody.includes('Formats a config object back into'), `${r.model ?? ''} saw src/format.js`);
    // sale.auction.reasoningEffort reached every bid and jury call in OpenAI's format (the OpenAI model and the
    // local one); Anthropic's calls carry no such field and ask for no thinking.
    const effortOf = (r: (typeof server.requests)[number]) => (r.body && 'reasoning_effort' in r.body ? r.body.reasoning_effort : 'absent');
    const openaiFormat = [...bids, ...juryRequests].filter((r) => r.api === 'openai-chat');
    assert.equal(openaiFormat.length, 4, 'two OpenAI-format bidders, each also a juror');
    assert.deepEqual(openaiFormat.map(effortOf), ['minimal', 'minimal', 'minimal', 'minimal']);
    for (const r of [...bids, ...juryRequests].filter((q) => q.api === 'anthropic-messages')) assert.deepEqual([effortOf(r), r.body?.thinking], ['absent', undefined]);
    // The probe (Test Model Connections, above) is no auction call: it asks at the provider's default.
    assert.ok(server.requests.filter((r) => r.api === 'openai-chat' && !bids.includes(r) && !juryRequests.includes(r)).every((r) => effortOf(r) === 'absent'));
    assert.deepEqual(api.panelState().contextFiles, ['src/format.js']);

    const expected = expectedAuctionCost();
    assert.ok(Math.abs(auction.cost.bidding.usd - expected.bidding) < 1e-12, `bidding ${auction.cost.bidding.usd} = ${expected.bidding}`);
    assert.ok(Math.abs(auction.cost.jury.usd - expected.jury) < 1e-12, `jury ${auction.cost.jury.usd} = ${expected.jury}`);

    const memory = await waitFor('the auction in memory', async () => (await api.memoryAuctions()).find((m) => m.task === task));
    assert.equal(memory.winnerModelId, WINNER_ID);
    assert.equal(memory.bids, 3);

    const lines = await api.ledgerLines();
    const calls = lines.filter((l) => l.kind === 'call' && l.call.auctionId === auction.auctionId);
    const sum = (phase: string) => calls.reduce((s, l) => (l.kind === 'call' && l.call.phase === phase ? s + (l.dollars ?? NaN) : s), 0);
    assert.equal(calls.filter((l) => l.kind === 'call' && l.call.phase === 'bidding').length, 3);
    // n jury calls for n jurors and n bids, not n² (the per-bid jury's 9).
    assert.equal(calls.filter((l) => l.kind === 'call' && l.call.phase === 'jury').length, MARKET.length);
    assert.ok(Math.abs(sum('bidding') - expected.bidding) < 1e-12);
    assert.ok(Math.abs(sum('jury') - expected.jury) < 1e-12);
  });

  it('sends the key on the wire and nowhere else: not in settings, the ledger, the memory or the panel', async () => {
    const api = await activateSale();
    const sent = server.requests.filter((r) => r.model === 'gpt-small-loop' && r.api === 'openai-chat');
    assert.ok(sent.length > 0 && sent.every((r) => r.headers.authorization === `Bearer ${CANARY_KEY}`), 'the OpenAI-format requests carry the key');
    const anthropic = server.requests.filter((r) => r.api === 'anthropic-messages');
    assert.ok(anthropic.length > 0 && anthropic.every((r) => JSON.stringify(r.headers).includes(CANARY_KEY)), 'the Anthropic-format requests carry the key');
    const places = {
      settings: JSON.stringify(vscode.workspace.getConfiguration('sale')),
      panel: JSON.stringify(api.panelState()),
      ledger: JSON.stringify(await api.ledgerLines()),
      memory: JSON.stringify(await api.memoryAuctions()),
      result: JSON.stringify(api.lastAuctionResult()),
    };
    for (const [where, text] of Object.entries(places)) assert.ok(!text.includes(CANARY_KEY), `the key is not in the ${where}`);
  });
});
