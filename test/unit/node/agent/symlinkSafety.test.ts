import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { PathRefusedError } from '../../../../src/common/agent/errors';
import { createCheckpoint, restoreCheckpoint } from '../../../../src/node/agent/gitCheckpoint';
import { resolveInside } from '../../../../src/node/agent/safePath';
import { assertNoSymlinkOnPath, removeFileInside, useDescriptorPinning, writeFileInside } from '../../../../src/node/agent/safeWrite';
import { removeTempDirs, tempDir, writeFiles } from './tempDir';

/** Every file and folder under `dir` (recursively), as relative paths. */
async function entries(dir: string): Promise<string[]> {
  return (await fs.readdir(dir, { recursive: true })).map(String).sort();
}

/** Races restores against a folder-for-symlink swapper; returns how many restores left anything outside. */
async function racyRestores(label: string): Promise<{ anythingOutside: number }> {
  const root = await tempDir('race');
  const storage = await tempDir('race-storage');
  const outside = await tempDir('race-out');
  await writeFiles(root, { 'sub/f.txt': 'saved\n' });
  const cp = await createCheckpoint({ root, paths: ['sub/f.txt'], fallbackDir: storage });
  // The swapper: moves the folder aside, puts a symlink to `outside` in its place, removes it again, forever.
  const swapper = `
    const fs = require('node:fs'); const path = require('node:path');
    const [root, outside] = process.argv.slice(1); const sub = path.join(root, 'sub');
    for (let i = 0; ; i++) {
      try { fs.renameSync(sub, path.join(root, 'held', String(i))); } catch {}
      try { fs.symlinkSync(outside, sub); } catch {}
      for (let k = 0; k < 200; k++) {}
      try { if (fs.lstatSync(sub).isSymbolicLink()) fs.unlinkSync(sub); } catch {}
      try { fs.mkdirSync(sub); } catch {}
      for (let k = 0; k < 400; k++) {}
    }`;
  await fs.mkdir(path.join(root, 'held'));
  const child = spawn(process.execPath, ['-e', swapper, root, outside], { stdio: 'ignore' });
  const restores = 600;
  const deadline = Date.now() + 60_000; // a bound on a slow machine; the count is what is reported
  let done = 0;
  let refused = 0;
  let wroteOutside = 0;
  let emptyOutside = 0;
  try {
    for (; done < restores && Date.now() < deadline; done++) {
      await restoreCheckpoint(cp).catch(() => refused++);
      // A restore that wrote outside leaves something there: count it, clear it, go on.
      const found = await entries(outside);
      const sizes = await Promise.all(found.map(async (f) => (await fs.lstat(path.join(outside, f))).size));
      if (found.length > 0) emptyOutside++;
      if (sizes.some((n) => n > 0)) wroteOutside++;
      if (found.length > 0) {
        for (const f of found) await fs.rm(path.join(outside, f), { recursive: true, force: true });
      }
    }
  } finally {
    child.kill('SIGKILL');
  }
  console.log(`racy restores (${label}): ${done} run, ${refused} refused, ${wroteOutside} wrote bytes outside the workspace, ${emptyOutside} left any entry outside`);
  assert.ok(done >= 100, 'enough restores raced');
  assert.equal(wroteOutside, 0, 'no restore wrote a byte outside the workspace');
  return { anythingOutside: emptyOutside };
}

