import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PathRefusedError } from '../../../../src/common/agent/errors';
import { CancelledError } from '../../../../src/common/errors';
import { NodeShell } from '../../../../src/node/agent/shell';
import { removeTempDirs, tempDir } from './tempDir';

const node = JSON.stringify(process.execPath);
const base = { cwd: '.', timeoutMs: 30_000, maxOutputBytes: 10_000 };

/** True once the process is gone (or a zombie nobody reaps in this container). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
      const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      if (/^\d+ \(.*\) Z/.test(stat)) return true;
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

describe('NodeShell', () => {
  let root: string;
  let shell: NodeShell;
  after(removeTempDirs);
  before(async () => {
    root = await tempDir('shell');
    await fs.mkdir(path.join(root, 'sub'));
    shell = new NodeShell({ root, killGraceMs: 200 });
  });

  it('runs in the workspace (or a folder inside it) and reports the exit code and both streams', async () => {
    const r = await shell.run({ ...base, command: `${node} -e "console.log(process.cwd()); console.error('err'); process.exit(3)"` });
    assert.equal(r.exitCode, 3);
    assert.match(r.output, new RegExp(`${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
    assert.match(r.output, /err/);
    assert.equal(r.truncated, false);
    const sub = await shell.run({ ...base, cwd: 'sub', command: `${node} -e "console.log(process.cwd())"` });
    assert.equal(sub.output.trim(), path.join(root, 'sub'));
    await assert.rejects(shell.run({ ...base, cwd: '..', command: 'true' }), PathRefusedError);
  });

  it('caps the output and marks the truncation', async () => {
    const r = await shell.run({ ...base, maxOutputBytes: 1000, command: `${node} -e "process.stdout.write('y'.repeat(50000))"` });
    assert.equal(r.truncated, true);
    assert.equal(r.exitCode, 0);
    assert.ok(r.output.startsWith('y'.repeat(1000) + '\n[output truncated: 49000 more bytes'), r.output.slice(990, 1060));
  });

  it('kills the whole process group on timeout', async () => {
    const pidFile = path.join(root, 'child.pid');
    const r = await shell.run({ ...base, timeoutMs: 300, command: `sleep 30 & echo $! > ${JSON.stringify(pidFile)}; wait` });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, undefined);
    const pid = Number((await fs.readFile(pidFile, 'utf8')).trim());
    assert.ok(await gone(pid), 'the background child was killed too');
  });

  it('rejects with CancelledError and kills the process when aborted', async () => {
    const controller = new AbortController();
    const pidFile = path.join(root, 'abort.pid');
    const run = shell.run({ ...base, signal: controller.signal, command: `echo $$ > ${JSON.stringify(pidFile)}; sleep 30` });
    for (let i = 0; i < 200 && !(await fs.stat(pidFile).catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await assert.rejects(run, CancelledError);
    assert.ok(await gone(Number((await fs.readFile(pidFile, 'utf8')).trim())));
  });
});
