import { structuredPatch } from 'diff';

/** One hunk between a file's base text and a proposal, as the diff library computes it (1-based ranges). */
export interface Hunk {
  /** Position in the file's hunk list; decisions refer to it. */
  index: number;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Unified-diff body lines (' ', '-', '+', and '\\ No newline' markers), for display. */
  lines: string[];
  /** The lines differ too much to diff line by line within the time budget: the whole differing part is one hunk. */
  wholeBlock?: true;
}

/** Splits text into lines that keep their terminators, counting lines the way the diff library does. */
export function splitLinesKeepEnds(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * How long the line diff may run before a change is shown as one replaced block instead. The diff runs on the
 * extension host's thread, and Myers' algorithm is quadratic in the number of differing lines: a full rewrite of a
 * 100 kB file took seconds. Small edits in large files stay exact (the unchanged ends are cut off first).
 */
export const DIFF_BUDGET_MS = 30;

/** Beyond this many changed lines (a lower bound, see minEditLines) the middle is shown as one block at once. */
const MAX_EDIT_LINES = 2000;

/**
 * Hunks turning `base` into `proposed`, with `context` unchanged lines around each change. The common first and
 * last lines are matched by plain comparison and only the part between them (plus its context) goes to the diff
 * library, with a time budget; when the budget runs out (or is 0) that part becomes one hunk, marked `wholeBlock`.
 */
export function computeHunks(base: string, proposed: string, context = 3, budgetMs = DIFF_BUDGET_MS): Hunk[] {
  const a = splitLinesKeepEnds(base);
  const b = splitLinesKeepEnds(proposed);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  if (head === a.length && head === b.length) return [];
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  // Keep `context` equal lines on each side of the differing middle, so hunks get the same context as before.
  const from = Math.max(0, head - context);
  const keepTail = Math.max(0, tail - context);
  const patch =
    budgetMs > 0 && minEditLines(a, b, head, tail) <= MAX_EDIT_LINES
      ? structuredPatch('base', 'proposed', a.slice(from, a.length - keepTail).join(''), b.slice(from, b.length - keepTail).join(''), '', '', { context, timeout: budgetMs })
      : undefined;
  if (!patch) return [wholeBlock(a.slice(head, a.length - tail), b.slice(head, b.length - tail), head)];
  return patch.hunks.map((h, index) => ({
    index,
    oldStart: h.oldStart + from,
    oldLines: h.oldLines,
    newStart: h.newStart + from,
    newLines: h.newLines,
    lines: [...h.lines],
  }));
}

/**
 * A lower bound on the lines a line diff of the differing middles must add or remove: every line not in the
 * multiset intersection of the two middles. Cheap (one pass each), and it spots a rewrite before the diff library
 * spends its whole time budget (and more, on splitting the text) finding out.
 */
function minEditLines(a: readonly string[], b: readonly string[], head: number, tail: number): number {
  const counts = new Map<string, number>();
  for (let i = head; i < a.length - tail; i++) counts.set(a[i] as string, (counts.get(a[i] as string) ?? 0) + 1);
  // Every new line with no unmatched old twin is an addition: once they alone exceed the bound, stop counting.
  let added = 0;
  let common = 0;
  for (let i = head; i < b.length - tail; i++) {
    const n = counts.get(b[i] as string);
    if (n) {
      common++;
      counts.set(b[i] as string, n - 1);
    } else if (++added > MAX_EDIT_LINES) return added;
  }
  return a.length - tail - head + (b.length - tail - head) - 2 * common;
}

/** The differing middle as one hunk: every old line removed, every new line added (unified-diff body lines). */
function wholeBlock(removed: string[], added: string[], offset: number): Hunk {
  const body = (mark: string, lines: string[]) =>
    lines.flatMap((l) => (l.endsWith('\n') ? [mark + l.slice(0, -1)] : [mark + l, '\\ No newline at end of file']));
  return { index: 0, oldStart: offset + 1, oldLines: removed.length, newStart: offset + 1, newLines: added.length, lines: [...body('-', removed), ...body('+', added)], wholeBlock: true };
}

/**
 * The final text from the base and the accepted hunks: an accepted hunk's range is taken from the proposal, a
 * rejected one's from the base; text between hunks is identical in both. Works from line ranges rather than
 * the hunk bodies so that line terminators (CRLF, a missing final newline) come through byte for byte.
 *
 * The diff library's `oldStart`/`newStart` are the 1-based index of the range's first line, also for empty
 * ranges (an insertion before that line), so `start - 1` is always the 0-based offset.
 */
export function applyHunks(base: string, proposed: string, hunks: readonly Hunk[], accepted: (index: number) => boolean): string {
  const baseLines = splitLinesKeepEnds(base);
  const proposedLines = splitLinesKeepEnds(proposed);
  const out: string[] = [];
  let cursor = 0; // next base line not yet copied
  for (const hunk of [...hunks].sort((a, b) => a.oldStart - b.oldStart)) {
    const from = hunk.oldStart - 1;
    out.push(...baseLines.slice(cursor, from));
    if (accepted(hunk.index)) {
      out.push(...proposedLines.slice(hunk.newStart - 1, hunk.newStart - 1 + hunk.newLines));
    } else {
      out.push(...baseLines.slice(from, from + hunk.oldLines));
    }
    cursor = from + hunk.oldLines;
  }
  out.push(...baseLines.slice(cursor));
  return out.join('');
}
