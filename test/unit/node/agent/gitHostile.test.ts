import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Checkpoint } from '../../../../src/common/agent/checkpoint';
import { createCheckpoint, deleteCheckpoint, listCheckpoints, restoreCheckpoint, restoreLatestCheckpoint } from '../../../../src/node/agent/gitCheckpoint';
import { removeTempDirs, tempDir, writeFiles } from './tempDir';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined } });

/** Every hook git knows of: each one, if git ran it, leaves a marker file named after itself. */
const hooks = [
  'applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-commit', 'pre-merge-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit',
  'pre-rebase', 'post-checkout', 'post-merge', 'pre-push', 'pre-receive', 'update', 'proc-receive', 'post-receive', 'post-update',
  'reference-transaction', 'push-to-checkout', 'pre-auto-gc', 'post-rewrite', 'sendemail-validate', 'fsmonitor-watchman', 'p4-changelist',
  'p4-prepare-changelist', 'p4-post-changelist', 'p4-pre-submit', 'post-index-change',
];

/**
 * A repository received with its `.git`: its config names an fsmonitor program, clean/smudge/process filters for
 * every file, an ssh command, a pager and an external diff, and every hook is present. Each program, when run,
 * writes a marker file into `markers`.
 */
async function hostileRepo(): Promise<{ repo: string; markers: string }> {
  const repo = await tempDir('hostile');
  const markers = await tempDir('markers');
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 't@example.invalid');
  git(repo, 'config', 'user.name', 'T');
  await writeFiles(repo, { 'a.txt': 'one\n', 'sub/b.txt': 'two\n' });
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'init');
  const program = (name: string) => {
    const file = path.join(markers, '..', `prog-${path.basename(markers)}-${name}.sh`);
    return { file, text: `#!/bin/sh\ntouch "${path.join(markers, name)}"\nexit 0\n` };
  };
  const programs = ['fsmonitor', 'clean', 'smudge', 'process', 'ssh', 'pager', 'diff', 'textconv', 'askpass', 'editor'].map(program);
  for (const hook of hooks) programs.push({ file: path.join(repo, '.git/hooks', hook), text: program(`hook-${hook}`).text });
  for (const p of programs) {
    await fs.mkdir(path.dirname(p.file), { recursive: true });
    await fs.writeFile(p.file, p.text, { mode: 0o755 });
  }
  const at = (name: string) => program(name).file;
  const config: [string, string][] = [
    ['core.fsmonitor', at('fsmonitor')],
    ['core.untrackedCache', 'true'],
    ['filter.evil.clean', at('clean')],
    ['filter.evil.smudge', at('smudge')],
    ['filter.evil.process', at('process')],
    ['filter.evil.required', 'true'],
    ['core.sshCommand', at('ssh')],
    ['core.pager', at('pager')],
    ['diff.external', at('diff')],
    ['diff.evil.textconv', at('textconv')],
    ['core.askPass', at('askpass')],
    ['core.editor', at('editor')],
  ];
  for (const [k, v] of config) git(repo, 'config', k, v);
  await writeFiles(repo, { '.git/info/attributes': '* filter=evil diff=evil\n' });
  assert.deepEqual(await fs.readdir(markers), [], 'setting up ran nothing');
  return { repo, markers };
}

