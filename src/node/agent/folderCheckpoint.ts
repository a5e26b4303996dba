import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseCheckpoint, type Checkpoint, type CheckpointFile } from '../../common/agent/checkpoint';
import type { ResolvedPath } from './safePath';

const manifestName = 'manifest.json';

/**
 * Fallback for folders that are not git repositories: copies of the touched files under
 * `<checkpointsDir>/<id>/files/`, and a manifest written last, so a checkpoint interrupted half-way is never
 * listed (and never restored from).
 */
export async function createFolderCheckpoint(
  meta: Omit<Checkpoint, 'kind' | 'location' | 'files'>,
  files: { resolved: ResolvedPath; stat: { mode: number } | undefined }[],
  checkpointsDir: string,
): Promise<Checkpoint> {
  const dir = path.join(checkpointsDir, meta.id);
  const entries: CheckpointFile[] = [];
  for (const { resolved, stat } of files) {
    if (!stat) {
      entries.push({ path: resolved.relative, existed: false });
      continue;
    }
    const copy = path.join(dir, 'files', ...resolved.relative.split('/'));
    await fs.mkdir(path.dirname(copy), { recursive: true });
    await fs.copyFile(resolved.absolute, copy);
    entries.push({ path: resolved.relative, existed: true, mode: stat.mode & 0o777 });
  }
  const checkpoint: Checkpoint = { ...meta, kind: 'folder', files: entries, location: dir };
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, manifestName), JSON.stringify(checkpoint, null, 2));
  return checkpoint;
}

/** The bytes of one file saved in a folder checkpoint. */
export function readFolderCheckpointFile(checkpoint: Checkpoint, relative: string): Promise<Buffer> {
  return fs.readFile(path.join(checkpoint.location, 'files', ...relative.split('/')));
}

/** Folder checkpoints of one workspace root, in no particular order; unreadable ones are skipped. */
export async function listFolderCheckpoints(checkpointsDir: string, root: string): Promise<Checkpoint[]> {
  let names: string[];
  try {
    names = await fs.readdir(checkpointsDir);
  } catch {
    return [];
  }
  const out: Checkpoint[] = [];
  for (const name of names) {
    try {
      // Validated like a git manifest: a folder checkpoint lives in its own folder and names only in-workspace paths.
      const cp = parseCheckpoint(JSON.parse(await fs.readFile(path.join(checkpointsDir, name, manifestName), 'utf8')));
      if (cp?.kind === 'folder' && cp.root === root && cp.id === name && cp.location === path.join(checkpointsDir, name)) out.push(cp);
    } catch {
      // No manifest: an interrupted checkpoint, ignored on purpose.
    }
  }
  return out;
}
