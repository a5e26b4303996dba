import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { MemoryStore, snapshotPathFor, type MemoryStoreOptions } from '../../../../src/node/memory/memoryStore';
import { JsonlStore } from '../../../../src/node/storage/jsonlStore';
import { teamMemoryPath } from '../../../../src/node/memory/teamMemory';
import { accepted, auction, rejected } from '../../common/memory/builders';
import { collectingLogger, tempDir } from './helpers';

/** What a user of the store sees: the list with labels and costs, the full lines, and retrieval. */
async function observe(store: MemoryStore): Promise<unknown> {
  const list = store.list();
  return {
    list,
    lines: await Promise.all(list.map(async (v) => ({ auction: await store.auction(v.head.id), outcomes: await store.outcomes(v.head.id) }))),
    lexical: store.memoryIndex.similar({ task: 'retry the http client', k: 3 }).hits.map((h) => [h.view.head.id, h.similarity]),
    vector: store.memoryIndex.similar({ task: '', k: 3, vector: { model: 'emb', values: [1, 0, 0.5] } }).hits.map((h) => [h.view.head.id, h.similarity]),
    pairs: (await store.port.contrastivePairs({ task: 'retry http', modelId: 'small', k: 3 })).pairs,
  };
}

/** Makes a JsonlStore method wait `ms` first, as the I/O of a large file would; returns the undo. */
function slowDown(method: 'rewrite' | 'readSince', ms: number): () => void {
  const proto = JsonlStore.prototype as unknown as Record<typeof method, (...args: unknown[]) => Promise<unknown>>;
  const original = proto[method];
  proto[method] = async function (this: unknown, ...args: unknown[]) {
    await new Promise((r) => setTimeout(r, ms));
    return original.apply(this, args);
  };
  return () => {
    proto[method] = original;
  };
}