describe('git checkpoints in a hostile repository', () => {
  after(removeTempDirs);

  it('checkpoint, list, restore and delete run none of the programs the repository configures', async () => {
    const { repo, markers } = await hostileRepo();
    const storage = await tempDir('hostile-storage');
    // The control: plain git in this repository does run them (or the test proves nothing).
    for (const args of [['update-index', '--refresh'], ['update-ref', 'refs/heads/probe', 'HEAD']]) {
      try {
        execFileSync('git', args, { cwd: repo, stdio: 'ignore', timeout: 10_000 });
      } catch {
        // The planted programs make git fail here; what they leave behind is the point.
      }
    }
    assert.ok((await fs.readdir(markers)).length > 0, 'the repository programs are live');
    for (const m of await fs.readdir(markers)) await fs.rm(path.join(markers, m));

    const cp = await createCheckpoint({ root: repo, paths: ['a.txt', 'sub/b.txt', 'new.txt'], fallbackDir: storage });
    assert.equal(cp.kind, 'git');
    await writeFiles(repo, { 'a.txt': 'changed\n', 'new.txt': 'created\n' });
    await fs.rm(path.join(repo, 'sub/b.txt'));
    assert.equal((await listCheckpoints(repo, storage)).length, 1);
    await restoreLatestCheckpoint(repo, storage);
    await deleteCheckpoint(cp);
    assert.equal(await fs.readFile(path.join(repo, 'a.txt'), 'utf8'), 'one\n');
    assert.equal(await fs.readFile(path.join(repo, 'sub/b.txt'), 'utf8'), 'two\n');
    const ran = await fs.readdir(markers);
    console.log(`repository programs run by checkpoint/list/restore/delete: ${ran.length}${ran.length ? ` (${ran.join(', ')})` : ''}`);
    assert.deepEqual(ran, []);
  });

  it('ignores GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE and GIT_CONFIG_* from the host environment', async () => {
    const repo = await tempDir('envrepo');
    const other = await tempDir('envother');
    const storage = await tempDir('env-storage');
    git(repo, 'init', '-q');
    git(other, 'init', '-q');
    const markers = await tempDir('env-markers');
    await fs.writeFile(path.join(other, 'mon.sh'), `#!/bin/sh\ntouch "${path.join(markers, 'fsmonitor')}"\nexit 0\n`, { mode: 0o755 });
    await writeFiles(repo, { 'f.txt': 'before\n' });
    const saved = { ...process.env };
    Object.assign(process.env, {
      GIT_DIR: path.join(other, '.git'),
      GIT_WORK_TREE: other,
      GIT_INDEX_FILE: path.join(other, 'stray-index'),
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'core.fsmonitor',
      GIT_CONFIG_VALUE_0: path.join(other, 'mon.sh'),
    });
    try {
      const cp = await createCheckpoint({ root: repo, paths: ['f.txt'], fallbackDir: storage });
      assert.equal(cp.kind, 'git');
      await writeFiles(repo, { 'f.txt': 'after\n' });
      const listed = await listCheckpoints(repo, storage);
      assert.deepEqual(listed.map((c) => c.id), [cp.id]);
      await restoreLatestCheckpoint(repo, storage);
    } finally {
      for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_0', 'GIT_CONFIG_VALUE_0']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
    assert.equal(await fs.readFile(path.join(repo, 'f.txt'), 'utf8'), 'before\n');
    assert.match(git(repo, 'for-each-ref', 'refs/sale/'), /refs\/sale\/checkpoints\//, 'the ref is in the workspace repository');
    assert.equal(git(other, 'for-each-ref', 'refs/sale/'), '', 'not in the one GIT_DIR pointed at');
    await assert.rejects(fs.stat(path.join(other, 'stray-index')), /ENOENT/);
    assert.deepEqual(await fs.readdir(markers), []);
  });

  it('a planted checkpoint ref is not trusted: not listed, not restored from, and no ref outside SALE namespace deleted', async () => {
    const repo = await tempDir('planted');
    const storage = await tempDir('planted-storage');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.email', 't@example.invalid');
    git(repo, 'config', 'user.name', 'T');
    await writeFiles(repo, { 'a.txt': 'from main\n' });
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'init');
    await writeFiles(repo, { 'a.txt': 'my work\n' });
    const mainSha = git(repo, 'rev-parse', 'refs/heads/main').trim();
    const tree = git(repo, 'rev-parse', 'HEAD^{tree}').trim();
    const base = { kind: 'git' as const, root: repo, createdAt: '2099-01-01T00:00:00.000Z' };
    const plant = (name: string, manifest: object) => {
      const commit = execFileSync('git', ['commit-tree', tree, '-m', `SALE checkpoint ${name}\n\n${JSON.stringify(manifest)}`], { cwd: repo, encoding: 'utf8' }).trim();
      git(repo, 'update-ref', `refs/sale/checkpoints/${name}`, commit);
      return manifest as Checkpoint;
    };
    const planted = [
      plant('evil1', { ...base, id: 'evil1', location: 'refs/heads/main', files: [{ path: 'a.txt', existed: true, mode: 0o4755 }] }),
      plant('evil2', { ...base, id: 'evil2', location: 'refs/sale/checkpoints/evil2', files: [{ path: 'a.txt', existed: true, mode: 0o4755 }] }),
      plant('evil3', { ...base, id: 'evil3', location: 'refs/sale/checkpoints/evil3', files: [{ path: '../outside.txt', existed: true, mode: 0o644 }] }),
      plant('evil4', { ...base, id: 'evil4', location: 'refs/sale/checkpoints/evil4', files: [{ path: '/etc/passwd', existed: false }] }),
      plant('evil5', { ...base, id: 'evil5', location: 'refs/sale/checkpoints/other', files: [{ path: 'a.txt', existed: true, mode: 0o644 }] }),
    ];
    assert.deepEqual(await listCheckpoints(repo, storage), [], 'no planted manifest is listed');
    assert.equal(await restoreLatestCheckpoint(repo, storage), undefined);
    for (const cp of planted) {
      await assert.rejects(restoreCheckpoint(cp));
      await assert.rejects(deleteCheckpoint(cp));
    }
    assert.equal(await fs.readFile(path.join(repo, 'a.txt'), 'utf8'), 'my work\n', 'nothing restored from a planted ref');
    assert.equal(((await fs.stat(path.join(repo, 'a.txt'))).mode & 0o7000), 0, 'no setuid bit applied');
    assert.equal(git(repo, 'rev-parse', 'refs/heads/main').trim(), mainSha, 'main is still there');

    // A well-formed manifest whose tree holds a symlink (mode 120000) at the path: that file is refused.
    const link = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: repo, input: '/etc/passwd', encoding: 'utf8' }).trim();
    const linkTree = execFileSync('git', ['mktree'], { cwd: repo, input: `120000 blob ${link}\ta.txt\n`, encoding: 'utf8' }).trim();
    const manifest = { ...base, id: 'link1', location: 'refs/sale/checkpoints/link1', files: [{ path: 'a.txt', existed: true, mode: 0o644 }] };
    const commit = execFileSync('git', ['commit-tree', linkTree, '-m', `SALE checkpoint link1\n\n${JSON.stringify(manifest)}`], { cwd: repo, encoding: 'utf8' }).trim();
    git(repo, 'update-ref', 'refs/sale/checkpoints/link1', commit);
    await assert.rejects(restoreCheckpoint(manifest));
    assert.equal((await fs.lstat(path.join(repo, 'a.txt'))).isSymbolicLink(), false);
    assert.equal(await fs.readFile(path.join(repo, 'a.txt'), 'utf8'), 'my work\n');
  });
});
