import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SaleApi } from '../../src/vscode/api';
import { LoopbackServer } from '../fixtures/loopback/server';
import type { RecordedRequest, Reply } from '../fixtures/loopback/types';
import { marketPool, marketScript } from '../fixtures/market';
import { activateSale, auctionToEnd, waitFor, withSettings } from './helpers';

const EMBEDDER_ID = 'emb-small';
const EMBEDDER_MODEL = 'text-embedding-loop';
const EMBEDDING_MODEL_NAME = `${EMBEDDER_ID}/${EMBEDDER_MODEL}`;
const EMBEDDING_PRICE_PER_MTOK = 0.02;
const TOKENS_PER_TEXT = 50;
const DIM = 32;

/** A deterministic vector of a text: its words hashed into DIM buckets (texts sharing words point alike). */
function hashedVector(text: string): number[] {
  const v = new Array<number>(DIM).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    let h = 2166136261;
    for (const ch of word) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    v[h % DIM] = (v[h % DIM] ?? 0) + 1;
  }
  return v;
}

/** Answers every embeddings request with one vector per input text, and usage of TOKENS_PER_TEXT per text. */
function embeddings(r: RecordedRequest): Reply | undefined {
  if (r.api !== 'openai-embeddings') return undefined;
  const input = r.body?.input;
  const texts = Array.isArray(input) ? input.map(String) : [String(input)];
  return { kind: 'embedding', vectors: texts.map(hashedVector), usage: { input: TOKENS_PER_TEXT * texts.length } };
}

