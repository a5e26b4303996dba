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
  if (context.workspaceSummary) {
    digest.workspaceSummary = clip(context.workspaceSummary, SUMMARY_CHARS);
    used += digest.workspaceSummary.length;
  }
  if (context.selection) {
    digest.selection = { ...context.selection, text: clip(context.selection.text, SELECTION_CHARS) };
    used += digest.selection.text.length;
  }
  const files: { path: string; content: string }[] = [];
  const all = context.files ?? [];
  for (const [i, f] of all.entries()) {
    const content = outlineOf(f.content);
    if (used + f.path.length + content.length > maxChars) {
      files.push({ path: `${all.length - i} more file${all.length - i === 1 ? '' : 's'} left out of the digest`, content: clip(all.slice(i).map((r) => r.path).join('\n'), 600) });
      break;
    }
    files.push({ path: f.path, content });
    used += f.path.length + content.length;
  }
  if (files.length) digest.files = files;
  return digest;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… [${text.length - max} characters cut]`;
}
