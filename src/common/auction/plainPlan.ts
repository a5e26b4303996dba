import type { BidContent } from './types';

/**
 * Plans written without JSON and without section headings, as small local models often answer: a bare numbered
 * list ("1." / "1)" / "Step 1:"), a bulleted list, or a few sentences of prose. Returns the steps (numbered items
 * first, else bullets, else sentences), the file paths the text names, and an "Approach:" line as the summary.
 */

const NUMBERED = /^(\s*)(?:step\s+)?\d{1,2}\s*[.):]\s+(.+)$/i;
const BULLET = /^(\s*)[-*+•]\s+(.+)$/;
const SUMMARY = /^\s*(?:approach|summary|overview|strategy|goal|plan)\s*:\s*(.+)$/i;
const EXTENSIONS = 'ts|tsx|js|jsx|mjs|cjs|py|rs|go|java|kt|rb|php|cs|cpp|cc|c|h|hpp|json|md|yml|yaml|toml|css|scss|html|vue|svelte|sh|sql|swift|lock|txt|cfg|ini|xml|gradle';
const PATH = new RegExp(`(?:^|[\\s(\`'"])((?:[\\w.-]+/)*[\\w-][\\w.-]*\\.(?:${EXTENSIONS}))(?=$|[\\s),:;\`'"]|\\.(?:\\s|$))`, 'g');

/** Minimum prose for a plan: at least this many sentences of four words or more (a one-line refusal is not a plan). */
const MIN_PROSE_SENTENCES = 2;

interface Item {
  indent: number;
  text: string;
}

/** Top-level items of one list kind, each with its indented continuation lines and sub-items folded in. */
function listItems(lines: string[], pattern: RegExp): string[] {
  const items: (Item & { line: number })[] = [];
  lines.forEach((line, i) => {
    const m = pattern.exec(line);
    if (m) items.push({ indent: (m[1] ?? '').length, text: (m[2] ?? '').trim(), line: i });
  });
  if (items.length === 0) return [];
  const top = Math.min(...items.map((it) => it.indent));
  const steps: string[] = [];
  let current: string[] | undefined;
  for (const [i, line] of lines.entries()) {
    const item = items.find((it) => it.line === i);
    if (item && item.indent === top) {
      current = [item.text];
      steps.push('');
    } else if (current && line.trim() && /^\s/.test(line)) {
      // An indented line under an item: a continuation or a sub-item, folded into that step.
      current.push(line.trim().replace(/^(?:[-*+•]|\d{1,2}[.)])\s+/, ''));
    } else if (current && line.trim()) current = undefined; // unindented prose ends the list item
    if (current) steps[steps.length - 1] = current.join(' ');
  }
  return steps.filter(Boolean);
}

function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?])\s+(?=[A-Z"'`(])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** File paths named anywhere in the text, in order of first mention. */
export function pathsIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(PATH)) {
    const p = m[1];
    if (p && !found.includes(p) && !/^\.+$/.test(p)) found.push(p);
  }
  return found;
}

/** The plan read from plain text, or undefined when it has no steps. */
export function fromPlainText(text: string): BidContent | undefined {
  const lines = text.split(/\r?\n/);
  let steps = listItems(lines, NUMBERED);
  if (steps.length === 0) steps = listItems(lines, BULLET);
  if (steps.length === 0) {
    // Prose is a plan only when it reads like one: two real sentences or more, and a sequence ("first", "then")
    // or a file named. "Sure! I would love to help." is not a plan.
    const prose = sentences(lines.filter((l) => l.trim()).join(' ')).filter((x) => x.split(/\s+/).length >= 4);
    const planLike = /\b(?:first|then|next|finally|afterwards|after that)\b/i.test(text) || pathsIn(text).length > 0;
    if (prose.length >= MIN_PROSE_SENTENCES && planLike) steps = prose;
  }
  if (steps.length === 0) return undefined;
  const summaryLine = lines.map((l) => SUMMARY.exec(l)).find(Boolean);
  return { summary: summaryLine?.[1]?.trim() ?? '', steps, files: pathsIn(text), risks: [], verification: [] };
}
