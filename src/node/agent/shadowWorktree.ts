import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StagedFile } from '../../common/agent/changeSet';
import { gitText, runGit } from './safeGit';
import { resolveInside } from './safePath';

/**
 * A throw-away git worktree for a shadow run: the reference model executes the task there, and the test command
 * runs there, so its real cost and outcome can be measured without touching the user's tree.
 *
 * - It lives outside the user's repository (under `parentDir`, e.g. the extension's storage or the OS temp folder),
 *   detached at HEAD: no branch is created, the user's index, stash and working tree are never written.
 * - Every git call goes through safeGit (hooks, fsmonitor, pagers, transports off). `worktree add` runs with
 *   `--no-checkout`, so no checkout (and no smudge/process filter the repository configures) runs; the files are
 *   then written from HEAD's blobs read with `cat-file` (which applies no filter). Symbolic links that would lead
 *   outside the shadow folder and submodules are left out.
 * - `dispose` removes it with `git worktree remove --force`, deletes the folder, and prunes the worktree's
 *   administrative entry, so the repository is left as it was.
 */
export interface ShadowWorktree {
  /** The shadow folder that mirrors the user's workspace folder (a subfolder when the workspace is inside the repo). */
  folder: string;
  /** The worktree's top folder (under `parentDir`). */
  top: string;
  /** The commit it is detached at. */
  head: string;
  dispose(): Promise<void>;
}

/** Creates a shadow worktree of the repository holding `workspaceFolder`, detached at its HEAD, under `parentDir`. */
export async function createShadowWorktree(workspaceFolder: string, parentDir: string): Promise<ShadowWorktree> {
  const repoTop = await fs.realpath(await gitText(workspaceFolder, ['rev-parse', '--show-toplevel']));
  const head = await gitText(repoTop, ['rev-parse', '--verify', 'HEAD^{commit}']);
  await fs.mkdir(parentDir, { recursive: true });
  const parent = await fs.realpath(parentDir);
  if (isInside(repoTop, parent)) throw new Error(`the shadow worktree must be outside the repository (${parent} is inside ${repoTop})`);
  const top = await fs.mkdtemp(path.join(parent, 'sale-shadow-'));
  const dispose = (): Promise<void> => removeShadowWorktree(repoTop, top);
  try {
    await runGit(repoTop, ['worktree', 'add', '--detach', '--no-checkout', top, head]);
    await writeTree(repoTop, head, top);
  } catch (e) {
    await dispose();
    throw e;
  }
  const relative = path.relative(repoTop, await fs.realpath(workspaceFolder));
  return { folder: path.join(top, relative), top, head, dispose };
}

/** Removes the shadow worktree and its administrative entry; never throws (what could not be removed is pruned later). */
export async function removeShadowWorktree(repoTop: string, top: string): Promise<void> {
  await runGit(repoTop, ['worktree', 'remove', '--force', top]).catch(() => undefined);
  await fs.rm(top, { recursive: true, force: true }).catch(() => undefined);
  await runGit(repoTop, ['worktree', 'prune']).catch(() => undefined);
}

/** Writes the agent's proposals (every staged file, as proposed) into the shadow folder; paths are checked inside it. */
export async function writeProposals(folder: string, files: readonly StagedFile[]): Promise<void> {
  for (const f of files) {
    const { absolute } = await resolveInside(folder, f.path);
    if (f.proposedContent === undefined) {
      await fs.rm(absolute, { force: true });
    } else {
      await fs.mkdir(path.dirname(absolute), { recursive: true });
      await fs.writeFile(absolute, f.proposedContent);
    }
  }
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

interface TreeEntry {
  mode: string;
  oid: string;
  path: string;
}

/** HEAD's files written from their blobs: `cat-file --batch` reads raw blob bytes, no filter, no attributes. */
async function writeTree(repoTop: string, head: string, top: string): Promise<void> {
  const listing = (await runGit(repoTop, ['ls-tree', '-r', '-z', '--full-tree', head])).toString('utf8');
  const entries: TreeEntry[] = [];
  for (const record of listing.split('\0')) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\t([\s\S]+)$/.exec(record);
    if (m && m[2] === 'blob') entries.push({ mode: m[1] ?? '', oid: m[3] ?? '', path: m[4] ?? '' });
  }
  if (entries.length === 0) return;
  const out = await runGit(repoTop, ['cat-file', '--batch'], { input: Buffer.from(entries.map((e) => `${e.oid}\n`).join('')), timeoutMs: 120_000 });
  let at = 0;
  for (const e of entries) {
    const nl = out.indexOf(0x0a, at);
    const size = Number(/ (\d+)$/.exec(out.subarray(at, nl).toString('utf8'))?.[1] ?? NaN);
    if (!Number.isFinite(size)) throw new Error(`cat-file gave no size for ${e.path}`);
    const bytes = out.subarray(nl + 1, nl + 1 + size);
    at = nl + 1 + size + 1;
    const target = path.join(top, e.path);
    if (!isInside(top, target) || e.path.split('/').includes('.git')) continue;
    await fs.mkdir(path.dirname(target), { recursive: true });
    if (e.mode === '120000') {
      const link = bytes.toString('utf8');
      // A link that leads outside the shadow folder is left out: nothing run there may reach the user's files.
      if (!path.isAbsolute(link) && isInside(top, path.resolve(path.dirname(target), link))) await fs.symlink(link, target);
      continue;
    }
    await fs.writeFile(target, bytes, { mode: e.mode === '100755' ? 0o755 : 0o644 });
  }
}
