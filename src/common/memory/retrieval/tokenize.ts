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

function push(out: string[], word: string): void {
  const w = word.toLowerCase();
  if (w.length < 2 || STOPWORDS.has(w)) return;
  out.push(fold(w));
}

/** The tokens of a text, in order, repeated as often as they occur (term frequency matters to BM25). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    // Split snake_case and camelCase into parts, keeping the whole identifier as a token too.
    const parts = word
      .split('_')
      .flatMap((p) => p.split(/(?<=[\p{Ll}\p{N}])(?=\p{Lu})/u))
      .filter((p) => p.length > 0);
    if (parts.length > 1) {
      push(out, word.replace(/_/g, ''));
      for (const p of parts) push(out, p);
    } else {
      push(out, word);
    }
  }
  return out;
}
