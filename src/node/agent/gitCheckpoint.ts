import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { Checkpoint, CheckpointFile } from '../../common/agent/checkpoint';
import { CheckpointError } from '../../common/agent/errors';
import { createFolderCheckpoint, listFolderCheckpoints, readFolderCheckpointFile } from './folderCheckpoint';
import { resolveInside, type ResolvedPath } from './safePath';
import { removeFileInside, writeFileInside } from './safeWrite';

export const checkpointRefPrefix = 'refs/sale/checkpoints/';

export interface CreateCheckpointOptions {
  /** The workspace folder (its real path is recorded). */
  root: string;
  /** Workspace-relative paths the apply step will touch, existing or not. */
  paths: string[];
  /** Where folder checkpoints go when `root` is not in a git repository (the extension's storage). */
  fallbackDir: string;
  label?: string;
  /** Milliseconds since the epoch; defaults to now. */
  now?: number;
}

// Plumbing commands need an identity; a fixed one keeps checkpoints working where user.name is not set.
const identity = { GIT_AUTHOR_NAME: 'SALE', GIT_AUTHOR_EMAIL: 'sale@localhost', GIT_COMMITTER_NAME: 'SALE', GIT_COMMITTER_EMAIL: 'sale@localhost' };

async function isGitWorkTree(root: string): Promise<boolean> {
  try {
    return (await simpleGit(root).revparse(['--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false; // not a repository, or git is not installed: the folder fallback applies
  }
}

async function statOrUndefined(file: string) {
  try {
    const s = await fs.stat(file);
    if (!s.isFile()) throw new CheckpointError(`${file} is not a regular file`);
    return s;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * The environment of the plumbing calls: only what git needs to find itself and its config. The extension host's
 * environment carries EDITOR, GIT_ASKPASS and the like (VS Code sets them), which simple-git refuses in a custom
 * env, and which have no business in a checkpoint; GIT_DIR or GIT_WORK_TREE from outside would point it elsewhere.
 */
function plumbingEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'USERPROFILE', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL', 'XDG_CONFIG_HOME'];
  const env: Record<string, string> = {};
  for (const k of keep) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  return env;
}

let sequence = 0;

function newId(now: number): string {
  // Sortable by time (the sequence orders checkpoints taken within one millisecond), unique across windows.
  sequence = (sequence + 1) % 1_000_000;
  return `${new Date(now).toISOString().replace(/[-:.]/g, '')}-${String(sequence).padStart(6, '0')}-${randomBytes(4).toString('hex')}`;
}

/**
 * Saves the current bytes of the files about to be touched, without moving the user's branch, index, stash or
 * working tree. In a git repository: each file is written as a blob (`hash-object -w --no-filters`, so no
 * line-ending or LFS filter alters the bytes), a tree is built in a throw-away index (GIT_INDEX_FILE), and
 * committed with `commit-tree` under `refs/sale/checkpoints/<id>`; the manifest rides in the commit message.
 * Elsewhere the files are copied into `fallbackDir`.
 */
export async function createCheckpoint(options: CreateCheckpointOptions): Promise<Checkpoint> {
  const root = await fs.realpath(options.root);
  const now = options.now ?? Date.now();
  const meta = { id: newId(now), root, createdAt: new Date(now).toISOString(), label: options.label };
  const unique = [...new Set(options.paths)];
  const files: { resolved: ResolvedPath; stat: { mode: number } | undefined }[] = [];
  for (const p of unique) {
    const resolved = await resolveInside(root, p);
    files.push({ resolved, stat: await statOrUndefined(resolved.absolute) });
  }
  try {
    if (!(await isGitWorkTree(root))) return await createFolderCheckpoint(meta, files, options.fallbackDir);
    return await createGitCheckpoint(meta, files);
  } catch (e) {
    throw e instanceof CheckpointError ? e : new CheckpointError(`Could not take a checkpoint: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

async function createGitCheckpoint(meta: Omit<Checkpoint, 'kind' | 'location' | 'files'>, files: { resolved: ResolvedPath; stat: { mode: number } | undefined }[]): Promise<Checkpoint> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'sale-checkpoint-'));
  try {
    // The temporary index is the whole trick: the user's .git/index is never read or written.
    const git = simpleGit(meta.root).env({ ...plumbingEnv(), ...identity, GIT_INDEX_FILE: path.join(tmp, 'index') });
    const entries: CheckpointFile[] = [];
    for (const { resolved, stat } of files) {
      if (!stat) {
        entries.push({ path: resolved.relative, existed: false });
        continue;
      }
      const mode = stat.mode & 0o777;
      const sha = (await git.raw(['hash-object', '-w', '--no-filters', '--', resolved.absolute])).trim();
      await git.raw(['update-index', '--add', '--cacheinfo', `${mode & 0o111 ? '100755' : '100644'},${sha},${resolved.relative}`]);
      entries.push({ path: resolved.relative, existed: true, mode });
    }
    const location = `${checkpointRefPrefix}${meta.id}`;
    const checkpoint: Checkpoint = { ...meta, kind: 'git', files: entries, location };
    const tree = (await git.raw(['write-tree'])).trim();
    const commit = (await git.raw(['commit-tree', tree, '-m', `SALE checkpoint ${meta.id}\n\n${JSON.stringify(checkpoint)}`])).trim();
    await git.raw(['update-ref', location, commit]);
    return checkpoint;
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

async function readBytes(git: SimpleGit, checkpoint: Checkpoint, relative: string): Promise<Buffer> {
  if (checkpoint.kind === 'folder') return readFolderCheckpointFile(checkpoint, relative);
  return (await git.binaryCatFile(['blob', `${checkpoint.location}:${relative}`])) as Buffer;
}

/**
 * Puts every file of the checkpoint back exactly: saved bytes and permission bits for files that existed,
 * deletion for files that did not. A path with a symlink on it is refused for that file (see safeWrite). Every file is attempted; failures are reported together afterwards.
 */
export async function restoreCheckpoint(checkpoint: Checkpoint): Promise<void> {
  const git = simpleGit(checkpoint.root);
  const failures: string[] = [];
  for (const file of checkpoint.files) {
    try {
      // Never a path string handed to writeFile/chmod: those follow a symlink planted (or swapped in) meanwhile.
      if (!file.existed) {
        await removeFileInside(checkpoint.root, file.path);
        continue;
      }
      const bytes = await readBytes(git, checkpoint, file.path);
      await writeFileInside(checkpoint.root, file.path, bytes, file.mode);
    } catch (e) {
      failures.push(`${file.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (failures.length > 0) throw new CheckpointError(`Could not restore ${failures.length} file(s): ${failures.join('; ')}`);
}

/** All checkpoints of a workspace root (git ones and folder ones), newest first. */
export async function listCheckpoints(root: string, fallbackDir: string): Promise<Checkpoint[]> {
  const realRoot = await fs.realpath(root);
  const found = await listFolderCheckpoints(fallbackDir, realRoot);
  if (await isGitWorkTree(realRoot)) {
    const git = simpleGit(realRoot);
    const refs = (await git.raw(['for-each-ref', '--format=%(objectname)', checkpointRefPrefix])).split('\n').filter(Boolean);
    for (const sha of refs) {
      const body = await git.raw(['cat-file', 'commit', sha]);
      const json = body.slice(body.indexOf('\n\n') + 2).split('\n\n').slice(1).join('\n\n');
      try {
        const cp = JSON.parse(json) as Checkpoint;
        if (cp.kind === 'git' && cp.root === realRoot) found.push(cp);
      } catch {
        // A ref we did not write (or a damaged one): not ours to restore.
      }
    }
  }
  return found.sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt)));
}

/** "Undo last auction": restores the newest checkpoint of the root; undefined when there is none. */
export async function restoreLatestCheckpoint(root: string, fallbackDir: string): Promise<Checkpoint | undefined> {
  const [latest] = await listCheckpoints(root, fallbackDir);
  if (latest) await restoreCheckpoint(latest);
  return latest;
}

/** Forgets a checkpoint (its ref or its folder); git prunes the objects later, as with any unreachable commit. */
export async function deleteCheckpoint(checkpoint: Checkpoint): Promise<void> {
  if (checkpoint.kind === 'folder') await fs.rm(checkpoint.location, { recursive: true, force: true });
  else await simpleGit(checkpoint.root).raw(['update-ref', '-d', checkpoint.location]);
}
