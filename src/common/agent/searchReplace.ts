import { SearchMissError } from './errors';

/** One search/replace block: `search` must occur exactly once in the current text. */
export interface SearchReplaceEdit {
  search: string;
  replace: string;
}

function countOccurrences(text: string, needle: string): { count: number; first: number } {
  let count = 0;
  let first = -1;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (first === -1) first = at;
    count++;
    if (count > 1) break; // we only need to know "unique or not"
  }
  return { count, first };
}

/**
 * Applies search/replace blocks in order, each against the result of the previous one. All or nothing: the
 * first block that does not match exactly once throws SearchMissError and no edit is applied.
 *
 * Models usually write `\n` even when the file uses `\r\n`; when a block does not match as written it is retried
 * with the file's CRLF line endings, so such edits land without rewriting the file's line endings.
 */
export function applySearchReplace(path: string, text: string, edits: readonly SearchReplaceEdit[]): string {
  let current = text;
  const crlf = text.includes('\r\n');
  edits.forEach((edit, index) => {
    if (edit.search === '') {
      // An empty search only makes sense for an empty file: it then means "the whole content".
      if (current !== '') throw new SearchMissError(path, index, 0);
      current = edit.replace;
      return;
    }
    let search = edit.search;
    let replace = edit.replace;
    let found = countOccurrences(current, search);
    if (found.count === 0 && crlf && !search.includes('\r\n')) {
      search = search.replace(/\n/g, '\r\n');
      replace = replace.replace(/\r?\n/g, '\r\n');
      found = countOccurrences(current, search);
    }
    if (found.count !== 1) throw new SearchMissError(path, index, found.count);
    current = current.slice(0, found.first) + replace + current.slice(found.first + search.length);
  });
  return current;
}
