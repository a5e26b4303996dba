import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkpointRefPrefix, missingFolders, parseCheckpoint, type Checkpoint, type CheckpointFile } from '../../common/agent/checkpoint';
import { CheckpointError } from '../../common/agent/errors';
import { createFolderCheckpoint, listFolderCheckpoints, readFolderCheckpointFile } from './folderCheckpoint';
import { resolveInside, type ResolvedPath } from './safePath';
import { gitText, runGit } from './safeGit';
import { removeEmptyFolderInside, removeFileInside, writeFileInside } from './safeWrite';

export { checkpointRefPrefix };

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

async function isGitWorkTree(root: string): Promise<boolean> {
  try {
    return (await gitText(root, ['rev-parse', '--is-inside-work-tree'])) === 'true';
  } catch {
    return false; // not a repository, or git is not installed: the folder fallback applies
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
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
  const unique = [...new Set(options.paths)];
  const files: { resolved: ResolvedPath; stat: { mode: number } | undefined }[] = [];
  const created = new Set<string>();
  for (const p of unique) {
    const resolved = await resolveInside(root, p);
    const stat = await statOrUndefined(resolved.absolute);
    files.push({ resolved, stat });
    if (!stat) for (const f of await missingFolders(resolved.relative, (d) => exists(path.join(root, ...d.split('/'))))) created.add(f);
  }
  const meta = { id: newId(now), root, createdAt: new Date(now).toISOString(), label: options.label, ...(created.size ? { createdFolders: [...created].sort() } : {}) };
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
    const git = (args: string[], input?: Uint8Array) => gitText(meta.root, args, { env: { GIT_INDEX_FILE: path.join(tmp, 'index') }, input });
    const entries: CheckpointFile[] = [];
    for (const { resolved, stat } of files) {
      if (!stat) {
        entries.push({ path: resolved.relative, existed: false });
        continue;
      }
      const mode = stat.mode & 0o777;
      const sha = await git(['hash-object', '-w', '--no-filters', '--stdin'], await fs.readFile(resolved.absolute));
      await git(['update-index', '--add', '--cacheinfo', `${mode & 0o111 ? '100755' : '100644'},${sha},${resolved.relative}`]);
      entries.push({ path: resolved.relative, existed: true, mode });
    }
    const location = `${checkpointRefPrefix}${meta.id}`;
    const checkpoint: Checkpoint = { ...meta, kind: 'git', files: entries, location };
    const tree = await git(['write-tree']);
    const commit = await git(['commit-tree', tree, '-m', `SALE checkpoint ${meta.id}\n\n${JSON.stringify(checkpoint)}`]);
    // The zero id as the old value: create only, never move a ref that is already there.
    await git(['update-ref', location, commit, '0000000000000000000000000000000000000000']);
    return checkpoint;
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

async function readBytes(checkpoint: Checkpoint, relative: string): Promise<Buffer> {
  if (checkpoint.kind === 'folder') return readFolderCheckpointFile(checkpoint, relative);
  // Only a regular file's blob is restored: a symlink (120000), a submodule or a tree at the path is refused.
  const entry = (await runGit(checkpoint.root, ['ls-tree', '-z', '--full-tree', checkpoint.location, '--', relative])).toString('utf8').split('\0')[0] ?? '';
  const match = /^(100644|100755) blob ([0-9a-f]{40,64})\t(.*)$/s.exec(entry);
  if (!match || match[3] !== relative) throw new CheckpointError(`the checkpoint holds no regular file at ${relative}`);
  return runGit(checkpoint.root, ['cat-file', 'blob', match[2] as string]);
}

/** The checkpoint, validated (a caller may hand in a manifest read from anywhere), or a CheckpointError. */
function validated(checkpoint: Checkpoint): Checkpoint {
  const valid = parseCheckpoint(checkpoint);
  if (!valid) throw new CheckpointError(`Refused checkpoint ${String(checkpoint.id)}: its manifest is not one SALE wrote (paths, modes or location out of bounds).`);
  return valid;
}

/**
 * Puts every file of the checkpoint back exactly: saved bytes and permission bits for files that existed,
 * deletion for files that did not. A path with a symlink on it is refused for that file (see safeWrite). Every file is attempted; failures are reported together afterwards.
 */
export async function restoreCheckpoint(untrusted: Checkpoint): Promise<void> {
  const checkpoint = validated(untrusted);
  const failures: string[] = [];
  for (const file of checkpoint.files) {
    try {
      // Never a path string handed to writeFile/chmod: those follow a symlink planted (or swapped in) meanwhile.
      if (!file.existed) {
        await removeFileInside(checkpoint.root, file.path);
        continue;
      }
      const bytes = await readBytes(checkpoint, file.path);
      await writeFileInside(checkpoint.root, file.path, bytes, file.mode);
    } catch (e) {
      failures.push(`${file.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  // Deepest first, so a folder emptied by removing its child folder goes too. One the user has put files in stays.
  for (const folder of [...(checkpoint.createdFolders ?? [])].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? 1 : -1))) {
    try {
      await removeEmptyFolderInside(checkpoint.root, folder);
    } catch (e) {
      failures.push(`${folder}/: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (failures.length > 0) throw new CheckpointError(`Could not restore ${failures.length} file(s): ${failures.join('; ')}`);
}

/** All checkpoints of a workspace root (git ones and folder ones), newest first. */
export async function listCheckpoints(root: string, fallbackDir: string): Promise<Checkpoint[]> {
  const realRoot = await fs.realpath(root);
  const found = await listFolderCheckpoints(fallbackDir, realRoot);
  if (await isGitWorkTree(realRoot)) {
    const refs = (await gitText(realRoot, ['for-each-ref', '--format=%(refname)%00%(objectname)', checkpointRefPrefix])).split('\n').filter(Boolean);
    for (const line of refs) {
      const [refname, sha] = line.split('\0');
      if (!refname || !sha || !/^[0-9a-f]{40,64}$/.test(sha)) continue;
      const body = (await runGit(realRoot, ['cat-file', 'commit', sha])).toString('utf8');
      const json = body.slice(body.indexOf('\n\n') + 2).split('\n\n').slice(1).join('\n\n');
      let cp: Checkpoint | undefined;
      try {
        cp = parseCheckpoint(JSON.parse(json));
      } catch {
        cp = undefined;
      }
      // A ref we did not write (planted, or damaged): never restored from, never deleted for.
      if (cp?.kind === 'git' && cp.root === realRoot && cp.location === refname) found.push(cp);
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
export async function deleteCheckpoint(untrusted: Checkpoint): Promise<void> {
  // Validation pins a git checkpoint's location to refs/sale/checkpoints/<its id>: no other ref is ever deleted.
  const checkpoint = validated(untrusted);
  if (checkpoint.kind === 'folder') {
    if (path.basename(checkpoint.location) !== checkpoint.id) throw new CheckpointError(`Refused to delete ${checkpoint.location}: not a checkpoint folder`);
    await fs.rm(checkpoint.location, { recursive: true, force: true });
  } else await runGit(checkpoint.root, ['update-ref', '-d', checkpoint.location]);
}
