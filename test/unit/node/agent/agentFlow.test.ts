// The whole flow below the VS Code layer, on a real git repository: the agent stages edits to two files through
// the real FsWorkspace, the user accepts one hunk and rejects another, a file the user changed meanwhile is held
// back as a conflict, the host checkpoints and writes, and undo restores the bytes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { partitionConflicts } from '../../../../src/common/agent/conflicts';
import { runAgent } from '../../../../src/common/agent/loop';
import { FsWorkspace } from '../../../../src/node/agent/fsWorkspace';
import { createCheckpoint, restoreLatestCheckpoint } from '../../../../src/node/agent/gitCheckpoint';
import { NodeShell } from '../../../../src/node/agent/shell';
import { call, CollectingSink, FixedApprover, fixedClock, ScriptedClient } from '../../common/agent/fakes';
import { removeTempDirs, tempDir, writeFiles } from './tempDir';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });
const numbered = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`).join('');

describe('agent flow on a git workspace', () => {
  after(removeTempDirs);

  it('stages, applies only accepted hunks, refuses a conflicting file, and undoes byte for byte', async () => {
    const repo = await tempDir('flow');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.email', 't@example.invalid');
    git(repo, 'config', 'user.name', 'T');
    await writeFiles(repo, { 'a.txt': numbered, 'b.txt': 'b original\n' });
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'init');
    const head = git(repo, 'rev-parse', 'HEAD');

    const ws = await FsWorkspace.open(repo);
    const client = new ScriptedClient([
      { toolCalls: [call('read_file', { path: 'a.txt', startLine: 1, endLine: 5 })] },
      {
        toolCalls: [
          call('propose_edit', { path: 'a.txt', edits: [{ search: 'line 2\n', replace: 'LINE TWO\n' }, { search: 'line 28\n', replace: 'LINE 28\n' }] }),
          call('propose_edit', { path: 'b.txt', content: 'b from agent\n' }),
        ],
      },
      { toolCalls: [call('finish', { summary: 'edited a and b' })] },
    ]);
    const result = await runAgent({
      task: 'shout',
      plan: 'uppercase two lines of a.txt, rewrite b.txt',
      client,
      nativeTools: true,
      workspace: ws,
      shell: new NodeShell({ root: ws.root }),
      approver: new FixedApprover(true, 'deny'),
      clock: fixedClock,
      calls: new CollectingSink(),
    });
    assert.equal(result.outcome.status, 'finished');
    assert.equal(await fs.readFile(path.join(repo, 'a.txt'), 'utf8'), numbered, 'the run wrote nothing');

    const cs = result.changeSet;
    assert.equal(cs.file('a.txt').hunks.length, 2);
    cs.setHunkDecision('a.txt', 0, 'accepted');
    cs.setHunkDecision('a.txt', 1, 'rejected');
    cs.setFileDecision('b.txt', 'accepted');
    // The user edits b.txt while reviewing.
    await writeFiles(repo, { 'b.txt': 'b edited by the user\n' });

    const { ready, conflicts } = await partitionConflicts(cs, (p) => ws.fingerprint(p));
    assert.deepEqual(ready.map((c) => c.path), ['a.txt']);
    assert.deepEqual(conflicts.map((c) => c.path), ['b.txt']);

    const before = await fs.readFile(path.join(repo, 'a.txt'));
    await createCheckpoint({ root: repo, paths: ready.map((c) => c.path), fallbackDir: repo });
    for (const change of ready) await fs.writeFile((await ws.resolve(change.path)).absolute, change.finalContent ?? '');

    assert.equal(await fs.readFile(path.join(repo, 'a.txt'), 'utf8'), numbered.replace('line 2\n', 'LINE TWO\n'));
    assert.equal(await fs.readFile(path.join(repo, 'b.txt'), 'utf8'), 'b edited by the user\n', 'the newer text is not clobbered');
    assert.equal(git(repo, 'rev-parse', 'HEAD'), head);
    assert.equal(git(repo, 'diff', '--cached'), '');

    await restoreLatestCheckpoint(repo, repo);
    assert.deepEqual(await fs.readFile(path.join(repo, 'a.txt')), before);
    assert.equal(git(repo, 'status', '--porcelain'), ' M b.txt\n', 'only the user\'s own edit remains');
  });
});