/** The embedding lines of the memory file, as written (the truth on disk). */
async function embeddingLines(api: SaleApi): Promise<{ auctionId: string; model: string; dim: number }[]> {
  const text = await fs.readFile(path.join(api.storageDir, 'memory.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l.includes('"kind":"embedding"'))
    .map((l) => JSON.parse(l) as { auctionId: string; model: string; dim: number });
}

describe('memory retrieval by embedding or BM25, in a real VS Code', () => {
  let server: LoopbackServer;
  /** The auction the lexical test recorded without an embedder (the backfill test embeds it). */
  let recordedLexically: string | undefined;
  const embedderMember = () => ({ id: EMBEDDER_ID, provider: 'openai', baseUrl: server.openaiBaseUrl, model: EMBEDDER_MODEL, price: { inputPerMTok: EMBEDDING_PRICE_PER_MTOK, outputPerMTok: 0 }, roles: ['embedder'] });

  before(async () => {
    // Two auctions' worth of replies: the refining model's refined bid is answered whenever refinement runs.
    server = await LoopbackServer.start(marketScript({ refinement: true }));
    server.load(marketScript({ refinement: true }));
    server.load(marketScript({ refinement: true }));
    server.respondWith(embeddings);
    await vscode.commands.executeCommand('sale.setApiKey', { providerKey: `openai:${server.openaiBaseUrl.toLowerCase()}`, key: 'sk-loopback' });
    await vscode.commands.executeCommand('sale.setApiKey', { providerKey: `anthropic:${server.url.replace(/\/+$/, '').toLowerCase()}`, key: 'sk-loopback' });
  });

  after(async () => {
    await server?.close();
  });

  it('with an embedder in the pool: tasks are embedded, the next refinement retrieves by embedding, and the calls are in the ledger', async () => {
    const restore = await withSettings({ models: [...marketPool(server), embedderMember()], 'localServers.detect': false, 'auction.maxOverheadShare': 10 });
    try {
      const api = await activateSale();
      await waitFor('the memory to take the pool\'s embedder', () => api.memoryEmbedder() === EMBEDDING_MODEL_NAME);
      const stamp = Date.now();
      const first = await auctionToEnd(api, `Validate the parseConfig input and test it (embedded ${stamp})`);
      // The first auction's task is embedded once it is recorded: an embedding line of the embedder's model.
      const line = await waitFor('the first task embedded in memory', async () => (await embeddingLines(api)).find((l) => l.auctionId === first.auctionId));
      assert.equal(line.model, EMBEDDING_MODEL_NAME);
      assert.equal(line.dim, DIM);
      assert.ok(server.requests.some((r) => r.api === 'openai-embeddings' && r.model === EMBEDDER_MODEL && r.rawBody.includes(`embedded ${stamp}`)), 'the task went to the embeddings endpoint');

      const second = await auctionToEnd(api, `Validate parseConfig input and add its tests (embedded ${stamp} again)`);
      assert.ok(second.retrieval.length > 0, 'a cheaper model asked the memory for examples');
      for (const r of second.retrieval) assert.deepEqual({ method: r.method, model: r.model }, { method: 'embedding', model: EMBEDDING_MODEL_NAME });
      assert.equal(second.retrievalNote?.text, `memory: by embedding (${EMBEDDING_MODEL_NAME})`);

      // The query's embedding is charged to the second auction, with its dollars from the reported usage.
      const calls = await waitFor('the query embedding in the ledger', async () => {
        const found = (await api.ledgerLines()).flatMap((l) => (l.kind === 'call' && l.call.phase === 'embedding' && l.call.auctionId === second.auctionId ? [l] : []));
        return found.length > 0 ? found : undefined;
      });
      for (const c of calls) {
        assert.equal(c.kind === 'call' && c.call.modelId, EMBEDDER_ID);
        assert.ok(c.kind === 'call' && c.call.ok);
        const expected = (TOKENS_PER_TEXT * EMBEDDING_PRICE_PER_MTOK) / 1e6;
        assert.ok(c.kind === 'call' && Math.abs((c.dollars ?? NaN) - expected) < 1e-15, `embedding call charged ${c.kind === 'call' ? c.dollars : ''}, expected ${expected}`);
      }
    } finally {
      await restore();
    }
  });

  it('without an embedder in the pool: refinement retrieves lexically (BM25) and nothing is embedded', async () => {
    const restore = await withSettings({ models: marketPool(server), 'localServers.detect': false, 'auction.maxOverheadShare': 10 });
    try {
      const api = await activateSale();
      await waitFor('the memory to drop the embedder', () => api.memoryEmbedder() === undefined);
      const embeddingsBefore = server.requests.filter((r) => r.api === 'openai-embeddings').length;
      const auction = await auctionToEnd(api, `Validate parseConfig input and test it (lexical ${Date.now()})`);
      assert.ok(auction.retrieval.length > 0, 'a cheaper model asked the memory for examples');
      for (const r of auction.retrieval) assert.deepEqual({ method: r.method, model: r.model }, { method: 'lexical', model: null });
      assert.equal(auction.retrievalNote?.text, 'memory: lexical (BM25)');
      assert.match(auction.retrievalNote?.tooltip ?? '', /embedder role in SALE: Manage Models/);
      assert.equal(server.requests.filter((r) => r.api === 'openai-embeddings').length, embeddingsBefore, 'no embedding call without an embedder');
      assert.equal((await embeddingLines(api)).filter((l) => l.auctionId === auction.auctionId).length, 0);
      recordedLexically = auction.auctionId;
    } finally {
      await restore();
    }
  });

  it('giving a model the embedder role again backfills the auctions recorded without one, charged in the ledger', async () => {
    const id = recordedLexically;
    assert.ok(id, 'the lexical test recorded an auction');
    const restore = await withSettings({ models: [...marketPool(server), embedderMember()], 'localServers.detect': false });
    try {
      const api = await activateSale();
      await waitFor('the memory to take the pool\'s embedder', () => api.memoryEmbedder() === EMBEDDING_MODEL_NAME);
      // No reload and no auction: the pool change alone starts the background backfill.
      const line = await waitFor('the auction recorded without an embedder to be backfilled', async () => (await embeddingLines(api)).find((l) => l.auctionId === id));
      assert.equal(line.model, EMBEDDING_MODEL_NAME);
      const backfills = (await api.ledgerLines()).flatMap((l) => (l.kind === 'call' && l.call.phase === 'embedding' && l.call.auctionId === undefined ? [l] : []));
      assert.ok(backfills.length > 0, 'the backfill calls are in the ledger, under embedding, charged to no auction');
      for (const c of backfills) assert.ok(c.kind === 'call' && (c.dollars ?? 0) > 0 && c.call.modelId === EMBEDDER_ID);
    } finally {
      await restore();
    }
  });
});
