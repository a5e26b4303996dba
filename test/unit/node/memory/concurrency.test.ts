import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { memoryLineCodec } from '../../../../src/common/memory/legacy';
import { JsonlStore } from '../../../../src/node/storage/jsonlStore';
import { tempDir } from './helpers';

const APPENDER = path.join(import.meta.dirname, 'fixtures', 'appender.ts');

function run(file: string, prefix: string, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', APPENDER, file, prefix, String(count), '10000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.split('\n').filter((l) => l.startsWith(`${prefix}-`))) : reject(new Error(`appender ${prefix} failed (${code}): ${err}`))));
  });
}

describe('memory store across processes', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  before(async () => ({ dir, cleanup } = await tempDir()));
  after(() => cleanup());

  it('reads back all 2,000 records whole when two processes append 1,000 each at once', { timeout: 60_000 }, async () => {
    const file = path.join(dir, 'shared.jsonl');
    const [a, b] = await Promise.all([run(file, 'A', 1000), run(file, 'B', 1000)]);
    assert.equal(a.length, 1000);
    assert.equal(b.length, 1000);
    const { records, report } = await new JsonlStore({ path: file, codec: memoryLineCodec }).load();
    assert.equal(report.skipped, 0, 'no interleaved or broken line');
    assert.equal(records.length, 2000);
    const ids = records.map((r) => r.id);
    // Each process's records are in its own order, and the two streams really interleaved.
    assert.deepEqual(ids.filter((id) => id.startsWith('A-')), a);
    assert.deepEqual(ids.filter((id) => id.startsWith('B-')), b);
    const switches = ids.filter((id, i) => i > 0 && id[0] !== ids[i - 1]?.[0]).length;
    assert.ok(switches > 1, 'the two processes appended at the same time');
  });
});
