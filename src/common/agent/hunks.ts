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
}

/** Splits text into lines that keep their terminators, counting lines the way the diff library does. */
export function splitLinesKeepEnds(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Hunks turning `base` into `proposed`, with `context` unchanged lines around each change. */
export function computeHunks(base: string, proposed: string, context = 3): Hunk[] {
  const patch = structuredPatch('base', 'proposed', base, proposed, '', '', { context });
  return patch.hunks.map((h, index) => ({
    index,
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    lines: [...h.lines],
  }));
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
