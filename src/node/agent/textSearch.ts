import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InvalidQueryError } from '../../common/agent/errors';
import { isGitSegment } from '../../common/agent/paths';
import type { SearchMatch, SearchQuery, SearchResult } from '../../common/agent/ports';
import { throwIfAborted } from '../../common/errors';
import type { ResolvedPath } from './safePath';

export interface SearchScope {
  /** Real path of the workspace root. */
  root: string;
  resolve(path: string): Promise<ResolvedPath>;
  skipFolders: ReadonlySet<string>;
  /** Larger files are skipped. */
  maxFileBytes: number;
}

const maxLineChars = 300;
const readConcurrency = 16;

/** The file's text, or undefined when it is too large, binary (NUL byte or invalid UTF-8) or unreadable. */
async function readText(file: string, maxBytes: number, decoder: TextDecoder): Promise<string | undefined> {
  try {
    const s = await fs.stat(file);
    if (s.size > maxBytes) return undefined;
    const bytes = await fs.readFile(file);
    if (bytes.includes(0)) return undefined;
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

function matcher(query: SearchQuery): (line: string) => boolean {
  if (query.isRegex) {
    let re: RegExp;
    try {
      re = new RegExp(query.query, query.caseSensitive ? '' : 'i');
    } catch (e) {
      throw new InvalidQueryError(query.query, e instanceof Error ? e.message : String(e));
    }
    return (line) => re.test(line);
  }
  if (query.caseSensitive) return (line) => line.includes(query.query);
  const needle = query.query.toLowerCase();
  return (line) => line.toLowerCase().includes(needle);
}

/**
 * Line search over the workspace's text files. Skips `.git`, the configured dependency folders, symlinks
 * (so it can neither loop nor leave the workspace), binary files (a NUL byte or invalid UTF-8) and files over
 * the size limit. Stops as soon as it has one match more than asked, to report `truncated`.
 */
export async function searchFiles(scope: SearchScope, query: SearchQuery, signal?: AbortSignal): Promise<SearchResult> {
  const test = matcher(query);
  const max = query.maxResults ?? 200;
  const start = await scope.resolve(query.under ?? '.');
  const matches: SearchMatch[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stack = [start.absolute];
  while (stack.length > 0) {
    throwIfAborted(signal);
    const dir = stack.pop() as string;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable or vanished folders are not the model's concern
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : -1)); // reversed, so the stack visits in name order
    const files = [];
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isGitSegment(entry.name) && !scope.skipFolders.has(entry.name)) stack.push(full);
      } else if (entry.isFile()) files.push(full);
    }
    // Reads a folder's files a few at a time (I/O overlaps), then scans them in name order.
    files.reverse();
    for (let i = 0; i < files.length; i += readConcurrency) {
      const batch = files.slice(i, i + readConcurrency);
      const texts = await Promise.all(batch.map((f) => readText(f, scope.maxFileBytes, decoder)));
      for (let j = 0; j < batch.length; j++) {
        const text = texts[j];
        const full = batch[j];
        if (text === undefined || full === undefined) continue;
        const rel = path.relative(scope.root, full).split(path.sep).join('/');
        const lines = text.split('\n');
        for (let n = 0; n < lines.length; n++) {
          const line = (lines[n] ?? '').replace(/\r$/, '');
          if (!test(line)) continue;
          if (matches.length === max) return { matches, truncated: true };
          matches.push({ path: rel, line: n + 1, text: line.length > maxLineChars ? `${line.slice(0, maxLineChars)}…` : line });
        }
      }
    }
  }
  return { matches, truncated: false };
}
