import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { MemoryStore } from '../../src/node/memory/memoryStore';
import { LoopbackServer } from '../fixtures/loopback/server';
import { marketPool, marketScript } from '../fixtures/market';
import { activateSale, waitFor, withSettings } from './helpers';

describe('the auction memory in a real VS Code', () => {
  it('records an auction and shows it in the memory browser', async () => {
    const server = await LoopbackServer.start(marketScript());
    // Without it the overhead cap drops the whole jury (the market's bids cost about its execution estimate) and the
    // free local model wins on cost alone; this test is about the memory of the market's usual auction.
    const restore = await withSettings({ models: marketPool(server), 'localServers.detect': false, 'auction.maxOverheadShare': 10 });
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
      // The memory file on disk holds it whole: a fresh store opened on the same file lists it too.
      const reopened = await MemoryStore.open({ localPath: path.join(api.storageDir, 'memory.jsonl') });
      try {
        assert.equal(reopened.get(auction.auctionId)?.head.task, task);
        assert.equal((await reopened.auction(auction.auctionId))?.bids.length, auction.cards.length);
        assert.equal(reopened.reports.local.skipped, 0);
      } finally {
        reopened.dispose();
      }
    } finally {
      await restore();
      await server.close();
    }
  });
});
