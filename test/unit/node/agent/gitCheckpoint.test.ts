import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseCheckpoint } from '../../../../src/common/agent/checkpoint';
import { PathRefusedError, SpecialModeError } from '../../../../src/common/agent/errors';
import { writeFileInside } from '../../../../src/node/agent/safeWrite';
import { createCheckpoint, deleteCheckpoint, listCheckpoints, restoreCheckpoint, restoreLatestCheckpoint } from '../../../../src/node/agent/gitCheckpoint';
import { removeTempDirs, tempDir, writeFiles } from './tempDir';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

/** Everything the user's git state is made of that a checkpoint must never move. */
function gitState(repo: string) {
  return {
    head: git(repo, 'rev-parse', 'HEAD'),
    branch: git(repo, 'symbolic-ref', 'HEAD'),
    index: git(repo, 'diff', '--cached'),
    indexFile: git(repo, 'ls-files', '--stage'),
    stash: git(repo, 'stash', 'list'),
    branches: git(repo, 'for-each-ref', 'refs/heads', 'refs/tags'),
  };
}

async function snapshot(root: string, paths: string[]) {
  const out: Record<string, { bytes: string; mode: number } | null> = {};
  for (const p of paths) {
    const file = path.join(root, p);
    const s = await fs.stat(file).catch(() => undefined);
    out[p] = s ? { bytes: (await fs.readFile(file)).toString('base64'), mode: s.mode & 0o777 } : null;
  }
  return out;
}

const binary = new Uint8Array([0, 1, 2, 255, 254, 10, 13, 10]);
const touched = ['src/a.ts', 'src/crlf.txt', 'bin.dat', 'run.sh', 'gone.txt', 'new/dir/created.ts'];

/** Simulates "apply": edits, deletes and creates files the way an accepted change set would. */
async function apply(root: string) {
  await writeFiles(root, { 'src/a.ts': 'export const a = 2;\n', 'src/crlf.txt': 'changed\n', 'bin.dat': 'text now', 'new/dir/created.ts': 'new\n', 'run.sh': 'echo changed\n' });
  await fs.chmod(path.join(root, 'run.sh'), 0o644);
  await fs.rm(path.join(root, 'gone.txt'));
}

