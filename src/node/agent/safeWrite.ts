import { randomBytes } from 'node:crypto';
import { constants, existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { PathRefusedError, SpecialModeError, WrongKindError } from '../../common/agent/errors';
import { normalizeWorkspacePath } from '../../common/agent/paths';

/**
 * Writes and deletions inside a workspace that can never land outside it, even when another process swaps a
 * folder for a symlink while SALE writes (undo, the apply step's last byte-for-byte write).
 *
 * Rules: no component of the path may be a symlink (checked with lstat semantics: `O_NOFOLLOW`, never a path
 * string that the kernel resolves later); bytes go to a fresh temporary file created with `O_EXCL|O_NOFOLLOW` in
 * the same real folder, and are renamed over the target, so a symlink at the target is never written through.
 *
 * On Linux each folder is pinned by an open descriptor and every later operation goes through
 * `/proc/self/fd/<fd>/<name>`, which the kernel resolves to that very folder whatever happens to its path
 * meanwhile: there is no window at all. Elsewhere (no such links; Node has no openat) the chain is re-checked with
 * lstat before the temporary file is created, before a byte goes into it, and before the rename. A swap inside
 * those narrow windows can still redirect the temporary file (a check-then-use gap that only openat closes, and
 * Node has none): measured with a swapping process, 1 restore in 600 wrote outside. Static symlinks are always
 * refused.
 */

const flags = constants as typeof constants & { O_NOFOLLOW?: number; O_DIRECTORY?: number };
let procFd = process.platform === 'linux' && existsSync('/proc/self/fd');

/** For tests: run the re-checking path (what macOS and Windows get) on Linux too. Returns the previous setting. */
export function useDescriptorPinning(on: boolean): boolean {
  const was = procFd;
  procFd = on && process.platform === 'linux' && existsSync('/proc/self/fd');
  return was;
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** A folder of the workspace, pinned: `at(name)` is a path that resolves to an entry of exactly that folder. */
interface PinnedDir {
  at(name: string): string;
  /** Throws when the folder is no longer where it was found (only needed without descriptor pinning). */
  recheck(): Promise<void>;
  close(): Promise<void>;
}

function refuseLinks(requested: string, e: unknown): never {
  // ELOOP: O_NOFOLLOW met a symlink; ENOTDIR: a file (or a link to one) where a folder must be.
  if (code(e) === 'ELOOP' || code(e) === 'ENOTDIR') throw new PathRefusedError(requested, 'symlink-escape');
  throw e;
}

/** Opens each folder of `segments` below `root` without following symlinks; creates missing ones when asked. */
async function pinDir(root: string, segments: string[], requested: string, create: boolean): Promise<PinnedDir | undefined> {
  if (procFd && flags.O_NOFOLLOW !== undefined && flags.O_DIRECTORY !== undefined) {
    const dirFlags = constants.O_RDONLY | flags.O_DIRECTORY | flags.O_NOFOLLOW;
    let handle = await fs.open(root, constants.O_RDONLY | flags.O_DIRECTORY);
    try {
      for (const segment of segments) {
        const next = `/proc/self/fd/${handle.fd}/${segment}`;
        let child;
        try {
          child = await fs.open(next, dirFlags);
        } catch (e) {
          if (code(e) !== 'ENOENT') refuseLinks(requested, e);
          if (!create) {
            await handle.close();
            return undefined;
          }
          await fs.mkdir(next).catch((m: unknown) => {
            if (code(m) !== 'EEXIST') throw m;
          });
          child = await fs.open(next, dirFlags).catch((o: unknown) => refuseLinks(requested, o));
        }
        await handle.close();
        handle = child;
      }
    } catch (e) {
      await handle.close().catch(() => undefined);
      throw e;
    }
    const pinned = handle;
    return { at: (name) => `/proc/self/fd/${pinned.fd}/${name}`, recheck: () => Promise.resolve(), close: () => pinned.close() };
  }
  const dir = path.join(root, ...segments);
  const check = async (): Promise<boolean> => {
    let current = root;
    for (const segment of segments) {
      current = path.join(current, segment);
      let s;
      try {
        s = await fs.lstat(current);
      } catch (e) {
        if (code(e) === 'ENOENT' && create) {
          await fs.mkdir(current).catch((m: unknown) => {
            if (code(m) !== 'EEXIST') throw m;
          });
          s = await fs.lstat(current);
        } else if (code(e) === 'ENOENT') return false;
        else throw e;
      }
      if (!s.isDirectory()) throw new PathRefusedError(requested, 'symlink-escape');
    }
    if ((await fs.realpath(dir)) !== dir) throw new PathRefusedError(requested, 'symlink-escape');
    return true;
  };
  if (!(await check())) return undefined;
  return {
    at: (name) => path.join(dir, name),
    recheck: async () => {
      if (!(await check())) throw new PathRefusedError(requested, 'symlink-escape');
    },
    close: () => Promise.resolve(),
  };
}

function split(requested: string): { folders: string[]; name: string } {
  const relative = normalizeWorkspacePath(requested);
  if (relative === '.') throw new PathRefusedError(requested, 'invalid');
  const segments = relative.split('/');
  return { folders: segments.slice(0, -1), name: segments[segments.length - 1] as string };
}

/**
 * Writes `bytes` at a workspace path (folders created as needed), replacing the file atomically. `mode` sets the
 * permission bits (only 0o777 bits are honoured); without it an existing file keeps its bits, a new one gets
 * 0o644. Refuses (PathRefusedError) when any component is a symlink, and (WrongKindError) a folder at the target.
 */
export async function writeFileInside(rootReal: string, requested: string, bytes: Uint8Array, mode?: number): Promise<void> {
  const { folders, name } = split(requested);
  const dir = await pinDir(rootReal, folders, requested, true);
  if (!dir) throw new PathRefusedError(requested, 'invalid');
  try {
    const current = await fs.lstat(dir.at(name)).catch((e: unknown) => {
      if (code(e) === 'ENOENT') return undefined;
      throw e;
    });
    if (current?.isSymbolicLink()) throw new PathRefusedError(requested, 'symlink-escape');
    if (current && !current.isFile()) throw new WrongKindError(requested, 'file');
    // Setuid, setgid and sticky bits are neither dropped silently (a rewrite through a temporary file would) nor
    // carried over: such a file is refused, and the user edits it by hand.
    if (current && (current.mode & 0o7000) !== 0) throw new SpecialModeError(requested, current.mode & 0o7777);
    const bits = (mode ?? (current ? current.mode : 0o644)) & 0o777;
    const temp = `.${name}.sale-${randomBytes(6).toString('hex')}.tmp`;
    await dir.recheck();
    const file = await fs.open(dir.at(temp), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (flags.O_NOFOLLOW ?? 0), 0o600);
    try {
      try {
        // Before a byte is written: the temporary file must be the entry of the folder that was checked. Without
        // descriptor pinning this catches a swap just before the open (not one that is undone and redone between
        // these two checks: see the module comment).
        await dir.recheck();
        const [opened, there] = await Promise.all([file.stat(), fs.lstat(dir.at(temp))]);
        if (!there.isFile() || opened.ino !== there.ino || opened.dev !== there.dev) throw new PathRefusedError(requested, 'symlink-escape');
        await file.writeFile(bytes);
        await file.chmod(bits);
      } finally {
        await file.close();
      }
      await dir.recheck();
      await fs.rename(dir.at(temp), dir.at(name));
    } catch (e) {
      await fs.unlink(dir.at(temp)).catch(() => undefined);
      throw e;
    }
  } finally {
    await dir.close();
  }
}

/** Deletes the file at a workspace path if it is there; refuses symlinked components and folders. */
export function removeFileInside(rootReal: string, requested: string): Promise<void> {
  return removeEntryInside(rootReal, requested, 'file', (at) => fs.unlink(at));
}

/**
 * Removes the folder at a workspace path if it is there and empty; a folder that holds anything stays (the user
 * may have put files there since). Refuses symlinked components, and a symlink or file at the path.
 */
export function removeEmptyFolderInside(rootReal: string, requested: string): Promise<void> {
  return removeEntryInside(rootReal, requested, 'directory', (at) =>
    fs.rmdir(at).catch((e: unknown) => {
      if (code(e) !== 'ENOTEMPTY' && code(e) !== 'EEXIST' && code(e) !== 'ENOENT') throw e;
    }),
  );
}

/**
 * Removes the entry of the expected kind at a workspace path, if it is there, through its pinned folder: a missing
 * folder or entry is nothing to do; a symlink on the path or at it is refused, and so is an entry of the other kind.
 */
async function removeEntryInside(rootReal: string, requested: string, kind: 'file' | 'directory', remove: (at: string) => Promise<void>): Promise<void> {
  const { folders, name } = split(requested);
  const dir = await pinDir(rootReal, folders, requested, false);
  if (!dir) return;
  try {
    let current;
    try {
      current = await fs.lstat(dir.at(name));
    } catch (e) {
      if (code(e) === 'ENOENT') return;
      throw e;
    }
    if (current.isSymbolicLink()) throw new PathRefusedError(requested, 'symlink-escape');
    if (kind === 'file' ? !current.isFile() : !current.isDirectory()) throw new WrongKindError(requested, kind);
    await dir.recheck();
    await remove(dir.at(name));
  } finally {
    await dir.close();
  }
}

/**
 * Throws PathRefusedError when any existing component of a workspace path is a symlink (or a file where a folder
 * must be). For writers that cannot use writeFileInside (VS Code's own WorkspaceEdit): call it right before.
 */
export async function assertNoSymlinkOnPath(rootReal: string, requested: string): Promise<void> {
  const relative = normalizeWorkspacePath(requested);
  let current = rootReal;
  const segments = relative === '.' ? [] : relative.split('/');
  for (const [i, segment] of segments.entries()) {
    current = path.join(current, segment);
    let s;
    try {
      s = await fs.lstat(current);
    } catch (e) {
      if (code(e) === 'ENOENT') return;
      throw e;
    }
    if (s.isSymbolicLink()) throw new PathRefusedError(requested, 'symlink-escape');
    if (i < segments.length - 1 && !s.isDirectory()) throw new PathRefusedError(requested, 'invalid');
  }
}