describe('MemoryStore index snapshot', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let localPath: string;
  let snapshotPath: string;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    localPath = path.join(dir, 'storage', 'memory.jsonl');
    snapshotPath = snapshotPathFor(localPath);
  });
  afterEach(() => cleanup());

  const open = (extra: Partial<MemoryStoreOptions> = {}): Promise<MemoryStore> => MemoryStore.open({ localPath, snapshot: { everyLines: 1_000_000 }, ...extra });

  async function fill(store: MemoryStore, from: number, to: number): Promise<void> {
    for (let i = from; i < to; i++) {
      const task = i % 2 ? `retry the http client, case ${i}` : `theme the sidebar, case ${i}`;
      await store.recordAuction(auction(`a${i}`, task, 'big', ['small', 'mid'], { time: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z` }));
      if (i % 3 === 0) await store.recordOutcome(`a${i}`, i % 2 ? accepted : rejected);
      if (i % 4 === 0) await store.recordOutcome(`a${i}`, { type: 'execution-cost', inputTokens: 100 * i, outputTokens: i, dollars: 0.01 * i });
    }
  }

  it('a reopen from the snapshot plus the lines after it sees exactly what a reopen from the files sees', async () => {
    const writer = await open({ embedder: () => ({ model: 'emb', embed: (texts) => Promise.resolve(texts.map((t) => [t.includes('retry') ? 1 : 0, t.includes('theme') ? 1 : 0, t.length % 3])) }) });
    await fill(writer, 0, 12);
    assert.equal(await writer.saveSnapshot(), true);
    await fill(writer, 12, 20);
    await writer.recordOutcome('a1', { type: 'undone' });
    const fromSnapshot = await open();
    assert.equal(fromSnapshot.loadedFrom, 'snapshot');
    const fromFiles = await open({ snapshot: false });
    assert.equal(fromFiles.loadedFrom, 'files');
    const seen = (await observe(fromSnapshot)) as { vector: unknown[]; pairs: unknown[] };
    assert.deepEqual(seen, await observe(fromFiles));
    assert.ok(seen.vector.length > 0 && seen.pairs.length > 0, 'vectors and pairs were compared, not two empty lists');
    // Every line was read at the position the snapshot gave: no fall-back to reading the files again.
    assert.equal(fromSnapshot.loadedFrom, 'snapshot');
    assert.equal(fromSnapshot.get('a1')?.label, 'undone');
    assert.equal(fromSnapshot.list().length, 20);
    assert.equal((await fromSnapshot.auction('a5'))?.bids[0]?.plan, 'big plan for retry the http client, case 5');
  });

  it('is written in the background once enough lines came in, and used by the next open', async () => {
    const store = await open({ snapshot: { everyLines: 10 } });
    await fill(store, 0, 9);
    for (const deadline = Date.now() + 10_000; Date.now() < deadline && !(await fs.stat(snapshotPath).catch(() => undefined)); ) await new Promise((r) => setTimeout(r, 20));
    assert.ok(await fs.stat(snapshotPath), 'the snapshot was written');
    const again = await open();
    assert.equal(again.loadedFrom, 'snapshot');
    assert.equal(again.list().length, 9);
  });

  it('is not used, and is removed, when it is corrupt, cut off, or from files that changed', async () => {
    const store = await open();
    await fill(store, 0, 6);
    assert.equal(await store.saveSnapshot(), true);
    const good = await fs.readFile(snapshotPath);
    const log = collectingLogger();
    const cases: [string, Buffer][] = [
      ['a flipped byte', Buffer.from(good.map((b, i) => (i === good.length - 3 ? b ^ 0xff : b)))],
      ['cut off', good.subarray(0, Math.floor(good.length / 2))],
      ['not a snapshot', Buffer.from('{"v":1}\n')],
    ];
    for (const [what, bytes] of cases) {
      await fs.writeFile(snapshotPath, bytes);
      const s = await open({ log: { ...log, info: (m: string) => log.warn(m) } });
      assert.equal(s.loadedFrom, 'files', what);
      assert.equal(s.list().length, 6, what);
      await assert.rejects(fs.stat(snapshotPath), /ENOENT/, `${what}: removed`);
    }
    assert.equal(log.warnings.filter((w) => w.includes('snapshot not used')).length, 3);
    // A hand edit of the memory file before the snapshot's position makes it stale.
    await fs.writeFile(snapshotPath, good);
    const text = await fs.readFile(localPath, 'utf8');
    await fs.writeFile(localPath, text.replace('theme the sidebar, case 4', 'theme the sidebar, case X'));
    const edited = await open();
    assert.equal(edited.loadedFrom, 'files');
    assert.equal(edited.get('a4')?.head.task, 'theme the sidebar, case X');
  });

  it('delete and clear remove the snapshot first: the deleted task is on no file in the folder', async () => {
    const store = await open();
    await fill(store, 0, 4);
    await store.recordAuction(auction('secret', 'the secret project codename Bluebird', 'big', ['small']));
    assert.equal(await store.saveSnapshot(), true);
    assert.ok((await fs.readFile(snapshotPath)).includes('Bluebird'), 'the snapshot holds task text');
    await store.delete('secret');
    for (const f of await fs.readdir(path.dirname(localPath))) assert.ok(!(await fs.readFile(path.join(path.dirname(localPath), f))).includes('Bluebird'), f);
    assert.equal((await open()).get('secret'), undefined);
    assert.equal(await store.saveSnapshot(), true);
    await store.clear();
    await assert.rejects(fs.stat(snapshotPath), /ENOENT/);
    assert.equal((await open()).list().length, 0);
  });

  it('reads a full line again after another window rewrote the file under it', async () => {
    const a = await open();
    await fill(a, 0, 6);
    const b = await open();
    await b.delete('a0');
    // `a` still holds positions in the old file: it notices and reads the new one.
    assert.equal((await a.auction('a3'))?.task, 'retry the http client, case 3');
    assert.deepEqual((await a.outcomes('a3')).map((o) => o.fact.type), ['review']);
    assert.equal(a.get('a0'), undefined);
  });

  it('covers the team file too: a change to it by git makes the snapshot stale', async () => {
    const repoRoot = path.join(dir, 'repo');
    const store = await open({ team: { repoRoot } });
    await fill(store, 0, 4);
    assert.equal(await store.saveSnapshot(), true);
    assert.equal((await open({ team: { repoRoot } })).loadedFrom, 'snapshot');
    // Without team memory the same snapshot is for other files: not used.
    await store.saveSnapshot();
    assert.equal((await open()).loadedFrom, 'files');
    await store.saveSnapshot();
    const teamFile = teamMemoryPath(repoRoot);
    const other = auction('theirs', 'their task from another machine', 'big', ['small']);
    // What a pull does: a new file (new inode) with a line from another machine in the middle.
    const lines = (await fs.readFile(teamFile, 'utf8')).split('\n');
    lines.splice(1, 0, JSON.stringify(other));
    await fs.rm(teamFile);
    await fs.writeFile(teamFile, lines.join('\n'));
    const pulled = await open({ team: { repoRoot } });
    assert.equal(pulled.loadedFrom, 'files');
    assert.equal(pulled.get('theirs')?.head.task, 'their task from another machine');
  });

  it('removes temporary files of snapshot writes that died long ago, not ones being written now', async () => {
    await fs.mkdir(path.dirname(snapshotPath), { recursive: true });
    const old = path.join(path.dirname(snapshotPath), `.${path.basename(snapshotPath)}.4242.abc.tmp`);
    const fresh = path.join(path.dirname(snapshotPath), `.${path.basename(snapshotPath)}.4243.abd.tmp`);
    const unrelated = path.join(path.dirname(snapshotPath), '.other.tmp');
    for (const f of [old, fresh, unrelated]) await fs.writeFile(f, 'partial');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await fs.utimes(old, hourAgo, hourAgo);
    await fs.utimes(unrelated, hourAgo, hourAgo);
    await open();
    await assert.rejects(fs.stat(old), /ENOENT/);
    assert.ok(await fs.stat(fresh));
    assert.ok(await fs.stat(unrelated));
  });

  it('a snapshot started around a delete never brings the deleted task back to disk', async () => {
    const hasSecret = async (): Promise<string[]> => {
      const folder = path.dirname(localPath);
      const hits: string[] = [];
      for (const f of await fs.readdir(folder)) {
        // A background snapshot write may rename its temporary file between the listing and the read.
        const bytes = await fs.readFile(path.join(folder, f)).catch(() => Buffer.alloc(0));
        if (bytes.includes('Bluebird')) hits.push(f);
      }
      return hits;
    };
    // A rewrite of a large file takes seconds: slow it down so a snapshot write overlaps it, as it would then.
    after(slowDown('rewrite', 150));
    for (const order of ['snapshot first', 'delete first', 'lines during delete'] as const) {
      await fs.rm(path.dirname(localPath), { recursive: true, force: true });
      const store = await open({ snapshot: { everyLines: order === 'lines during delete' ? 1 : 1_000_000 } });
      await fill(store, 0, 3);
      await store.recordAuction(auction('secret', 'the secret project codename Bluebird', 'big', ['small']));
      const pending: Promise<unknown>[] = [];
      if (order === 'snapshot first') pending.push(store.saveSnapshot(), store.delete('secret'));
      if (order === 'delete first') pending.push(store.delete('secret'), store.saveSnapshot());
      if (order === 'lines during delete') {
        // An outcome of the auction being deleted that arrives right after the rewrite must not land either.
        const proto = JsonlStore.prototype as unknown as { rewrite: (...args: unknown[]) => Promise<unknown> };
        const slowed = proto.rewrite;
        proto.rewrite = async function (this: unknown, ...args: unknown[]) {
          const result = await slowed.apply(this, args);
          proto.rewrite = slowed;
          await store.recordOutcome('secret', { type: 'tests', passed: false, output: 'Bluebird failed' });
          return result;
        };
        pending.push(store.delete('secret'), store.recordOutcome('a1', accepted), store.recordOutcome('a2', accepted));
      }
      await Promise.all(pending);
      assert.deepEqual(await hasSecret(), [], order);
      // Let background writes finish before the folder goes, and look once more.
      await store.saveSnapshot();
      assert.deepEqual(await hasSecret(), [], order);
      assert.equal((await open()).get('secret'), undefined, order);
    }
  });

  it('serialises refreshes and reloads: lines another machine added are never skipped', async () => {
    const repoRoot = path.join(dir, 'repo');
    const mine = await open({ team: { repoRoot } });
    await fill(mine, 0, 4);
    // Another machine (its own local file, the same team file) adds auctions while this one reloads and refreshes.
    const theirs = await MemoryStore.open({ localPath: path.join(dir, 'other', 'memory.jsonl'), team: { repoRoot }, snapshot: false });
    // Reads of a large file take a while: slow them so refreshes, reloads and appends interleave.
    const restore = slowDown('readSince', 5);
    after(restore);
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 3; i++) {
      work.push(theirs.recordAuction(auction(`t${i}`, `their task ${i}`, 'big', ['small'])));
      work.push(mine.refresh(), mine.delete(`a${i}`), mine.refresh());
    }
    await Promise.all(work);
    restore();
    await mine.refresh();
    const ids = (s: MemoryStore): string[] => s.list().map((v) => v.head.id).sort();
    assert.deepEqual(ids(mine), ['a3', 't0', 't1', 't2']);
    assert.equal(await mine.saveSnapshot(), true);
    const reopened = await open({ team: { repoRoot } });
    assert.equal(reopened.loadedFrom, 'snapshot');
    assert.deepEqual(ids(reopened), ['a3', 't0', 't1', 't2']);
  });

  it('many readers that find stale positions cause one reload, not one each', async () => {
    const a = await open();
    await fill(a, 0, 12);
    await (await open()).delete('a0');
    const proto = JsonlStore.prototype as unknown as { readSince: (...args: unknown[]) => Promise<unknown> };
    const original = proto.readSince;
    let fullReads = 0;
    proto.readSince = function (this: unknown, ...args: unknown[]) {
      if (args[0] === undefined) fullReads++;
      return original.apply(this, args);
    };
    try {
      const lines = await Promise.all(['a1', 'a3', 'a5', 'a7', 'a9', 'a11'].map((id) => a.auction(id)));
      assert.deepEqual(lines.map((l) => l?.id), ['a1', 'a3', 'a5', 'a7', 'a9', 'a11']);
    } finally {
      proto.readSince = original;
    }
    assert.equal(fullReads, 1);
  });

  it('keeps the full local line, not its team copy, when another window writes both while this one reads', async () => {
    const repoRoot = path.join(dir, 'repo');
    const mine = await open({ team: { repoRoot } });
    await fill(mine, 0, 2);
    // Another window on the same folder: the same local file and the same team file.
    const other = await open({ team: { repoRoot } });
    const proto = JsonlStore.prototype as unknown as { readSince: (...args: unknown[]) => Promise<unknown> };
    const original = proto.readSince;
    let injected = false;
    proto.readSince = async function (this: JsonlStore<unknown>, ...args: unknown[]) {
      // Right after this window read the local file and before it reads the team file, the other window records.
      if (!injected && this.path === teamMemoryPath(repoRoot)) {
        injected = true;
        await other.recordAuction(auction('both', 'recorded in the other window', 'big', ['small'], { contextFiles: ['src/secret-name.ts'] }));
      }
      return original.apply(this, args);
    };
    try {
      await mine.refresh();
    } finally {
      proto.readSince = original;
    }
    assert.ok(injected);
    assert.deepEqual(mine.get('both')?.head.contextFiles, ['src/secret-name.ts'], 'the local line, with its context files, is the one indexed');
    assert.deepEqual((await mine.auction('both'))?.contextFiles, ['src/secret-name.ts']);
  });
});
