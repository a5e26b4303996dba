import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { z } from 'zod';
import { memoryLineCodec } from '../../../../src/common/memory/legacy';
import { zodCodec } from '../../../../src/common/storage/lineCodec';
import { JsonlStore } from '../../../../src/node/storage/jsonlStore';
import { auction } from '../../common/memory/builders';
import { collectingLogger, tempDir } from './helpers';

const Item = z.object({ v: z.literal(1), id: z.string(), n: z.number() });
type Item = z.infer<typeof Item>;
const item = (id: string, n = 0): Item => ({ v: 1, id, n });

describe('JsonlStore', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    file = path.join(dir, 'nested', 'items.jsonl');
  });
  afterEach(() => cleanup());

  const open = (log = collectingLogger()): JsonlStore<Item> => new JsonlStore({ path: file, codec: zodCodec(Item), log });

  it('creates the file and reads back what was appended, in order', async () => {
    const s = open();
    assert.deepEqual((await s.load()).records, []);
    await s.append(item('a', 1));
    await s.appendMany([item('b', 2), item('c', 3)]);
    const { records, report } = await open().load();
    assert.deepEqual(records.map((r) => r.id), ['a', 'b', 'c']);
    assert.equal(report.skipped, 0);
    assert.equal(await fs.readFile(file, 'utf8'), records.map((r) => JSON.stringify(r) + '\n').join(''));
  });

  it('serialises concurrent appends within one process into whole lines', async () => {
    const s1 = open();
    const s2 = open();
    await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? s1 : s2).append(item(`x${i}`, i))));
    const { records, report } = await s1.load();
    assert.equal(report.skipped, 0);
    assert.deepEqual(records.map((r) => r.n).sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
  });

  it('skips a torn last line, reports it once, and starts the next append on a fresh line', async () => {
    const log = collectingLogger();
    const s = open(log);
    await s.append(item('a'));
    await fs.appendFile(file, '{"v":1,"id":"torn","n":');
    const first = await s.load();
    assert.deepEqual(first.records.map((r) => r.id), ['a']);
    assert.equal(first.report.skipped, 1);
    assert.equal(first.report.tornTail, true);
    await s.load();
    assert.equal(log.warnings.length, 1);
    await s.append(item('b'));
    const after = await s.load();
    assert.deepEqual(after.records.map((r) => r.id), ['a', 'b']);
    assert.equal(after.report.skipped, 1);
    assert.equal(after.report.skippedLines[0]?.line, 2);
    assert.equal(log.warnings.length, 1);
  });

  it('keeps a whole record whose newline was lost', async () => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `${JSON.stringify(item('a'))}\n${JSON.stringify(item('b'))}`);
    const s = open();
    assert.deepEqual((await s.load()).records.map((r) => r.id), ['a', 'b']);
    await s.append(item('c'));
    assert.deepEqual((await s.load()).records.map((r) => r.id), ['a', 'b', 'c']);
  });

  it('skips corrupt and invalid lines anywhere without failing the load', async () => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const lines = [JSON.stringify(item('a')), 'garbage{', '', JSON.stringify({ v: 1, id: 'no-n' }), '\u0000\u0000', JSON.stringify(item('b'))];
    await fs.writeFile(file, lines.join('\n') + '\n');
    const { records, report } = await open().load();
    assert.deepEqual(records.map((r) => r.id), ['a', 'b']);
    assert.equal(report.skipped, 3);
    assert.deepEqual(report.skippedLines.map((s) => s.line), [2, 4, 5]);
  });

  it('reads only what was appended since a cursor, and everything again after a rewrite', async () => {
    const s = open();
    await s.appendMany([item('a'), item('b')]);
    const first = await s.load();
    await open().append(item('c'));
    const next = await s.readSince(first.cursor);
    assert.equal(next.reset, false);
    assert.deepEqual(next.records.map((r) => r.id), ['c']);
    assert.deepEqual((await s.readSince(next.cursor)).records, []);
    assert.deepEqual(await s.rewrite((r) => r.id !== 'b'), { kept: 2, dropped: 1 });
    const after = await s.readSince(next.cursor);
    assert.equal(after.reset, true);
    assert.deepEqual(after.records.map((r) => r.id), ['a', 'c']);
  });

  it('clears by an atomic rewrite that leaves no temporary file', async () => {
    const s = open();
    await s.appendMany([item('a'), item('b')]);
    await s.clear();
    assert.deepEqual((await s.load()).records, []);
    await s.append(item('c'));
    assert.deepEqual((await s.load()).records.map((r) => r.id), ['c']);
    assert.deepEqual((await fs.readdir(path.dirname(file))).sort(), ['items.jsonl']);
  });

  it('upgrades old lines on read and leaves the file as it was', async () => {
    const memFile = path.join(dir, 'memory.jsonl');
    const old = { type: 'auction', id: 'old', ts: 0, task: 't', models: ['m'], bids: [{ model: 'm', strategy: 's', len: 1, cost: 0, value: 0, score: 0, won: true }] };
    const text = `${JSON.stringify(old)}\n${JSON.stringify(auction('new', 't', 'm', []))}\n`;
    await fs.writeFile(memFile, text);
    const { records, report } = await new JsonlStore({ path: memFile, codec: memoryLineCodec }).load();
    assert.deepEqual(records.map((r) => [r.id, r.v]), [['old', 2], ['new', 2]]);
    assert.equal(report.upgraded, 1);
    assert.equal(await fs.readFile(memFile, 'utf8'), text);
  });

  it('exports readable records and parses an export, skipping its bad lines', async () => {
    const s = open();
    await s.appendMany([item('a'), item('b')]);
    await fs.appendFile(file, 'junk\n');
    const dest = path.join(dir, 'export.jsonl');
    assert.equal(await s.exportTo(dest), 2);
    const text = await fs.readFile(dest, 'utf8');
    const parsed = s.parseForeign(`${text}not json\n`, dest);
    assert.deepEqual(parsed.records.map((r) => r.id), ['a', 'b']);
    assert.equal(parsed.report.skipped, 1);
  });

  it('says where each line is, in bytes, when appending and when reading, and reads a line back from there', async () => {
    const s = open();
    const first = await s.append(item('ä-ünïcödé', 1));
    await fs.appendFile(file, '{"v":1,"id":"torn"'); // a crash mid-write: the next append starts a fresh line
    const [second, third] = await s.appendMany([item('b', 2), item('😀', 3)]);
    assert.ok(second && third);
    assert.equal(first.offset, 0);
    const seen: [string, { offset: number; length: number }][] = [];
    await s.readSince(undefined, (r, ref) => void seen.push([r.id, ref]));
    assert.deepEqual(seen, [
      ['ä-ünïcödé', first],
      ['b', second],
      ['😀', third],
    ]);
    assert.deepEqual(await s.readAt(third), item('😀', 3));
    assert.deepEqual(await s.readAt(first), item('ä-ünïcödé', 1));
    // A position that no longer holds a whole record (the file was rewritten) reads as nothing.
    await s.rewrite((r) => r.id !== 'ä-ünïcödé');
    assert.equal(await s.readAt(third), undefined);
    assert.equal(await s.readAt({ offset: 10_000, length: 5 }), undefined);
  });
});
