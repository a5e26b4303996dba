// A slow capability check does not hold the auction up, inside a real VS Code: one loopback model answers its
// probe's tool and structured-output checks only after 90 s, yet the auction ends with its bid (read by the
// tolerant parser, as a model of unknown capabilities) well within the suite's time.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SaleApi } from '../../src/vscode/api';
import { LoopbackServer } from '../fixtures/loopback/server';
import { activateSale, scriptProbe, waitFor, withSettings } from './helpers';

const BID = JSON.stringify({ summary: 'Read the config and stop', steps: ['Read src/config.js', 'Finish'], files: ['src/config.js'], risks: ['none'], verification: ['none'] });

describe('a slow capability check', function () {
  // Far below the slow model's 90 s: the auction must not wait for its checks.
  this.timeout(60_000);
  let api: SaleApi;
  let server: LoopbackServer;
  let restore: (() => Promise<void>) | undefined;
  const quick = `probe-quick-${Date.now()}`;
  const slow = `probe-slow-${Date.now()}`;

  before(async () => {
    api = await activateSale();
    server = await LoopbackServer.start();
    scriptProbe(server, quick);
    const hang = { kind: 'slow' as const, delayMs: 90_000 };
    server.script(slow, { ...hang, when: { tools: true } }, { ...hang, when: { structured: true } });
    server.setDefault({ kind: 'chat', text: BID, usage: { input: 200, output: 120 } });
    restore = await withSettings({
      'localServers.detect': false,
      'auction.jury.mode': 'none',
      'auction.refinement.enabled': false,
      models: [
        { id: 'quick', provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, model: quick, price: { inputPerMTok: 1, outputPerMTok: 2 }, roles: ['bidder', 'executor'] },
        { id: 'slowpoke', provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, model: slow, price: { inputPerMTok: 1, outputPerMTok: 2 }, roles: ['bidder', 'executor'] },
      ],
    });
  });

  after(async () => {
    await restore?.();
    await server?.close();
  });

  it('lets the auction go on without it, and the slow model still bids', async () => {
    await vscode.commands.executeCommand('sale.auctionTask', { task: 'Read the config and stop' });
    const auction = await waitFor('the auction to end', () => {
      const a = api.panelState().auction;
      return a && a.status !== 'running' ? a : undefined;
    }, 45_000);
    assert.equal(auction.status, 'completed');
    const models = auction.cards.filter((c) => c.status !== 'failed').map((c) => c.modelId).sort();
    assert.deepEqual(models, ['quick', 'slowpoke'], 'both models bid, the slow one without waiting for its checks');
    // The slow model's checks were sent (and are still unanswered): the auction went on without them.
    const slowRequests = server.requestsFor(slow);
    assert.ok(slowRequests.some((r) => Array.isArray(r.body?.tools) && (r.body.tools as unknown[]).length > 0), 'its tool check was sent');
    const bidRequest = slowRequests.find((r) => JSON.stringify(r.body ?? {}).includes('Read the config and stop') && r.body?.tools === undefined);
    assert.ok(bidRequest, 'its bid was asked for while its checks were pending');
  });
});
