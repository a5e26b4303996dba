// The shadow worktree's lifecycle on a real git repository whose hooks and filters would leave marker files: it is
// created outside the repository, detached at HEAD, holds HEAD's files, takes the agent's proposals, and is removed;
// the user's branches, index, stash, working tree and HEAD are byte-identical before and after, and nothing ran.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ChangeSet } from '../../../../src/common/agent/changeSet';
import { createShadowWorktree, writeProposals } from '../../../../src/node/agent/shadowWorktree';
import { removeTempDirs, tempDir, writeFiles } from './tempDir';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined } });

const HOOKS = ['post-checkout', 'reference-transaction', 'post-index-change', 'pre-commit', 'post-commit', 'pre-auto-gc'];

/** A repository with work in progress (a staged change, an unstaged change, an untracked file, a stash) and live hooks and filters. */
async function userRepo(): Promise<{ repo: string; markers: string }> {
  const repo = await tempDir('shadow-user');
  const markers = await tempDir('shadow-markers');
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 't@example.invalid');
  git(repo, 'config', 'user.name', 'T');
  await writeFiles(repo, { 'src/a.txt': 'one\n', 'src/b.txt': 'two\n', 'run.sh': '#!/bin/sh\necho hi\n' });
  await fs.chmod(path.join(repo, 'run.sh'), 0o755);
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'init');
  await writeFiles(repo, { 'src/a.txt': 'one, stashed\n' });
  git(repo, 'stash', '-q');
  await writeFiles(repo, { 'src/b.txt': 'two, staged\n' });
  git(repo, 'add', 'src/b.txt');
  await writeFiles(repo, { 'src/a.txt': 'one, unstaged\n', 'notes.txt': 'untracked\n' });
  // Now arm it: every hook and a smudge/clean/process filter on every file leaves a marker when run.
  const prog = (name: string) => `#!/bin/sh\ntouch "${path.join(markers, name)}"\ncat\n`;
  for (const h of HOOKS) await fs.writeFile(path.join(repo, '.git/hooks', h), prog(`hook-${h}`), { mode: 0o755 });
  for (const f of ['smudge', 'clean', 'process']) {
    const file = path.join(markers, '..', `${path.basename(markers)}-${f}.sh`);
    await fs.writeFile(file, prog(`filter-${f}`), { mode: 0o755 });
    git(repo, 'config', `filter.evil.${f}`, file);
  }
  git(repo, 'config', 'filter.evil.required', 'true');
  await writeFiles(repo, { '.git/info/attributes': '* filter=evil\n' });
  return { repo, markers };
}

/** Everything of the user's git state that must not change, as bytes and text. */
async function snapshot(repo: string) {
  // The observer itself must run nothing and write nothing: filters and hooks off, no optional index refresh.
  const off = ['core.hooksPath=/dev/null', 'core.fsmonitor=false', 'filter.evil.clean=', 'filter.evil.smudge=', 'filter.evil.process=', 'filter.evil.required=false'];
  const plain = (...args: string[]) =>
    execFileSync('git', [...off.flatMap((c) => ['-c', c]), ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_OPTIONAL_LOCKS: '0' } });
  return {
    status: plain('status', '--porcelain=v1', '--untracked-files=all'),
    stash: plain('stash', 'list'),
    refs: plain('for-each-ref'),
    head: await fs.readFile(path.join(repo, '.git/HEAD'), 'utf8'),
    index: (await fs.readFile(path.join(repo, '.git/index'))).toString('base64'),
    a: await fs.readFile(path.join(repo, 'src/a.txt'), 'utf8'),
    worktrees: await fs.readdir(path.join(repo, '.git/worktrees')).catch(() => []),
  };
}

describe('shadow worktree', () => {
  after(removeTempDirs);

  it('is created outside the repository at HEAD, takes the proposals, is removed, and leaves the user state byte-identical with no hook or filter run', async () => {
    const { repo, markers } = await userRepo();
    const storage = await tempDir('shadow-storage');
    const before = await snapshot(repo);
    assert.deepEqual(await fs.readdir(markers), [], 'setting up ran nothing');

    const shadow = await createShadowWorktree(repo, storage);
    assert.ok(shadow.folder.startsWith(`${storage}${path.sep}`), `${shadow.folder} is under the storage folder`);
    assert.ok(path.relative(repo, shadow.folder).startsWith('..'), 'outside the repository');
    assert.equal(shadow.head, git(repo, 'rev-parse', 'HEAD').trim());
    // HEAD's files, not the user's work in progress; modes kept.
    assert.equal(await fs.readFile(path.join(shadow.folder, 'src/a.txt'), 'utf8'), 'one\n');
    assert.equal(await fs.readFile(path.join(shadow.folder, 'src/b.txt'), 'utf8'), 'two\n');
    assert.equal(((await fs.stat(path.join(shadow.folder, 'run.sh'))).mode & 0o111) !== 0, true, 'the executable bit is kept');
    await assert.rejects(fs.access(path.join(shadow.folder, 'notes.txt')), 'untracked files are not copied');
    assert.match(git(shadow.folder, '-c', 'core.hooksPath=/dev/null', 'rev-parse', '--abbrev-ref', 'HEAD').trim(), /^HEAD$/, 'detached');

    const cs = new ChangeSet();
    cs.proposeContent('src/a.txt', 'one, by the reference\n', { exists: true, content: 'one\n', fingerprint: 'x' });
    cs.proposeCreate('src/new.txt', 'new\n', { exists: false });
    await writeProposals(shadow.folder, cs.files());
    assert.equal(await fs.readFile(path.join(shadow.folder, 'src/a.txt'), 'utf8'), 'one, by the reference\n');
    assert.equal(await fs.readFile(path.join(shadow.folder, 'src/new.txt'), 'utf8'), 'new\n');
    await assert.rejects(writeProposals(shadow.folder, [{ ...cs.file('src/new.txt'), path: '../../escape.txt' }]), 'a path outside the shadow is refused');

    await shadow.dispose();
    await assert.rejects(fs.access(shadow.top), 'the shadow folder is gone');
    const afterState = await snapshot(repo);
    assert.deepEqual(afterState, before);
    assert.equal(git(repo, '-c', 'core.hooksPath=/dev/null', 'worktree', 'list', '--porcelain').match(/^worktree /gm)?.length, 1, 'only the main worktree is left');
    assert.deepEqual(await fs.readdir(markers), [], 'no hook or filter ran');

    // The control: a plain `git worktree add` in this repository does run them, or the test above proved nothing.
    const control = path.join(await tempDir('shadow-control'), 'wt');
    try {
      execFileSync('git', ['worktree', 'add', '--detach', control, 'HEAD'], { cwd: repo, stdio: 'ignore', timeout: 20_000 });
    } catch {
      // A planted program may make git fail; what it leaves behind is the point.
    }
    assert.ok((await fs.readdir(markers)).length > 0, 'the repository programs are live');
  });

  it('refuses a parent folder inside the repository', async () => {
    const { repo } = await userRepo();
    await assert.rejects(createShadowWorktree(repo, path.join(repo, 'inside')), /outside the repository/);
  });
});