describe('checkpoints', () => {
  after(removeTempDirs);

  it('git: restores touched files byte for byte and never moves HEAD, branch, index or stash', async () => {
    const repo = await tempDir('repo');
    const storage = await tempDir('storage');
    git(repo, 'init', '-q', '-b', 'feature');
    git(repo, 'config', 'user.email', 't@example.invalid');
    git(repo, 'config', 'user.name', 'T');
    // A text filter that would rewrite line endings: the checkpoint must bypass it.
    await writeFiles(repo, { '.gitattributes': '*.txt text eol=crlf\n', 'src/a.ts': 'export const a = 1;\n', 'src/crlf.txt': 'one\r\ntwo\n', 'bin.dat': binary, 'run.sh': '#!/bin/sh\necho hi\n', 'gone.txt': 'bye\n' });
    await fs.chmod(path.join(repo, 'run.sh'), 0o755);
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'init');
    // Some user state: a stash entry, a staged change and an unstaged one.
    await writeFiles(repo, { 'gone.txt': 'stashed\n' });
    git(repo, 'stash', '-q');
    await writeFiles(repo, { 'src/a.ts': 'export const a = 10; // staged\n' });
    git(repo, 'add', 'src/a.ts');
    await writeFiles(repo, { 'src/a.ts': 'export const a = 11; // unstaged on top\n' });

    const before = gitState(repo);
    const status = git(repo, 'status', '--porcelain');
    const files = await snapshot(repo, touched);

    const cp = await createCheckpoint({ root: repo, paths: touched, fallbackDir: storage, label: 'auction-1' });
    assert.equal(cp.kind, 'git');
    assert.match(cp.location, /^refs\/sale\/checkpoints\//);
    assert.deepEqual(gitState(repo), before, 'taking a checkpoint moves nothing');
    assert.equal(git(repo, 'status', '--porcelain'), status);
    assert.deepEqual(await fs.readdir(storage), [], 'no fallback copy in a repository');

    await apply(repo);
    assert.notDeepEqual(await snapshot(repo, touched), files);
    assert.deepEqual(gitState(repo), before);

    const restored = await restoreLatestCheckpoint(repo, storage);
    assert.equal(restored?.id, cp.id);
    assert.deepEqual(await snapshot(repo, touched), files, 'bytes and modes are back');
    await assert.rejects(fs.stat(path.join(repo, 'new/dir/created.ts')), /ENOENT/);
    assert.deepEqual(gitState(repo), before, 'restoring moves nothing');
    assert.equal(git(repo, 'status', '--porcelain'), status);
  });

  it('git: "latest" is the newest of several checkpoints, and a deleted one is gone', async () => {
    const repo = await tempDir('repo2');
    git(repo, 'init', '-q');
    await writeFiles(repo, { 'f.txt': 'v1' });
    const first = await createCheckpoint({ root: repo, paths: ['f.txt'], fallbackDir: repo });
    await writeFiles(repo, { 'f.txt': 'v2' });
    const second = await createCheckpoint({ root: repo, paths: ['f.txt'], fallbackDir: repo });
    await writeFiles(repo, { 'f.txt': 'v3' });
    assert.deepEqual((await listCheckpoints(repo, repo)).map((c) => c.id), [second.id, first.id]);
    await restoreLatestCheckpoint(repo, repo);
    assert.equal(await fs.readFile(path.join(repo, 'f.txt'), 'utf8'), 'v2');
    await deleteCheckpoint(second);
    await restoreCheckpoint((await listCheckpoints(repo, repo))[0] ?? first);
    assert.equal(await fs.readFile(path.join(repo, 'f.txt'), 'utf8'), 'v1');
    // In a repository without any commit HEAD cannot move, and no branch appeared.
    assert.equal(git(repo, 'for-each-ref', 'refs/heads'), '');
  });

  it('git: works with the environment VS Code gives the extension host (EDITOR, GIT_EDITOR, GIT_ASKPASS set)', async () => {
    const repo = await tempDir('repo-env');
    git(repo, 'init', '-q');
    await writeFiles(repo, { 'f.txt': 'before' });
    const saved = { ...process.env };
    Object.assign(process.env, { EDITOR: 'code --wait', GIT_EDITOR: 'code --wait', GIT_ASKPASS: '/bin/false' });
    try {
      const cp = await createCheckpoint({ root: repo, paths: ['f.txt'], fallbackDir: repo });
      assert.equal(cp.kind, 'git');
    } finally {
      for (const k of ['EDITOR', 'GIT_EDITOR', 'GIT_ASKPASS']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
    await writeFiles(repo, { 'f.txt': 'after' });
    await restoreLatestCheckpoint(repo, repo);
    assert.equal(await fs.readFile(path.join(repo, 'f.txt'), 'utf8'), 'before');
  });

  it('folder fallback: copies the touched files and restores them exactly', async () => {
    const dir = await tempDir('plain');
    const storage = await tempDir('storage-plain');
    await writeFiles(dir, { 'src/a.ts': 'export const a = 1;\n', 'src/crlf.txt': 'one\r\ntwo\n', 'bin.dat': binary, 'run.sh': '#!/bin/sh\n', 'gone.txt': 'bye\n' });
    await fs.chmod(path.join(dir, 'run.sh'), 0o755);
    const files = await snapshot(dir, touched);
    const cp = await createCheckpoint({ root: dir, paths: touched, fallbackDir: storage });
    assert.equal(cp.kind, 'folder');
    assert.ok(cp.location.startsWith(storage));
    await apply(dir);
    const restored = await restoreLatestCheckpoint(dir, storage);
    assert.equal(restored?.id, cp.id);
    assert.deepEqual(await snapshot(dir, touched), files);
  });

  it('refuses paths outside the workspace or in .git', async () => {
    const dir = await tempDir('refuse');
    await assert.rejects(createCheckpoint({ root: dir, paths: ['../x'], fallbackDir: dir }), PathRefusedError);
    await assert.rejects(createCheckpoint({ root: dir, paths: ['.git/config'], fallbackDir: dir }), PathRefusedError);
  });

  for (const kind of ['git', 'folder'] as const) {
    it(`${kind}: undo removes the folders the apply created, unless the user has put something in them since`, async () => {
      const dir = await tempDir(`folders-${kind}`);
      const storage = await tempDir(`storage-folders-${kind}`);
      if (kind === 'git') {
        git(dir, 'init', '-q');
        await writeFiles(dir, { 'keep.txt': 'x\n' });
        git(dir, 'add', '.');
        git(dir, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'init');
      } else await writeFiles(dir, { 'keep.txt': 'x\n' });
      await fs.mkdir(path.join(dir, 'src'));
      const paths = ['src/new/deep/a.ts', 'src/new/b.ts', 'other/c.ts', 'third/d.ts'];
      const cp = await createCheckpoint({ root: dir, paths, fallbackDir: storage });
      assert.equal(cp.kind, kind);
      assert.deepEqual(cp.createdFolders, ['other', 'src/new', 'src/new/deep', 'third']);
      await writeFiles(dir, { 'src/new/deep/a.ts': '1\n', 'src/new/b.ts': '2\n', 'other/c.ts': '3\n', 'third/d.ts': '4\n', 'third/mine.txt': 'the user wrote this\n' });
      await restoreCheckpoint(cp);
      const left = async (p: string) => fs.lstat(path.join(dir, p)).then(() => true, () => false);
      assert.equal(await left('src'), true, 'a folder that existed before stays');
      assert.equal(await left('src/new'), false);
      assert.equal(await left('other'), false);
      assert.equal(await left('third/d.ts'), false);
      assert.equal(await left('third/mine.txt'), true, "the user's file and its folder stay");
    });
  }

  it('a manifest naming a created folder that holds none of its new files is refused', () => {
    const base = { id: 'cp-1', kind: 'folder', root: '/w', createdAt: new Date(0).toISOString(), location: '/s/cp-1' };
    assert.ok(parseCheckpoint({ ...base, files: [{ path: 'a/b.ts', existed: false }], createdFolders: ['a'] }));
    assert.equal(parseCheckpoint({ ...base, files: [{ path: 'a/b.ts', existed: false }], createdFolders: ['src'] }), undefined);
    assert.equal(parseCheckpoint({ ...base, files: [{ path: 'a/b.ts', existed: true }], createdFolders: ['a'] }), undefined);
  });

  it('a file with setuid, setgid or sticky bits is refused, not rewritten with its bits dropped', async () => {
    const dir = await tempDir('special');
    await writeFiles(dir, { 'tool.sh': '#!/bin/sh\n' });
    const file = path.join(dir, 'tool.sh');
    await fs.chmod(file, 0o4755);
    const mode = (await fs.stat(file)).mode & 0o7777;
    if ((mode & 0o7000) === 0) return; // the file system refused the bit: nothing to keep or drop here
    await assert.rejects(writeFileInside(await fs.realpath(dir), 'tool.sh', new TextEncoder().encode('changed\n')), SpecialModeError);
    assert.equal(await fs.readFile(file, 'utf8'), '#!/bin/sh\n');
    assert.equal((await fs.stat(file)).mode & 0o7777, mode);
  });
});
