import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuctionMemory, embeddingLine } from '../../../../src/common/memory/auctionMemory';
import { auctionHead } from '../../../../src/common/memory/fold';
import type { Embedder } from '../../../../src/common/memory/embedder';
import { MemoryIndex } from '../../../../src/common/memory/memoryIndex';
import { selectContrastivePairs } from '../../../../src/common/memory/pairs';
import type { MemoryLine, OutcomeFact } from '../../../../src/common/memory/records';
import { accepted, auction, outcome, rejected } from './builders';

function indexOf(lines: MemoryLine[]): MemoryIndex {
  const ix = new MemoryIndex();
  for (const l of lines) ix.ingest(l);
  return ix;
}

/** A deterministic toy embedder: one dimension per known word, so similar wording means similar vectors. */
const VOCAB = ['retry', 'http', 'backoff', 'sidebar', 'theme', 'css', 'config', 'schema', 'timeout'];
function toyEmbedder(calls: string[][] = [], fail = false): Embedder {
  return {
    model: 'toy/emb',
    embed(texts) {
      calls.push(texts);
      if (fail) return Promise.reject(new Error('server down'));
      return Promise.resolve(texts.map((t) => VOCAB.map((w) => (t.toLowerCase().includes(w) ? 1 : 0) + 0.01)));
    },
  };
}

const task = 'Add retry with backoff to the HTTP client';

describe('selectContrastivePairs (through MemoryIndex retrieval)', () => {
  const facts: [string, OutcomeFact | undefined][] = [
    ['ok', accepted],
    ['nobody-checked', undefined],
    ['thrown-away', rejected],
  ];
  const lines: MemoryLine[] = facts.flatMap(([id, fact]) => [auction(id, `${task} (${id})`, 'big', ['small']), ...(fact ? [outcome(id, fact)] : [])]);
  lines.push(auction('undone', `${task} (undone)`, 'big', ['small']), outcome('undone', accepted), outcome('undone', { type: 'undone' }));
  lines.push(auction('broke-tests', `${task} (broke-tests)`, 'big', ['small']), outcome('broke-tests', accepted), outcome('broke-tests', { type: 'tests', passed: false }));
  const memory = new AuctionMemory(indexOf(lines));

  it('keeps a winner whose work was rejected, undone or broke the tests as a negative example, ranked last, with what happened', async () => {
    const { pairs, method } = await memory.contrastivePairs({ task, modelId: 'small', k: 10 });
    assert.equal(method, 'lexical');
    assert.deepEqual(pairs.slice(0, 2).map((p) => p.auctionId), ['ok', 'nobody-checked']);
    assert.deepEqual(
      pairs.slice(2).map((p) => [p.auctionId, p.winnerOutcome]).sort(),
      [['broke-tests', 'tests-failed'], ['thrown-away', 'rejected'], ['undone', 'undone']],
    );
  });

  it('credits the bid that was executed: a losing bid the user ran and accepted is the pair\'s loser, with its outcome', async () => {
    const a = auction('ran-loser', `${task} (ran-loser)`, 'big', ['mid', 'small']);
    // The user ran mid's losing bid and accepted its work; the winner was never run.
    const ix = indexOf([a, outcome('ran-loser', { type: 'execution-cost', inputTokens: 10, outputTokens: 5, status: 'finished', staged: 1 }, undefined, 'ran-loser:mid'), outcome('ran-loser', accepted, undefined, 'ran-loser:mid')]);
    const view = ix.state.get('ran-loser');
    assert.deepEqual(view?.bidLabels, { 'ran-loser:mid': 'accepted' });
    assert.equal(view?.executedBidId, 'ran-loser:mid');
    const { pairs } = await new AuctionMemory(ix).contrastivePairs({ task, modelId: 'small', k: 1 });
    // Without attribution this would credit the winner (winnerOutcome 'accepted') and pick small's own bid.
    assert.deepEqual(pairs.map((p) => [p.losing.modelId, p.loserOutcome, p.winnerOutcome]), [['mid', 'accepted', undefined]]);
  });

  it('attributes an outcome line without a bid id (memory version 1) to the winner', () => {
    const ix = indexOf([auction('old', task, 'big', ['small']), outcome('old', rejected)]);
    assert.deepEqual(ix.state.get('old')?.bidLabels, { 'old:big': 'rejected' });
  });

  it('ranks an accepted winner above one nobody checked, and says the outcome', async () => {
    const { pairs } = await memory.contrastivePairs({ task, modelId: 'small', k: 10 });
    assert.deepEqual(pairs.slice(0, 2).map((p) => [p.auctionId, p.winnerOutcome]), [['ok', 'accepted'], ['nobody-checked', undefined]]);
    assert.deepEqual(pairs[0]?.losing, { modelId: 'small', plan: `small plan for ${task} (ok)` });
    assert.deepEqual(pairs[0]?.winning, { modelId: 'big', plan: `big plan for ${task} (ok)` });
  });

  it('prefers pairs where the asking model lost, and takes its own losing bid', () => {
    const a = auction('a', task, 'big', ['mid', 'small']);
    const b = auction('b', task, 'big', ['mid']);
    const pairs = selectContrastivePairs(
      [
        { view: { head: auctionHead(b), outcomeCount: 1, label: 'accepted', executedBidId: 'b:big', bidLabels: { 'b:big': 'accepted' }, execution: undefined }, auction: b, similarity: 0.9 },
        { view: { head: auctionHead(a), outcomeCount: 1, label: 'accepted', executedBidId: 'a:big', bidLabels: { 'a:big': 'accepted' }, execution: undefined }, auction: a, similarity: 0.7 },
      ],
      'small',
      2,
    );
    assert.deepEqual(pairs.map((p) => [p.auctionId, p.losing.modelId]), [['a', 'small'], ['b', 'mid']]);
  });

  it('takes at most one pair per past auction, the closest loser when the asker was not in it', () => {
    const a = auction('a', task, 'big', ['mid', 'tiny']); // mid scores -2, tiny -1: mid was closer
    const pairs = selectContrastivePairs([{ view: { head: auctionHead(a), outcomeCount: 0, label: undefined, executedBidId: undefined, bidLabels: {}, execution: undefined }, auction: a, similarity: 1 }], 'other', 5);
    assert.deepEqual(pairs.map((p) => p.losing.modelId), ['mid']);
  });

  it('skips auctions without a winner or without a losing bid', async () => {
    const noWinner = auction('nw', task, 'big', ['small'], { winnerBidId: undefined });
    const alone = auction('alone', task, 'big', []);
    const { pairs } = await new AuctionMemory(indexOf([noWinner, alone])).contrastivePairs({ task, modelId: 'small', k: 3 });
    assert.deepEqual(pairs, []);
  });
});

