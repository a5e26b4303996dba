import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuctionEvent, AuctionEventBody } from '../../../../src/common/auction/events';
import type { AuctionResult } from '../../../../src/common/auction/types';
import { applyAuctionEvent, emptyAuctionView } from '../../../../src/common/panel/auctionView';
import { retrievalNote } from '../../../../src/common/panel/memoryRetrieval';

let seq = 0;
const event = (body: AuctionEventBody): AuctionEvent => ({ auctionId: 'a1', at: '2026-02-01T00:00:00.000Z', seq: seq++, ...body });

describe('the panel\'s memory retrieval line', () => {
  it('says nothing when no refining model asked the memory', () => {
    assert.equal(retrievalNote([]), undefined);
  });

  it('names the embedding model, or says BM25 with how to get embeddings', () => {
    const embedded = retrievalNote([{ modelId: 'small', method: 'embedding', model: 'emb/text-embedding-3-small' }]);
    assert.equal(embedded?.text, 'memory: by embedding (emb/text-embedding-3-small)');
    assert.match(embedded?.tooltip ?? '', /charged in the ledger under "embedding"/);
    const lexical = retrievalNote([{ modelId: 'small', method: 'lexical', model: null }, { modelId: 'tiny', method: 'lexical', model: null }]);
    assert.equal(lexical?.text, 'memory: lexical (BM25)');
    assert.match(lexical?.tooltip ?? '', /give an embedding model the embedder role in SALE: Manage Models/);
  });

  it('says per model when one lookup fell back to BM25', () => {
    const note = retrievalNote([
      { modelId: 'small', method: 'embedding', model: 'emb/e' },
      { modelId: 'tiny', method: 'lexical', model: null },
      { modelId: 'mini', method: 'embedding', model: 'emb/e' },
    ]);
    assert.equal(note?.text, 'memory: by embedding (emb/e) for small, mini; lexical (BM25) for tiny');
    assert.match(note?.tooltip ?? '', /embedding the task failed/);
  });

  it('is folded from the engine\'s memory-retrieved events and kept when the auction ends', () => {
    let view = emptyAuctionView('a1', 'task', '2026-02-01T00:00:00.000Z');
    view = applyAuctionEvent(view, event({ type: 'memory-retrieved', modelId: 'small', method: 'lexical', pairs: 0 }), new Map());
    // The same model asking again (a retried lookup) replaces its entry rather than adding one.
    view = applyAuctionEvent(view, event({ type: 'memory-retrieved', modelId: 'small', method: 'embedding', model: 'emb/e', pairs: 2 }), new Map());
    assert.deepEqual(view.retrieval, [{ modelId: 'small', method: 'embedding', model: 'emb/e' }]);
    const result = {
      finishedAt: '2026-02-01T00:00:01.000Z',
      cost: view.cost,
      bids: [],
      ranking: [],
      refinement: { enabled: true, ran: true, candidates: ['small'], skipped: [] },
      weights: { cost: 0.4, entropy: 1, jury: 4 },
    } as unknown as AuctionResult;
    view = applyAuctionEvent(view, event({ type: 'done', result }), new Map());
    assert.equal(view.status, 'completed');
    assert.equal(view.retrievalNote?.text, 'memory: by embedding (emb/e)');
  });
});
