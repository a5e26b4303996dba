import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PathRefusedError } from '../../common/agent/errors';
import { isGitSegment, normalizeWorkspacePath } from '../../common/agent/paths';

/** A workspace path resolved on disk: `absolute` is symlink-free and inside the workspace root. */
export interface ResolvedPath {
  /** Normalised workspace-relative path (`.` for the root). */
  relative: string;
  absolute: string;
}

function isNotFound(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/**
 * Resolves a requested path against a workspace root whose real path is `rootReal`. Refuses what
 * `normalizeWorkspacePath` refuses, and then anything whose real location (symlinks followed, for the part of
 * the path that exists) is outside the root or inside a `.git` folder, so a symlink cannot smuggle the agent out. A dangling
 * symlink anywhere on the path is refused.
 */
export async function resolveInside(rootReal: string, requested: string): Promise<ResolvedPath> {
  const relative = normalizeWorkspacePath(requested);
  const lexical = relative === '.' ? rootReal : path.join(rootReal, ...relative.split('/'));
  // Walk up to the deepest part that exists: a file being created has no real path yet, its folder does.
  let existing = lexical;
  const missing: string[] = [];
  let real: string | undefined;
  for (;;) {
    try {
      real = await fs.realpath(existing);
      break;
    } catch (e) {
      if (!isNotFound(e) || existing === rootReal) throw e;
      // The entry is there but does not resolve: a dangling symlink. Walking up past it would hand back a path that
      // a later write follows to wherever the link points (outside the workspace, possibly).
      if (await exists(existing)) throw new PathRefusedError(requested, 'symlink-escape');
      missing.unshift(path.basename(existing));
      existing = path.dirname(existing);
    }
  }
  const absolute = path.join(real, ...missing);
  const inside = path.relative(rootReal, absolute);
  if (inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) throw new PathRefusedError(requested, 'symlink-escape');
  if (inside.split(path.sep).some(isGitSegment)) throw new PathRefusedError(requested, 'git');
  return { relative, absolute };
}
