import type { AuctionContext } from './types';

/**
 * What a juror reads of the workspace when `jury.context` is 'digest' (the default). A juror scores plans, it
 * does not write code: it needs the selection the task points at, the workspace's shape and enough of each file
 * to see whether a plan names files and symbols that exist. The declarations of a file give that at a small
 * fraction of its text, and every juror reads them again in every jury round, so this is where the auction's
 * tokens go (bench/overhead.ts). The bidders and the winner's agent still read the whole context.
 */

/** The whole digest stays under this many characters (the full context is capped at 20,000). */
export const DIGEST_MAX_CHARS = 4_000;
const SUMMARY_CHARS = 1_000;
/** A workspace summary is left out rather than cut to fewer characters than this. */
const MIN_SUMMARY_CHARS = 120;
/** The room of the note that names the files left out. */
const LEFT_OUT_CHARS = 600;
const SELECTION_CHARS = 2_000;
const LINE_CHARS = 160;
const LINES_PER_FILE = 40;

/**
 * Lines that declare something a plan may name, in the languages a workspace usually holds: TypeScript and
 * JavaScript, Python, Go, Rust, Java, C#, Kotlin, Swift, Ruby, PHP, C and C++ type declarations. Only shallow
 * indentation counts, so nested helpers stay out while class members stay in; variables count only at the top
 * level (a method's locals are indented as deep as a Python method).
 */
const DECLARATION =
  /^(?: {0,4}|\t?)(?:export\s+|default\s+|public\s+|private\s+|protected\s+|internal\s+|static\s+|abstract\s+|final\s+|override\s+|async\s+|pub(?:\([^)]*\))?\s+|open\s+|data\s+|sealed\s+|declare\s+|unsafe\s+)*(?:function\*?|class|interface|type|enum|def|struct|impl|trait|fn|func|module|namespace|record|object|protocol|extension|typedef|union|mod)\s+[A-Za-z_$(]/;
/** A top-level constant or variable. */
const TOP_LEVEL_VARIABLE = /^(?:export\s+)?(?:declare\s+)?(?:const|let|var|static)\s+[A-Za-z_$]/;
/**
 * A TypeScript/Java-style member signature at class-member depth: `name(args) {`, or with a return type
 * (`name(args): T {`, `name(args): T;`). A call (`print(x)`, `foo();`) or a control statement is neither.
 */
const MEMBER = /^ {2,4}(?!(?:if|for|while|switch|catch|return|else|do|try|with|await|new|throw)\b)(?:(?:public|private|protected|static|async|readonly|get|set|override|abstract)\s+)*[A-Za-z_$][\w$]*\s*(?:<[^>]*>)?\([^)]*\)\s*(?::[^=]*\{|\{|:\s*[^=;{]+;?)\s*$/;

/** The outline of one file: its declaration lines with their line numbers, after a header saying what it is. */
export function outlineOf(content: string): string {
  const lines = content.split(/\r?\n/);
  const picked: string[] = [];
  let more = 0;
  for (const [i, line] of lines.entries()) {
    if (!DECLARATION.test(line) && !TOP_LEVEL_VARIABLE.test(line) && !MEMBER.test(line)) continue;
    if (picked.length >= LINES_PER_FILE) {
      more++;
      continue;
    }
    const text = line.trimEnd();
    picked.push(`${i + 1}: ${text.length > LINE_CHARS ? `${text.slice(0, LINE_CHARS)}…` : text}`);
  }
  const header = `[outline: ${picked.length + more} declaration line${picked.length + more === 1 ? '' : 's'} of ${lines.length}${more ? `, the first ${picked.length} shown` : ''}]`;
  return [header, ...picked].join('\n');
}

/**
 * The digest of a context: the workspace summary and the selection (clipped), then each file as its outline, files
 * dropped from the end once the digest would pass `maxChars` (the list says how many). Undefined in, undefined out.
 */
export function digestContext(context: AuctionContext | undefined, maxChars = DIGEST_MAX_CHARS): AuctionContext | undefined {
  if (!context) return undefined;
  const digest: AuctionContext = {};
  let used = 0;
  // What the task points at first, then the files' outlines, then the workspace summary in what room is left.
  if (context.selection) {
    digest.selection = { ...context.selection, text: clip(context.selection.text, Math.min(SELECTION_CHARS, maxChars)) };
    used += digest.selection.file.length + digest.selection.text.length;
  }
  const all = (context.files ?? []).map((f) => ({ path: f.path, content: outlineOf(f.content) }));
  const size = (f: { path: string; content: string }): number => f.path.length + f.content.length;
  let files = fit(all, maxChars - used);
  if (files.length < all.length) {
    // Some are left out: the note naming them takes its room too, and files that fit after a large one still go in.
    files = fit(all, maxChars - used - LEFT_OUT_CHARS);
    const out = all.filter((f) => !files.includes(f));
    const path = `${out.length} more file${out.length === 1 ? '' : 's'} left out of the digest`;
    files.push({ path, content: clip(out.map((r) => r.path).join('\n'), LEFT_OUT_CHARS - path.length) });
  }
  used += files.reduce((n, f) => n + size(f), 0);
  if (files.length) digest.files = files;
  const room = Math.min(SUMMARY_CHARS, maxChars - used);
  if (context.workspaceSummary && room >= MIN_SUMMARY_CHARS) digest.workspaceSummary = clip(context.workspaceSummary, room);
  return digest;
}

/** The files that fit in `room` characters (path and outline), in order, passing over any that would not fit. */
function fit<F extends { path: string; content: string }>(files: readonly F[], room: number): F[] {
  const kept: F[] = [];
  let used = 0;
  for (const f of files) {
    const n = f.path.length + f.content.length;
    if (used + n > room) continue;
    kept.push(f);
    used += n;
  }
  return kept;
}

/** The text in at most `max` characters, its cut marked (the marker counts against `max`). */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = (cut: number): string => `\n… [${cut} characters cut]`;
  const keep = Math.max(0, max - marker(text.length).length);
  return `${text.slice(0, keep)}${marker(text.length - keep)}`.slice(0, Math.max(0, max));
}
