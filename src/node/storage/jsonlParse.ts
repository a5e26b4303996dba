import type { LineCodec } from '../../common/storage/lineCodec';

/** One line that was skipped on load, with why. */
export interface SkippedLine {
  /** 1-based line number in the file. */
  line: number;
  reason: string;
  /** The first characters of the line, to recognise it in the file. */
  excerpt: string;
}

/** What a load found, besides the records: every skipped line is counted here, none fails the load. */
export interface LoadReport {
  path: string;
  /** Non-empty lines read. */
  lines: number;
  records: number;
  /** Lines in an older schema version, upgraded in memory. */
  upgraded: number;
  /** Torn or corrupt lines skipped (count), and the first few of them. */
  skipped: number;
  skippedLines: SkippedLine[];
  /** The file ended in an unfinished line (a write torn by a crash, or one still being written). */
  tornTail: boolean;
}

const MAX_SKIPPED_DETAILS = 20;

export function emptyReport(path: string): LoadReport {
  return { path, lines: 0, records: 0, upgraded: 0, skipped: 0, skippedLines: [], tornTail: false };
}

/**
 * Parses a chunk of a JSONL file starting at line `firstLine`. A final segment without its newline is taken
 * when it decodes (a complete record whose newline was lost) and otherwise left unconsumed: it is either torn
 * or still being written by another window, and the caller decides which (`final`).
 */
export function parseChunk<T>(
  text: string,
  firstLine: number,
  codec: LineCodec<T>,
  report: LoadReport,
  final: boolean,
): { records: T[]; consumedChars: number; lines: number } {
  const records: T[] = [];
  let pos = 0;
  let lineNo = firstLine;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const terminated = nl !== -1;
    const end = terminated ? nl : text.length;
    const trimmed = text.slice(pos, end).trim();
    if (trimmed !== '') {
      const decoded = decodeLine(trimmed, codec);
      if (!terminated && !decoded.ok && !final) break; // maybe still being written: look again next time
      const record = countLine(decoded, trimmed, lineNo, report, terminated);
      if (record !== undefined) records.push(record);
    }
    pos = terminated ? end + 1 : end;
    lineNo++;
  }
  return { records, consumedChars: pos, lines: lineNo - firstLine };
}

/** Decodes one non-empty, trimmed line (JSON, then the codec's validation and upgrade). */
export function decodeLine<T>(text: string, codec: LineCodec<T>): { ok: true; value: T; upgraded: boolean } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not valid JSON (torn or edited line)' };
  }
  return codec.decode(json);
}

/** Counts a decoded line in the report: the record when it decoded, else a skipped line with why. */
export function countLine<T>(
  decoded: { ok: true; value: T; upgraded: boolean } | { ok: false; error: string },
  trimmed: string,
  lineNo: number,
  report: LoadReport,
  terminated = true,
): T | undefined {
  report.lines++;
  if (decoded.ok) {
    report.records++;
    if (decoded.upgraded) report.upgraded++;
    return decoded.value;
  }
  report.skipped++;
  if (!terminated) report.tornTail = true;
  if (report.skippedLines.length < MAX_SKIPPED_DETAILS) report.skippedLines.push({ line: lineNo, reason: decoded.error, excerpt: trimmed.slice(0, 80) });
  return undefined;
}

/** Reports of two successive reads of one file, as one. */
export function mergeReports(a: LoadReport | undefined, b: LoadReport): LoadReport {
  if (!a) return b;
  return {
    path: b.path,
    // An unfinished tail seen before is read (and counted) again: count it once.
    lines: a.lines - (a.tornTail ? 1 : 0) + b.lines,
    records: a.records + b.records,
    upgraded: a.upgraded + b.upgraded,
    // An unfinished tail seen before is seen again by the next read; count it once.
    skipped: a.skipped - (a.tornTail ? 1 : 0) + b.skipped,
    skippedLines: [...a.skippedLines.filter((s) => !a.tornTail || s !== a.skippedLines[a.skippedLines.length - 1]), ...b.skippedLines].slice(0, 20),
    tornTail: b.tornTail,
  };
}

/**
 * Decodes a line's bytes as UTF-8, or undefined when they are not valid UTF-8: a line with broken bytes is not
 * read as text with U+FFFD in place of what was there (that would store a different string than was written).
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export const INVALID_UTF8 = 'invalid UTF-8 bytes (kept as they are, not read)';
