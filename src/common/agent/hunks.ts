import { diffByHash, diffRegion, indexLines, lineAt, type LineChange, type LineIndex, minEditLines, sameLines } from './lineDiff';

/** One hunk between a file's base text and a proposal, in unified-diff terms (1-based ranges). */
export interface Hunk {
  /** Position in the file's hunk list; decisions refer to it. */
  index: number;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /**
   * Unified-diff body lines (' ', '-', '+', and '\\ No newline' markers), for display. A long run of added or
   * removed lines is cut after SHOWN_RUN_CHARS characters and ends with a '\\ N more lines not shown' line.
   */
  lines: string[];
  /** How many lines the hunk adds and removes (whole runs, also where the body is cut). */
  added: number;
  removed: number;
  /** The lines differ too much to diff line by line within the edit bound and time budget: the whole differing part is one hunk. */
  wholeBlock?: true;
}

/** Splits text into lines that keep their terminators (\n or \r\n; a last line without one is a line too). */
export function splitLinesKeepEnds(text: string): string[] {
  // indexOf finds each newline natively: cheaper on large texts than a global regex match.
  const lines: string[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl + 1;
    lines.push(text.slice(start, end));
    start = end;
  }
  return lines;
}

/**
 * How long the line diff itself may run before a change is shown as one replaced block instead. The diff runs on
 * the extension host's thread, which must not be blocked for more than 50 ms (issue #18); reading the texts into
 * lines before it and building the hunks after it take the rest. Small edits in large files stay exact: the equal
 * ends are cut off first, and the diff's cost grows with the differing lines, not with the file.
 */
export const DIFF_BUDGET_MS = 10;

/**
 * Beyond this many added plus removed lines the differing part is shown as one block. A counting lower bound
 * spots most rewrites before the diff starts; the diff itself stops once it has proved the bound is passed.
 */
export const MAX_EDIT_LINES = 2000;

/** Diffs with at most this many added plus removed lines skip the counting bound (they cost little to find). */
const QUICK_EDIT_LINES = 64;

/**
 * Hunks turning `base` into `proposed`, with `context` unchanged lines around each change. The common first and
 * last lines are cut off and only the part between them is diffed, with a time budget and an edit bound; when
 * either runs out (or the budget is 0) that part becomes one hunk, marked `wholeBlock`.
 */
export function computeHunks(base: string, proposed: string, context = 3, budgetMs = DIFF_BUDGET_MS): Hunk[] {
  if (base === proposed) return [];
  const region = diffRegion(base, proposed, context);
  const a = indexLines(base, region.from, region.aTo);
  const b = indexLines(proposed, region.from, region.bTo);
  let head = 0;
  while (head < a.count && head < b.count && a.hashes[head] === b.hashes[head]) head++;
  let tail = 0;
  while (tail < a.count - head && tail < b.count - head && a.hashes[a.count - 1 - tail] === b.hashes[b.count - 1 - tail]) tail++;
  const aEnd = a.count - tail;
  const bEnd = b.count - tail;
  let hunks: Hunk[];
  // Hashes can collide: lines matched by hash count as equal only if their text is (else, rarely, one block).
  if (!sameLines(a, 0, head, b, 0, head) || !sameLines(a, aEnd, a.count, b, bEnd, b.count)) hunks = [wholeBlock(a, 0, a.count, b, 0, b.count)];
  else if (budgetMs <= 0) hunks = [wholeBlock(a, head, aEnd, b, head, bEnd)];
  else if (head === aEnd || head === bEnd) hunks = hunksOf(a, b, [{ aStart: head, aEnd, bStart: head, bEnd }], context); // only additions or only removals
  else {
    const deadline = performance.now() + budgetMs;
    // A few changes (the usual case) are found at once; only a longer diff first has to pass the counting bound.
    const changes =
      diffByHash(a.hashes, head, aEnd, b.hashes, head, bEnd, QUICK_EDIT_LINES, deadline) ??
      (minEditLines(a, head, aEnd, b, head, bEnd, MAX_EDIT_LINES) <= MAX_EDIT_LINES ? diffByHash(a.hashes, head, aEnd, b.hashes, head, bEnd, MAX_EDIT_LINES, deadline) : undefined);
    hunks = changes && equalRunsMatch(a, b, changes, head, aEnd, bEnd) ? hunksOf(a, b, changes, context) : [wholeBlock(a, head, aEnd, b, head, bEnd)];
  }
  for (const h of hunks) {
    h.oldStart += region.lineOffset;
    h.newStart += region.lineOffset;
  }
  return hunks;
}

