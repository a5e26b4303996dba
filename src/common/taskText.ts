/**
 * A short, single-line description of a selection, used to prefill the task box:
 * `src/config.ts:10-24 "function parseConfig(text) {…"`.
 */
export function describeSelection(relativePath: string, startLine: number, endLine: number, text: string, maxChars: number): string {
  const lines = startLine === endLine ? `${startLine}` : `${startLine}-${endLine}`;
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const budget = Math.max(8, maxChars);
  const excerpt = oneLine.length > budget ? `${oneLine.slice(0, budget - 1).trimEnd()}…` : oneLine;
  return excerpt ? `${relativePath}:${lines} "${excerpt}"` : `${relativePath}:${lines}`;
}

/** A compact, unique-enough id for tasks and auctions: time first so ids sort by creation. */
export function newId(prefix: string, now: number, random: () => number = Math.random): string {
  const rand = Math.floor(random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0');
  return `${prefix}_${now.toString(36).padStart(9, '0')}${rand}`;
}
