import * as z from 'zod';
import { normalizeWorkspacePath } from './paths';

/**
 * A checkpoint of the files an apply step is about to touch, taken before anything is written, so "Undo last
 * auction" can put back exactly the bytes that were there. Plain JSON: the host may persist it as it likes.
 */
export interface CheckpointFile {
  /** Workspace-relative path. */
  path: string;
  /** False when the file did not exist at checkpoint time: restoring deletes it. */
  existed: boolean;
  /** Permission bits (e.g. 0o755) of an existing file, restored with its bytes. */
  mode?: number;
}

export interface Checkpoint {
  id: string;
  /** 'git': blobs and a commit under a private ref; 'folder': copies in a checkpoint folder. */
  kind: 'git' | 'folder';
  /** Real path of the workspace folder the paths are relative to. */
  root: string;
  /** ISO time. */
  createdAt: string;
  /** What the checkpoint was taken for (for example the auction id). */
  label?: string;
  files: CheckpointFile[];
  /**
   * Folders that did not exist when the checkpoint was taken (the apply creates them for new files): a restore
   * removes each one that is empty again, deepest first, so undo leaves no empty folders behind.
   */
  createdFolders?: string[];
  /** The private ref (`refs/sale/checkpoints/<id>`) or the checkpoint folder. */
  location: string;
}

/** The private ref namespace of git checkpoints; nothing outside it is ever read as, or deleted for, a checkpoint. */
export const checkpointRefPrefix = 'refs/sale/checkpoints/';

const checkpointId = z.string().regex(/^[0-9A-Za-z][0-9A-Za-z-]{0,99}$/);

/** A workspace-relative path exactly as normalizeWorkspacePath writes it: no `..`, no absolute path, no `.git`. */
const workspacePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => {
    try {
      const normal = normalizeWorkspacePath(p);
      return normal === p && normal !== '.';
    } catch {
      return false;
    }
  }, 'not a normalised in-workspace path');

const checkpointFileSchema = z.strictObject({
  path: workspacePath,
  existed: z.boolean(),
  // Permission bits only: setuid, setgid and sticky (04000, 02000, 01000) are never applied by a restore.
  mode: z.number().int().min(0).max(0o777).optional(),
});

/**
 * A checkpoint manifest as read back from disk or from a commit message: untrusted (a repository can carry a
 * planted `refs/sale/checkpoints/*` commit), so it is validated strictly before anything is restored from it.
 * A git checkpoint's location must be its own ref in SALE's namespace.
 */
export const checkpointSchema = z
  .strictObject({
    id: checkpointId,
    kind: z.enum(['git', 'folder']),
    root: z.string().min(1).max(4096),
    createdAt: z.iso.datetime(),
    label: z.string().max(1000).optional(),
    files: z.array(checkpointFileSchema).max(100_000),
    createdFolders: z.array(workspacePath).max(100_000).optional(),
    location: z.string().min(1).max(4096),
  })
  .refine((cp) => cp.kind !== 'git' || cp.location === `${checkpointRefPrefix}${cp.id}`, 'a git checkpoint lives at its own ref under refs/sale/checkpoints/')
  .refine((cp) => new Set(cp.files.map((f) => f.path)).size === cp.files.length, 'a path appears twice')
  // A created folder must be an ancestor of a file that did not exist: a manifest cannot name any other folder.
  .refine(
    (cp) => (cp.createdFolders ?? []).every((d) => cp.files.some((f) => !f.existed && f.path.startsWith(`${d}/`))),
    'a created folder that holds none of the new files',
  );

/**
 * The folders of `relative` (a normalised workspace path) from the deepest up that `exists` says are missing,
 * stopping at the first that exists: what writing the file would create.
 */
export async function missingFolders(relative: string, exists: (folder: string) => Promise<boolean>): Promise<string[]> {
  const parts = relative.split('/').slice(0, -1);
  const missing: string[] = [];
  for (let i = parts.length; i > 0; i--) {
    const folder = parts.slice(0, i).join('/');
    if (await exists(folder)) break;
    missing.push(folder);
  }
  return missing;
}

/** The checkpoint if `value` is a valid manifest, else undefined. */
export function parseCheckpoint(value: unknown): Checkpoint | undefined {
  const parsed = checkpointSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
