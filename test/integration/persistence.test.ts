import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as vscode from 'vscode';
import { LoopbackServer } from '../fixtures/loopback/server';
import { marketPool, marketScript } from '../fixtures/market';
import { activateSale, markerFile, waitFor, withSettings } from './helpers';

describe('before a restart: an auction recorded in memory, the ledger and the panel', () => {
  it('records an auction and shows it in the memory browser', async () => {
    const server = await LoopbackServer.start(marketScript());
    const restore = await withSettings({ models: marketPool(server), 'localServers.detect': false });
    try {
      await vscode.commands.executeCommand('sale.setApiKey', { providerKey: `openai:${server.openaiBaseUrl.toLowerCase()}`, key: 'sk-loopback' });
      await vscode.commands.executeCommand('sale.setApiKey', { providerKey: `anthropic:${server.url.replace(/\/+$/, '').toLowerCase()}`, key: 'sk-loopback' });
      const api = await activateSale();
      const task = `Persist me across a restart (${Date.now()})`;
      await vscode.commands.executeCommand('sale.auctionTask', { task });
      const auction = await waitFor('the auction to finish', () => {
        const a = api.panelState().auction;
        return a && a.task === task && a.status !== 'running' ? a : undefined;
      }, 60_000);
      assert.equal(auction.status, 'completed');
      const item = await waitFor('the memory browser to list it', async () => (await api.memoryBrowserItems()).find((i) => i.label === task));
      assert.match(item.description, /gpt-small · no verdict yet · \$0\.\d+/);
      const ledgerCalls = (await api.ledgerLines()).filter((l) => l.kind === 'call' && l.call.auctionId === auction.auctionId).length;
      fs.writeFileSync(markerFile(), JSON.stringify({ task, auctionId: auction.auctionId, ledgerCalls }));
    } finally {
      await restore();
      await server.close();
    }
  });
});