describe('symlink safety of writes', () => {
  after(removeTempDirs);

  it('resolveInside refuses a dangling symlink (and a path through one) instead of walking up past it', async () => {
    const root = await tempDir('dangling');
    const outside = await tempDir('dangling-out');
    await fs.symlink(path.join(outside, 'missing.txt'), path.join(root, 'planted.txt'));
    await fs.symlink(path.join(outside, 'missing-dir'), path.join(root, 'planted-dir'));
    await assert.rejects(resolveInside(root, 'planted.txt'), PathRefusedError);
    await assert.rejects(resolveInside(root, 'planted-dir/new.txt'), PathRefusedError);
    // A genuinely new file in a real folder still resolves.
    assert.equal((await resolveInside(root, 'new/dir/file.txt')).absolute, path.join(root, 'new/dir/file.txt'));
  });

  it('undo does not create a file outside through a dangling symlink planted where a file was', async () => {
    const root = await tempDir('undo-dangling');
    const storage = await tempDir('undo-dangling-storage');
    const outside = await tempDir('undo-dangling-out');
    await writeFiles(root, { 'f.txt': 'saved\n' });
    const cp = await createCheckpoint({ root, paths: ['f.txt'], fallbackDir: storage });
    await fs.rm(path.join(root, 'f.txt'));
    await fs.symlink(path.join(outside, 'f.txt'), path.join(root, 'f.txt'));
    await restoreCheckpoint(cp).catch(() => undefined); // refusing is fine, writing outside is not
    assert.deepEqual(await entries(outside), []);
  });

  it('writeFileInside and removeFileInside refuse symlinked folders and files, writing nothing outside', async () => {
    const root = await tempDir('sw');
    const outside = await tempDir('sw-out');
    await writeFiles(outside, { 'victim.txt': 'keep\n' });
    await fs.symlink(outside, path.join(root, 'dir-out'));
    await fs.symlink(path.join(outside, 'victim.txt'), path.join(root, 'link.txt'));
    await assert.rejects(writeFileInside(root, 'dir-out/x.txt', Buffer.from('x')), PathRefusedError);
    await assert.rejects(writeFileInside(root, 'link.txt', Buffer.from('x')), PathRefusedError);
    await assert.rejects(removeFileInside(root, 'dir-out/victim.txt'), PathRefusedError);
    await assert.rejects(writeFileInside(root, '../x.txt', Buffer.from('x')), PathRefusedError);
    assert.deepEqual(await entries(outside), ['victim.txt']);
    assert.equal(await fs.readFile(path.join(outside, 'victim.txt'), 'utf8'), 'keep\n');
    // The check the apply step runs before VS Code writes.
    await assert.rejects(assertNoSymlinkOnPath(root, 'dir-out/new.txt'), PathRefusedError);
    await assert.rejects(assertNoSymlinkOnPath(root, 'link.txt'), PathRefusedError);
    await assertNoSymlinkOnPath(root, 'fresh/new.txt');
    // The ordinary case: folders are created, bytes and mode land, no temporary file is left.
    await writeFileInside(root, 'a/b/c.sh', Buffer.from('#!/bin/sh\n'), 0o755);
    assert.equal(await fs.readFile(path.join(root, 'a/b/c.sh'), 'utf8'), '#!/bin/sh\n');
    assert.equal((await fs.stat(path.join(root, 'a/b/c.sh'))).mode & 0o777, 0o755);
    assert.deepEqual(await entries(path.join(root, 'a/b')), ['c.sh']);
    await removeFileInside(root, 'a/b/c.sh');
    await removeFileInside(root, 'a/b/never-existed.txt');
    assert.deepEqual(await entries(path.join(root, 'a/b')), []);
  });

  it('racy restores: a process swapping a folder for a symlink to outside never gets a byte (or an empty file) outside', async () => {
    // Descriptor-pinned folders (Linux). The lstat re-check fallback of other platforms narrows the window but
    // cannot close it without openat (see safeWrite.ts): it is checked against static symlinks below, not raced.
    const was = useDescriptorPinning(true);
    try {
      const { anythingOutside } = await racyRestores('descriptor-pinned folders');
      assert.equal(anythingOutside, 0, 'not even an empty file outside');
    } finally {
      useDescriptorPinning(was);
    }
  });

  it('the lstat re-check fallback (macOS, Windows) refuses symlinked folders and files too', async () => {
    const was = useDescriptorPinning(false);
    try {
      const root = await tempDir('sw-fallback');
      const outside = await tempDir('sw-fallback-out');
      await fs.symlink(outside, path.join(root, 'dir-out'));
      await fs.symlink(path.join(outside, 'victim.txt'), path.join(root, 'link.txt'));
      await assert.rejects(writeFileInside(root, 'dir-out/x.txt', Buffer.from('x')), PathRefusedError);
      await assert.rejects(writeFileInside(root, 'link.txt', Buffer.from('x')), PathRefusedError);
      await assert.rejects(removeFileInside(root, 'dir-out/x.txt'), PathRefusedError);
      assert.deepEqual(await entries(outside), []);
      await writeFileInside(root, 'a/b.txt', Buffer.from('ok'));
      assert.equal(await fs.readFile(path.join(root, 'a/b.txt'), 'utf8'), 'ok');
    } finally {
      useDescriptorPinning(was);
    }
  });
});
