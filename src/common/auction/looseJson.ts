/**
 * Finding a JSON object in a model's free text. Models wrap JSON in fences, add prose around it, leave trailing
 * commas or comments, or use smart quotes; each of these is repaired here, and nothing else is guessed.
 */

export interface ExtractedJson {
  value: Record<string, unknown>;
  /** 'json' when the text parsed as-is, 'loose-json' when it needed repairs. */
  via: 'json' | 'loose-json';
}

/** The first JSON object found in the text, strictly parsed first, then repaired; undefined if none. */
export function extractJsonObject(text: string): ExtractedJson | undefined {
  for (const candidate of candidates(text)) {
    const strict = tryParse(candidate);
    if (strict) return { value: strict, via: 'json' };
    const loose = tryParse(repair(candidate));
    if (loose) return { value: loose, via: 'loose-json' };
  }
  return undefined;
}

function* candidates(text: string): Generator<string> {
  const trimmed = text.trim();
  yield trimmed;
  for (const m of trimmed.matchAll(/```[a-zA-Z]*\s*\n([\s\S]*?)```/g)) if (m[1]) yield m[1].trim();
  const balanced = firstBalancedObject(trimmed);
  if (balanced) yield balanced;
}

/** The first `{ … }` span whose braces balance, skipping braces inside strings. */
function firstBalancedObject(text: string): string | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  let depth = 0;
  let inString: string | undefined;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === inString) inString = undefined;
      continue;
    }
    if (ch === '"') inString = ch;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

function repair(s: string): string {
  return s
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/,\s*([}\]])/g, '$1')
    .replace(/([{,]\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:/g, '$1"$2":');
}

function tryParse(s: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(s);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Looks a key up case- and separator-insensitively among aliases: `files_to_touch` finds `filesToTouch`. */
export function pick(obj: Record<string, unknown>, aliases: readonly string[]): unknown {
  const norm = (k: string): string => k.toLowerCase().replace(/[^a-z]/g, '');
  const wanted = new Set(aliases.map(norm));
  for (const [k, v] of Object.entries(obj)) if (wanted.has(norm(k))) return v;
  return undefined;
}

/** A list from a value that may be an array, a newline- or bullet-separated string, or an array of objects. */
export function toStringList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) {
    return (v as unknown[])
      .map((x) => (typeof x === 'string' ? x : x !== null && typeof x === 'object' ? objectLine(x) : String(x)))
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (typeof v === 'string') return splitListText(v);
  return [];
}

/** Splits text into list items on bullets, numbers or newlines. */
export function splitListText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:[-*+•]|\d+[.)])\s+/, '').trim())
    .filter(Boolean);
}

function objectLine(o: object): string {
  return Object.values(o)
    .filter((x) => typeof x === 'string' || typeof x === 'number')
    .join(': ');
}
