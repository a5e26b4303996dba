import assert from 'node:assert/strict';
import fs from 'node:fs';
import { activateSale, markerFile } from './helpers';

describe('after the window and its extension host were started again', () => {
  const marker = () => JSON.parse(fs.readFileSync(markerFile(), 'utf8')) as { task: string; auctionId: string; ledgerCalls: number };

  it('the memory browser still lists the auction', async () => {
    const { task, auctionId } = marker();
    const api = await activateSale();
    console.log(`storage after restart: ${api.storageDir}`);
    const items = await api.memoryBrowserItems();
    const item = items.find((i) => i.id === auctionId);
    assert.ok(item, `auction ${auctionId} is listed (${items.length} items)`);
    assert.equal(item.label, task);
    assert.match(item.description, /^gpt-small · /);
  });

  it('the ledger still holds every call of it', async () => {
    const { auctionId, ledgerCalls } = marker();
    const api = await activateSale();
    const calls = (await api.ledgerLines()).filter((l) => l.kind === 'call' && l.call.auctionId === auctionId);
    assert.equal(calls.length, ledgerCalls);
    assert.ok(ledgerCalls >= 12, 'bids and judgements were recorded');
  });

  it('the panel shows the last auction again', async () => {
    const { task, auctionId } = marker();
    const api = await activateSale();
    const auction = api.panelState().auction;
    assert.equal(auction?.auctionId, auctionId);
    assert.equal(auction?.task, task);
    assert.equal(auction?.status, 'completed');
    assert.equal(auction?.winner?.modelId, 'gpt-small');
  });
});