describe('AuctionMemory retrieval method', () => {
  const lines: MemoryLine[] = [
    auction('net', 'Retry HTTP calls with backoff', 'big', ['small']),
    auction('ui', 'Sidebar theme CSS', 'big', ['small']),
    auction('cfg', 'Config schema validation', 'big', ['small']),
  ];

  it('uses embeddings when vectors of the embedder model are cached, and pays for the query once', async () => {
    const calls: string[][] = [];
    const embedder = toyEmbedder(calls);
    const ix = indexOf(lines);
    const vectors = await embedder.embed(lines.map((l) => (l.kind === 'auction' ? l.task : '')));
    lines.forEach((l, i) => ix.ingest(embeddingLine(l.id, embedder.model, vectors[i] ?? [])));
    calls.length = 0;
    const memory = new AuctionMemory(ix, { embedder: () => embedder });
    const first = await memory.similar('timeout and retry for http', 1);
    const second = await memory.contrastivePairs({ task: 'timeout and retry for http', modelId: 'small', k: 1 });
    assert.equal(first.method, 'embedding');
    assert.equal(first.hits[0]?.view.head.id, 'net');
    assert.equal(second.method, 'embedding');
    assert.equal(second.model, 'toy/emb', 'the embedding model is named, for the panel');
    assert.equal(second.pairs[0]?.auctionId, 'net');
    assert.equal(calls.length, 1);
  });

  it('stays lexical, without calling the embedder, when no vectors of its model exist', async () => {
    const calls: string[][] = [];
    const memory = new AuctionMemory(indexOf(lines), { embedder: () => toyEmbedder(calls) });
    const r = await memory.similar('sidebar theme', 1);
    assert.equal(r.method, 'lexical');
    assert.equal(r.model, undefined);
    assert.equal(r.hits[0]?.view.head.id, 'ui');
    assert.equal(calls.length, 0);
  });

  it('falls back to lexical when the embedding call fails', async () => {
    const ix = indexOf(lines);
    ix.ingest(embeddingLine('net', 'toy/emb', [1, 0, 0, 0, 0, 0, 0, 0, 0]));
    const warnings: string[] = [];
    const log = { trace: () => {}, debug: () => {}, info: () => {}, warn: (m: string) => warnings.push(m), error: () => {}, topic: () => log };
    const memory = new AuctionMemory(ix, { embedder: () => toyEmbedder([], true), log });
    const r = await memory.similar('config schema', 1);
    assert.equal(r.method, 'lexical');
    assert.equal(r.hits[0]?.view.head.id, 'cfg');
    assert.equal(warnings.length, 1);
  });

  it('counts an embedding line that does not decode as corrupt and ignores it', () => {
    const ix = indexOf(lines);
    ix.ingest({ ...embeddingLine('net', 'toy/emb', [1, 2, 3]), dim: 4 });
    assert.equal(ix.corruptVectorCount, 1);
    assert.equal(ix.vectorCount('toy/emb'), 0);
  });
});
