// A line from a newer schema (another window, a teammate's newer version) cannot be decoded here; a delete or
// clear must keep it byte for byte and count it, never drop it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MemoryStore } from '../../../../src/node/memory/memoryStore';
import { auction } from '../../common/memory/builders';
import { tempDir } from './helpers';

const newer = [
  JSON.stringify({ v: 99, kind: 'auction', id: 'from-the-future', task: 'a newer record', extra: { shape: [1, 2] } }),
  JSON.stringify({ v: 99, kind: 'hologram', id: 'h1', auctionId: 'keep', payload: 'unknown kind' }),
];

/** A fresh memory file path per test, in a temporary folder removed after it. */
function memoryFile(): { readonly path: string } {
  let cleanup: (() => Promise<void>) | undefined;
  const current = { path: '' };
  beforeEach(async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    current.path = path.join(t.dir, 'storage', 'memory.jsonl');
  });
  afterEach(() => cleanup?.());
  return current;
}

describe('memory rewrites keep lines they cannot decode', () => {
  const file = memoryFile();

  async function seeded(): Promise<MemoryStore> {
    const s = await MemoryStore.open({ localPath: file.path });
    await s.recordAuction(auction('keep', 'Keep me', 'big', ['small']));
    await s.recordAuction(auction('drop', 'Drop me', 'big', ['small']));
    await fs.appendFile(file.path, `${newer.join('\n')}\n`);
    return s;
  }

  it('across a delete: the newer lines stay verbatim, the deleted auction goes', async () => {
    const s = await seeded();
    await s.delete('drop');
    const text = await fs.readFile(file.path, 'utf8');
    for (const line of newer) assert.ok(text.split('\n').includes(line), `kept: ${line}`);
    assert.ok(!text.includes('Drop me'));
  });

  it('across a clear: the newer lines stay verbatim, everything decodable goes', async () => {
    const s = await seeded();
    await s.clear();
    const lines = (await fs.readFile(file.path, 'utf8')).split('\n').filter(Boolean);
    assert.deepEqual(lines, newer);
  });

  it('a newer line about a deleted auction is dropped with it (it names the auction)', async () => {
    const s = await seeded();
    await fs.appendFile(file.path, `${JSON.stringify({ v: 99, kind: 'hologram', id: 'h2', auctionId: 'drop' })}\n`);
    await s.delete('drop');
    const text = await fs.readFile(file.path, 'utf8');
    assert.ok(!text.includes('"h2"'));
    assert.ok(text.includes('"h1"'));
  });
});

describe('memory lines that are not valid UTF-8', () => {
  const file = memoryFile();

  // A JSON line whose string holds a byte that is not UTF-8 (0xff): read leniently, it would become U+FFFD.
  const broken = Buffer.concat([Buffer.from('{"v":2,"kind":"auction","id":"latin","task":"caf'), Buffer.from([0xe9, 0xff]), Buffer.from('"}')]);

  it('are skipped on load with a reason, never stored with U+FFFD, and kept byte for byte across a delete and a clear', async () => {
    const s = await MemoryStore.open({ localPath: file.path });
    await s.recordAuction(auction('keep', 'Keep me', 'big', ['small']));
    await s.recordAuction(auction('drop', 'Drop me', 'big', ['small']));
    await fs.appendFile(file.path, Buffer.concat([broken, Buffer.from('\n')]));

    const reopened = await MemoryStore.open({ localPath: file.path });
    const tasks = reopened.list().map((a) => a.head.task);
    assert.deepEqual(tasks.sort(), ['Drop me', 'Keep me']);
    assert.ok(!tasks.some((t) => t.includes('\uFFFD')));

    await reopened.delete('drop');
    let bytes = await fs.readFile(file.path);
    assert.ok(bytes.includes(broken), 'the broken line is still there, byte for byte');
    assert.ok(!bytes.includes(Buffer.from('\uFFFD', 'utf8')), 'no replacement character was written');
    assert.ok(!bytes.includes(Buffer.from('Drop me')));

    await reopened.clear();
    bytes = await fs.readFile(file.path);
    assert.deepEqual(bytes, Buffer.concat([broken, Buffer.from('\n')]));
  });
});
