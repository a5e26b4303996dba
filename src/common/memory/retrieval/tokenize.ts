/**
 * Tokens for lexical retrieval over task and plan text. Code vocabulary matters: `parseConfig` and
 * `parse_config` both yield `parse` and `config` (and the whole identifier), so a task that names a function
 * finds plans that name it either way. A tiny plural fold makes "tests" match "test"; no heavier stemming,
 * because identifiers are not English.
 */

const STOPWORDS = new Set(
  (
    'a an and are as at be but by do does for from has have if in into is it its of on or so such that the their then ' +
    'there these this those to was we were will with would should could can i you your our my me not no yes all any ' +
    'each which what when where who how also use using used make' // words every plan uses
  ).split(' '),
);

const WORD = /[\p{L}\p{N}_]+/gu;

function fold(word: string): string {
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

function pushLower(out: string[], w: string): void {
  if (w.length < 2 || STOPWORDS.has(w)) return;
  out.push(fold(w));
}

function push(out: string[], word: string): void {
  pushLower(out, word.toLowerCase());
}

const CAMEL_BOUNDARY = /(?<=[\p{Ll}\p{N}])(?=\p{Lu})/u;
// Anything outside printable ASCII and common white space takes the Unicode path.
const NON_ASCII = /[^\t\n\r -~]/;

/** The tokens of a text, in order, repeated as often as they occur (term frequency matters to BM25). */
export function tokenize(text: string): string[] {
  // Reloading 100k records tokenizes tens of millions of words: ASCII text (nearly all code tasks) goes
  // through a char-code scanner; only text with other characters pays for the Unicode regular expressions.
  return NON_ASCII.test(text) ? tokenizeUnicode(text) : tokenizeAscii(text);
}

/** Char code of '_'. */
const UNDERSCORE = 95;

function charClass(c: number): 0 | 1 | 2 | 3 {
  // 0: not a word char, 1: lower case, 2: upper case, 3: digit or underscore
  if (c >= 97 && c <= 122) return 1;
  if (c >= 65 && c <= 90) return 2;
  if ((c >= 48 && c <= 57) || c === UNDERSCORE) return 3;
  return 0;
}

function tokenizeAscii(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && charClass(text.charCodeAt(i)) === 0) i++;
    const start = i;
    let compound = false;
    let prev = 0;
    while (i < n) {
      const k = charClass(text.charCodeAt(i));
      if (k === 0) break;
      // An underscore, or a capital right after a lower-case letter or digit, makes an identifier to split.
      if (text.charCodeAt(i) === UNDERSCORE || (k === 2 && (prev === 1 || prev === 3))) compound = true;
      prev = k;
      i++;
    }
    if (i === start) break;
    if (!compound) {
      pushLower(out, text.slice(start, i).toLowerCase());
      continue;
    }
    const parts: string[] = [];
    let partStart = start;
    let p = 0;
    for (let j = start; j <= i; j++) {
      const c = j < i ? text.charCodeAt(j) : UNDERSCORE;
      const k = charClass(c);
      const boundary = c === UNDERSCORE || (k === 2 && (p === 1 || (p === 3 && j > partStart)));
      if (boundary) {
        if (j > partStart) parts.push(text.slice(partStart, j));
        partStart = c === UNDERSCORE ? j + 1 : j;
      }
      p = c === UNDERSCORE ? 0 : k;
    }
    pushIdentifier(out, text.slice(start, i), parts);
  }
  return out;
}

/** An identifier as its whole (underscores dropped) and, when it has several, its parts. */
function pushIdentifier(out: string[], word: string, parts: readonly string[]): void {
  push(out, word.replace(/_/g, ''));
  if (parts.length > 1) for (const part of parts) push(out, part);
}

function tokenizeUnicode(text: string): string[] {
  const out: string[] = [];
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    const word = match[0];
    // Most words are plain: skip the identifier split (it allocates) unless there is an underscore or a capital
    // after the first letter. This keeps reloading 100k records' text fast.
    const lower = word.toLowerCase();
    if (!word.includes('_') && (lower === word || word.slice(1) === lower.slice(1))) {
      pushLower(out, lower);
      continue;
    }
    // Split snake_case and camelCase into parts, keeping the whole identifier as a token too.
    const parts = word
      .split('_')
      .flatMap((p) => p.split(CAMEL_BOUNDARY))
      .filter((p) => p.length > 0);
    pushIdentifier(out, word, parts);
  }
  return out;
}