/** Whether the runs the diff matched by hash between its changes (within the differing middle) are equal text. */
function equalRunsMatch(a: LineIndex, b: LineIndex, changes: readonly LineChange[], head: number, aEnd: number, bEnd: number): boolean {
  let aFrom = head;
  let bFrom = head;
  for (const c of changes) {
    if (!sameLines(a, aFrom, c.aStart, b, bFrom, c.bStart)) return false;
    aFrom = c.aEnd;
    bFrom = c.bEnd;
  }
  return sameLines(a, aFrom, aEnd, b, bFrom, bEnd);
}

/**
 * Groups changes into hunks the way unified diffs do: `context` equal lines around each change, and two changes
 * share a hunk when at most 2 × `context` equal lines separate them. Starts are 1-based line numbers, also for
 * empty ranges (the line the insertion goes before).
 */
function hunksOf(a: LineIndex, b: LineIndex, changes: readonly LineChange[], context: number): Hunk[] {
  const hunks: Hunk[] = [];
  for (let first = 0; first < changes.length; ) {
    let last = first;
    while (last + 1 < changes.length && (changes[last + 1] as LineChange).aStart - (changes[last] as LineChange).aEnd <= 2 * context) last++;
    const f = changes[first] as LineChange;
    const l = changes[last] as LineChange;
    const before = Math.min(context, f.aStart);
    const after = Math.min(context, a.count - l.aEnd);
    const lines: string[] = [];
    let added = 0;
    let removed = 0;
    pushBody(lines, ' ', a, f.aStart - before, f.aStart);
    for (let i = first; i <= last; i++) {
      const c = changes[i] as LineChange;
      pushBody(lines, '-', a, c.aStart, c.aEnd);
      pushBody(lines, '+', b, c.bStart, c.bEnd);
      pushBody(lines, ' ', a, c.aEnd, i < last ? (changes[i + 1] as LineChange).aStart : c.aEnd + after);
      removed += c.aEnd - c.aStart;
      added += c.bEnd - c.bStart;
    }
    hunks.push({
      index: hunks.length,
      oldStart: f.aStart - before + 1,
      oldLines: l.aEnd + after - (f.aStart - before),
      newStart: f.bStart - before + 1,
      newLines: l.bEnd + after - (f.bStart - before),
      lines,
      added,
      removed,
    });
    first = last + 1;
  }
  return hunks;
}

/**
 * A run of added or removed lines shows at most about this many characters in its hunk's body: the panel shows
 * 20,000 per hunk, so a replaced block shows the start of both sides, and the host does not build (and send) a
 * megabyte of body lines nobody sees. "Open diff" shows everything; counts and decisions cover the whole run.
 */
export const SHOWN_RUN_CHARS = 8000;

/** Appends lines [from, to) as unified-diff body lines: marked, without their newline, flagged when they lack one. */
function pushBody(out: string[], mark: string, index: LineIndex, from: number, to: number): void {
  let shown = 0;
  for (let i = from; i < to; i++) {
    if (shown >= SHOWN_RUN_CHARS && mark !== ' ') {
      out.push(`\\ ${to - i} more line${to - i === 1 ? '' : 's'} not shown`);
      return;
    }
    const line = lineAt(index, i);
    shown += line.length;
    if (line.endsWith('\n')) out.push(mark + line.slice(0, -1));
    else out.push(mark + line, '\\ No newline at end of file');
  }
}

/** The differing middle as one hunk: every old line removed, every new line added (unified-diff body lines). */
function wholeBlock(a: LineIndex, aFrom: number, aTo: number, b: LineIndex, bFrom: number, bTo: number): Hunk {
  const lines: string[] = [];
  pushBody(lines, '-', a, aFrom, aTo);
  pushBody(lines, '+', b, bFrom, bTo);
  const [removed, added] = [aTo - aFrom, bTo - bFrom];
  return { index: 0, oldStart: aFrom + 1, oldLines: removed, newStart: bFrom + 1, newLines: added, lines, added, removed, wholeBlock: true };
}

/**
 * The final text from the base and the accepted hunks: an accepted hunk's range is taken from the proposal, a
 * rejected one's from the base; text between hunks is identical in both. Works from line ranges rather than
 * the hunk bodies so that line terminators (CRLF, a missing final newline) come through byte for byte.
 *
 * A hunk's `oldStart`/`newStart` are the 1-based index of the range's first line, also for empty
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
