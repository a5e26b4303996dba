import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isCancellation } from '../../../../src/common/errors';
import type { Embedder } from '../../../../src/common/memory/embedder';
import { MEMORY_SCHEMA_VERSION, MemoryLine } from '../../../../src/common/memory/records';
import { MemoryStore, type MemoryStoreOptions } from '../../../../src/node/memory/memoryStore';
import { teamMemoryPath } from '../../../../src/node/memory/teamMemory';
import { accepted, auction, outcome } from '../../common/memory/builders';
import { collectingLogger, tempDir } from './helpers';

const VOCAB = ['retry', 'http', 'theme', 'sidebar', 'schema', 'config'];
function countingEmbedder(calls: string[][]): Embedder {
  return {
    model: 'toy/emb',
    embed: (texts) => {
      calls.push(texts);
      return Promise.resolve(texts.map((t) => VOCAB.map((w) => (t.toLowerCase().includes(w) ? 1 : 0.01))));
    },
  };
}

async function readLines(file: string): Promise<MemoryLine[]> {
  const text = await fs.readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => MemoryLine.parse(JSON.parse(l)));
}

describe('MemoryStore', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let localPath: string;
  let repoRoot: string;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    localPath = path.join(dir, 'storage', 'memory.jsonl');
    repoRoot = path.join(dir, 'repo');
  });
  afterEach(() => cleanup());

  const open = (extra: Partial<MemoryStoreOptions> = {}): Promise<MemoryStore> => MemoryStore.open({ localPath, ...extra });

  it('keeps an auction and its outcome events across a reopen', async () => {
    const s = await open();
    await s.recordAuction(auction('a1', 'Add retry to the HTTP client', 'big', ['small']));
    await s.recordOutcome('a1', accepted);
    await s.recordOutcome('a1', { type: 'tests', passed: true, command: 'npm test' });
    const again = await open();
    const v = again.get('a1');
    assert.equal(v?.label, 'tests-passed');
    assert.equal(v?.outcomeCount, 2);
    assert.deepEqual((await again.outcomes('a1')).map((o) => o.fact.type), ['review', 'tests']);
    const { pairs, method } = await again.port.contrastivePairs({ task: 'retry HTTP requests', modelId: 'small', k: 3 });
    assert.equal(method, 'lexical');
    assert.deepEqual(pairs.map((p) => [p.auctionId, p.winnerOutcome]), [['a1', 'tests-passed']]);
  });

  it('never rewrites the auction line to add an outcome', async () => {
    const s = await open();
    await s.recordAuction(auction('a1', 't', 'big', ['small']));
    const before = await fs.readFile(localPath, 'utf8');
    await s.recordOutcome('a1', accepted);
    assert.ok((await fs.readFile(localPath, 'utf8')).startsWith(before));
  });

  it('caches embeddings with the record and reuses them after a reopen', async () => {
    const calls: string[][] = [];
    const embedder = countingEmbedder(calls);
    const s = await open({ embedder: () => embedder });
    await s.recordAuction(auction('net', 'Retry HTTP calls', 'big', ['small']));
    await s.recordAuction(auction('ui', 'Sidebar theme', 'big', ['small']));
    assert.equal(calls.length, 2);
    const again = await open({ embedder: () => embedder });
    assert.equal(again.memoryIndex.vectorCount('toy/emb'), 2);
    const r = await again.port.similar('the http retry logic', 1);
    assert.equal(r.method, 'embedding');
    assert.equal(r.hits[0]?.view.head.id, 'net');
    assert.equal(calls.length, 3); // only the query was embedded
  });

  it('backfills vectors for records written without an embedder', async () => {
    const s = await open();
    await s.recordAuction(auction('net', 'Retry HTTP calls', 'big', ['small']));
    const calls: string[][] = [];
    const withEmb = await open({ embedder: () => countingEmbedder(calls) });
    assert.equal(await withEmb.backfillEmbeddings(), 1);
    assert.equal(await withEmb.backfillEmbeddings(), 0);
    assert.equal((await open()).memoryIndex.vectorCount('toy/emb'), 1);
  });

  it('backfills at most `limit` auctions, `batch` per call, and stops before the next batch when cancelled', async () => {
    const s = await open();
    for (const id of ['a', 'b', 'c', 'd', 'e']) await s.recordAuction(auction(id, `Task ${id}`, 'big', ['small']));
    const calls: string[][] = [];
    const withEmb = await open({ embedder: () => countingEmbedder(calls) });
    assert.equal(await withEmb.backfillEmbeddings({ limit: 3, batch: 2 }), 3);
    assert.deepEqual(calls.map((c) => c.length), [2, 1]);
    const stop = new AbortController();
    const inner = countingEmbedder([]);
    const cancelling: Embedder = {
      model: inner.model,
      embed: (texts, o) => {
        stop.abort(); // cancelled while the first batch is in flight: that batch is kept, no second one starts
        return inner.embed(texts, o);
      },
    };
    const cancelled = await open({ embedder: () => cancelling });
    await assert.rejects(cancelled.backfillEmbeddings({ batch: 1, signal: stop.signal }), (e: unknown) => isCancellation(e));
    assert.equal(cancelled.memoryIndex.vectorCount('toy/emb'), 4);
  });

  it('deletes one auction from disk with its events, and keeps it deleted', async () => {
    const s = await open();
    await s.recordAuction(auction('keep', 'Keep me', 'big', ['small']));
    await s.recordAuction(auction('drop', 'Drop me', 'big', ['small']));
    await s.recordOutcome('drop', accepted);
    await s.delete('drop');
    assert.equal(s.get('drop'), undefined);
    const lines = await readLines(localPath);
    assert.deepEqual(lines.map((l) => `${l.kind}:${l.kind === 'auction' ? l.id : l.auctionId}`), ['auction:keep', 'deleted:drop']);
    assert.ok(!(await fs.readFile(localPath, 'utf8')).includes('Drop me'));
    assert.deepEqual((await open()).list().map((v) => v.head.id), ['keep']);
  });

  it('clears everything, and new records are kept after the clear', async () => {
    const s = await open();
    await s.recordAuction(auction('a', 'A', 'big', ['small']));
    await s.clear();
    assert.equal(s.list().length, 0);
    await s.recordAuction(auction('b', 'B', 'big', ['small']));
    assert.deepEqual((await open()).list().map((v) => v.head.id), ['b']);
  });

  it('picks up what another window appended, and rebuilds after its delete', async () => {
    const a = await open();
    const b = await open();
    await b.recordAuction(auction('fromB', 'From window B', 'big', ['small']));
    assert.equal(a.get('fromB'), undefined);
    await a.refresh();
    assert.ok(a.get('fromB'));
    await b.delete('fromB');
    await a.refresh();
    assert.equal(a.get('fromB'), undefined);
  });

  it('reports a torn line on open and still loads the rest', async () => {
    const s = await open();
    await s.recordAuction(auction('a', 'A', 'big', ['small']));
    await fs.appendFile(localPath, '{"v":1,"kind":"auction","id":"half');
    const log = collectingLogger();
    const again = await open({ log });
    assert.deepEqual(again.list().map((v) => v.head.id), ['a']);
    assert.equal(again.reports.local.skipped, 1);
    assert.equal(log.warnings.length, 1);
    await again.recordAuction(auction('b', 'B', 'big', ['small']));
    await again.refresh();
    assert.equal(again.reports.local.skipped, 1);
    assert.deepEqual((await open()).list().map((v) => v.head.id).sort(), ['a', 'b']);
  });

  it('exports and imports JSONL, skipping what is already there', async () => {
    const s = await open();
    await s.recordAuction(auction('a', 'A', 'big', ['small']));
    await s.recordOutcome('a', accepted);
    const dest = path.join(dir, 'export.jsonl');
    assert.equal(await s.exportTo(dest), 2);
    const other = await MemoryStore.open({ localPath: path.join(dir, 'other', 'memory.jsonl') });
    assert.deepEqual((await other.importFrom(dest)).imported, 2);
    assert.equal(other.get('a')?.label, 'accepted');
    const again = await other.importFrom(dest);
    assert.deepEqual([again.imported, again.duplicates], [0, 2]);
  });

  describe('team memory', () => {
    it('writes sanitised copies into <repo>/.sale with a union merge attribute', async () => {
      const s = await open({ team: { repoRoot } });
      const a = auction('a1', 'Use key sk-abcdefghijklmnopqrstuvwx for the client', 'big', ['small'], {
        contextFiles: ['src/secret.ts'],
        execution: { status: 'completed', summary: 'edited const SECRET in src/secret.ts' },
      });
      await s.recordAuction(a);
      await s.recordOutcome('a1', { type: 'tests', passed: true, output: 'all 12 passed' });
      assert.match(await fs.readFile(path.join(repoRoot, '.sale', '.gitattributes'), 'utf8'), /^\*\.jsonl merge=union$/m);
      const team = await readLines(teamMemoryPath(repoRoot));
      assert.equal(team.length, 2);
      const teamText = await fs.readFile(teamMemoryPath(repoRoot), 'utf8');
      for (const leak of ['sk-abcdefghijklmnopqrstuvwx', 'src/secret.ts', 'edited const', 'all 12 passed']) assert.ok(!teamText.includes(leak), leak);
      // The local file keeps the full record.
      assert.ok((await fs.readFile(localPath, 'utf8')).includes('src/secret.ts'));
    });

    it('merges a teammate’s records with local ones, de-duplicated by id, local first', async () => {
      const s = await open({ team: { repoRoot } });
      await s.recordAuction(auction('mine', 'Local full task', 'big', ['small']));
      // A teammate's lines arrive by git (union merge): their own auction, and a second copy of ours.
      const theirs = [auction('theirs', 'Teammate task', 'big', ['small']), outcome('theirs', accepted), auction('mine', 'Local full task', 'big', ['small'])];
      await fs.appendFile(teamMemoryPath(repoRoot), theirs.map((l) => JSON.stringify(l) + '\n').join(''));
      const again = await open({ team: { repoRoot } });
      assert.deepEqual(again.list().map((v) => v.head.id).sort(), ['mine', 'theirs']);
      assert.equal(again.get('theirs')?.label, 'accepted');
      const local = await MemoryStore.open({ localPath });
      assert.equal(local.get('theirs'), undefined); // team records stay in the team file
    });

    it('keeps a deleted record deleted when a merge brings its line back', async () => {
      const s = await open({ team: { repoRoot } });
      await s.recordAuction(auction('gone', 'Delete me', 'big', ['small']));
      await s.delete('gone');
      await fs.appendFile(teamMemoryPath(repoRoot), JSON.stringify(auction('gone', 'Delete me', 'big', ['small'])) + '\n');
      assert.equal((await open({ team: { repoRoot } })).get('gone'), undefined);
    });

    it('adds the attribute line to an existing .gitattributes without losing its lines', async () => {
      await fs.mkdir(path.join(repoRoot, '.sale'), { recursive: true });
      await fs.writeFile(path.join(repoRoot, '.sale', '.gitattributes'), '*.md text');
      await open({ team: { repoRoot } });
      await open({ team: { repoRoot } });
      assert.equal(await fs.readFile(path.join(repoRoot, '.sale', '.gitattributes'), 'utf8'), '*.md text\n*.jsonl merge=union\n');
    });
  });

  it('writes every line with the current schema version', async () => {
    const s = await open({ team: { repoRoot } });
    await s.recordAuction(auction('a', 'A', 'big', ['small']));
    await s.recordOutcome('a', accepted);
    for (const file of [localPath, teamMemoryPath(repoRoot)]) for (const l of await readLines(file)) assert.equal(l.v, MEMORY_SCHEMA_VERSION);
  });

  it('keeps no credential that a task, a plan or a test run carried, in the file or the index', async () => {
    const key = 'sk-proj-abcdefghijklmnopqrstuvwx';
    const s = await open();
    const a = auction('k1', `Call the API with ${key}`, 'big', ['small']);
    a.bids = a.bids.map((b) => ({ ...b, plan: `${b.plan}; export API_KEY=${key}` }));
    await s.recordAuction(a);
    const o = await s.recordOutcome('k1', { type: 'tests', passed: false, command: `curl -H "Authorization: Bearer ${key}"`, output: `401 for ${key}` });
    assert.ok(!(await fs.readFile(localPath, 'utf8')).includes(key));
    assert.equal(s.get('k1')?.head.task, 'Call the API with [redacted]');
    assert.ok((await s.auction('k1'))?.bids.every((b) => b.plan.endsWith('[redacted]')));
    assert.ok(o.fact.type === 'tests' && !JSON.stringify(o).includes(key));
  });
});
