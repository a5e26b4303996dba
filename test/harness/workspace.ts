import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, run } from './host';

/**
 * Copies the sample workspace into a fresh temporary folder and makes it a git repository with one commit, so
 * tests can check that branch, index and stash are untouched. Returns its absolute path.
 */
export function makeSampleWorkspace(parent = os.tmpdir(), name = 'sample'): string {
  const dir = fs.mkdtempSync(path.join(parent, `sale-${name}-`));
  fs.cpSync(path.join(repoRoot, 'test/fixtures/workspaces/sample'), dir, { recursive: true });
  const git = (...args: string[]) => run('git', args, { cwd: dir });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.email=test@example.invalid', '-c', 'user.name=SALE Test', 'add', '-A');
  git('-c', 'user.email=test@example.invalid', '-c', 'user.name=SALE Test', 'commit', '-q', '-m', 'Sample project');
  return dir;
}
