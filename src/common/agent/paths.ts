import { PathRefusedError } from './errors';

/** True when a path segment names a git directory (also its case and trailing-dot variants on Windows/macOS). */
export function isGitSegment(segment: string): boolean {
  return segment.replace(/[. ]+$/, '').toLowerCase() === '.git';
}

/**
 * Normalises a path the model (or the UI) asked for into a workspace-relative path with `/` separators, or
 * refuses it. `.` and `..` segments are resolved; a path that would leave the workspace, an absolute path, a
 * home-relative path and anything inside a `.git` folder are refused. The workspace root is returned as `.`.
 *
 * This is the pure half of path safety: symlinks can only be checked by the adapter that owns the disk.
 */
export function normalizeWorkspacePath(requested: string): string {
  if (typeof requested !== 'string' || requested.includes('\0')) throw new PathRefusedError(String(requested), 'invalid');
  const trimmed = requested.trim();
  // Backslashes are separators to the model even on POSIX; treating them as such keeps Windows escapes out.
  const slashed = trimmed.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[a-zA-Z]:/.test(slashed) || slashed.startsWith('~')) {
    throw new PathRefusedError(requested, 'absolute');
  }
  const out: string[] = [];
  for (const segment of slashed.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) throw new PathRefusedError(requested, 'escape');
      out.pop();
      continue;
    }
    if (isGitSegment(segment)) throw new PathRefusedError(requested, 'git');
    out.push(segment);
  }
  return out.length === 0 ? '.' : out.join('/');
}

/** Joins workspace-relative segments; the result is normalised (and refused) like any requested path. */
export function joinWorkspacePath(base: string, name: string): string {
  return normalizeWorkspacePath(base === '.' ? name : `${base}/${name}`);
}
