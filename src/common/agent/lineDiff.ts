// The line diff behind the review's hunks. It runs on the extension host's thread, so every step is linear in the
// text or bounded: the equal ends are cut off by comparing characters natively, the rest is indexed in one pass
// (start offsets and a 32-bit hash per line, no string per line), and Myers' algorithm runs on the hashes under an
// edit bound and a deadline, after a counting bound has ruled out a rewrite. Hashes can collide, so whatever the
// diff calls equal is checked against the text before it is trusted (see `sameLines`).

/** A text's lines: where each starts (with one more entry, the text's length) and a hash of each, ending included. */
export interface LineIndex {
  text: string;
  /** Number of lines; a last line without a newline counts. */
  count: number;
  /** starts[i] is the offset of line i; starts[count] is the text's length. */
  starts: Int32Array;
  hashes: Int32Array;
}

/**
 * One differing stretch of a line diff: lines [aStart, aEnd) of the old text are replaced by lines [bStart, bEnd)
 * of the new text (either range may be empty). Between two consecutive changes the lines are equal.
 */
export interface LineChange {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * Splits text[from, to) into lines in one pass over its characters, hashing each line (FNV-1a) with its newline.
 * `from` must be a line start; offsets in the result are offsets in `text`.
 */
export function indexLines(text: string, from = 0, to = text.length): LineIndex {
  let starts: Int32Array = new Int32Array(1024);
  let hashes: Int32Array = new Int32Array(1024);
  starts[0] = from;
  let count = 0;
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    h = Math.imul(h ^ c, FNV_PRIME);
    if (c === 10) {
      if (count + 1 >= starts.length) [starts, hashes] = [grow(starts), grow(hashes)];
      hashes[count] = h;
      starts[++count] = i + 1;
      h = FNV_OFFSET;
    }
  }
  if (starts[count] !== to) {
    if (count + 1 >= starts.length) [starts, hashes] = [grow(starts), grow(hashes)];
    hashes[count] = h;
    starts[++count] = to;
  }
  return { text, count, starts, hashes };
}

function grow(xs: Int32Array): Int32Array {
  const bigger = new Int32Array(xs.length * 2);
  bigger.set(xs);
  return bigger;
}

/** Where two texts differ, widened to whole lines plus context; the texts agree before `from` and after the ends. */
export interface DiffRegion {
  /** Offset in both texts where the region starts (a line start). */
  from: number;
  /** Where the region ends in the old text and in the new one (line starts, or the texts' ends). */
  aTo: number;
  bTo: number;
  /** How many lines come before `from`. */
  lineOffset: number;
}

/** Characters compared natively at a time while looking for the first and last difference. */
const CHUNK = 4096;

/**
 * Cuts off the common first and last lines of two different texts by comparing characters, a few thousand at a
 * time, and keeps `context` of those lines on each side: a small edit in a large file then costs next to nothing.
 */
export function diffRegion(a: string, b: string, context: number): DiffRegion {
  const shorter = Math.min(a.length, b.length);
  let p = 0;
  while (p + CHUNK <= shorter && a.slice(p, p + CHUNK) === b.slice(p, p + CHUNK)) p += CHUNK;
  while (p < shorter && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  const head = p === 0 ? 0 : a.lastIndexOf('\n', p - 1) + 1;
  // The common end may not reach into the common start.
  const limit = shorter - head;
  let s = 0;
  while (s + CHUNK <= limit && a.slice(a.length - s - CHUNK, a.length - s) === b.slice(b.length - s - CHUNK, b.length - s)) s += CHUNK;
  while (s < limit && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  const lineStart = (text: string, i: number) => i === head || text.charCodeAt(i - 1) === 10;
  if (!lineStart(a, a.length - s) || !lineStart(b, b.length - s)) {
    // Shrink the common end to whole lines: it starts after its first newline (which both texts have there).
    const nl = a.indexOf('\n', a.length - s);
    s = nl < 0 ? 0 : a.length - nl - 1;
  }
  let from = head;
  for (let k = 0; k < context && from > 0; k++) from = from < 2 ? 0 : a.lastIndexOf('\n', from - 2) + 1;
  let aTo = a.length - s;
  for (let k = 0; k < context && aTo < a.length; k++) {
    const nl = a.indexOf('\n', aTo);
    aTo = nl < 0 ? a.length : nl + 1;
  }
  let lineOffset = 0;
  for (let i = a.indexOf('\n'); i >= 0 && i < from; i = a.indexOf('\n', i + 1)) lineOffset++;
  return { from, aTo, bTo: aTo - a.length + b.length, lineOffset };
}

/** Line i's text, newline included. */
export function lineAt(index: LineIndex, i: number): string {
  return index.text.slice(index.starts[i], index.starts[i + 1]);
}

/** Whether lines [aFrom, aTo) of `a` are, character for character, lines [bFrom, bTo) of `b` (one comparison). */
export function sameLines(a: LineIndex, aFrom: number, aTo: number, b: LineIndex, bFrom: number, bTo: number): boolean {
  if (aTo - aFrom !== bTo - bFrom) return false;
  const aText = a.text.slice(a.starts[aFrom], a.starts[aTo]);
  const bText = b.text.slice(b.starts[bFrom], b.starts[bTo]);
  return aText === bText;
}

/**
 * A lower bound on the lines a diff of a[aLo, aHi) against b[bLo, bHi) must add or remove: every line outside the
 * multiset intersection of the two ranges, with lines compared by hash. Different lines that share a hash count as
 * equal, which can only lower the count, so the bound holds. Stops counting once it passes `limit`.
 */
export function minEditLines(a: LineIndex, aLo: number, aHi: number, b: LineIndex, bLo: number, bHi: number, limit: number): number {
  const n = aHi - aLo;
  const m = bHi - bLo;
  // An open-addressing table of a's hashes with their counts (count 0: free slot), at most half full.
  let size = 1024;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const keys = new Int32Array(size);
  const counts = new Int32Array(size);
  const slotOf = (hash: number) => {
    let slot = hash & mask;
    while ((counts[slot] as number) !== 0 && keys[slot] !== hash) slot = (slot + 1) & mask;
    return slot;
  };
  for (let i = aLo; i < aHi; i++) {
    const hash = a.hashes[i] as number;
    const slot = slotOf(hash);
    keys[slot] = hash;
    counts[slot] = (counts[slot] as number) + 1;
  }
  let common = 0;
  let added = 0;
  for (let i = bLo; i < bHi; i++) {
    const slot = slotOf(b.hashes[i] as number);
    // A used-up slot keeps count -1 rather than 0, so that the probe chains through it stay intact.
    if ((counts[slot] as number) > 0) {
      counts[slot] = (counts[slot] as number) - 1 || -1;
      common++;
    } else if (++added > limit) return added;
  }
  return n - common + (m - common);
}

/** How many snake comparisons run between two looks at the clock. */
const CHECK_EVERY = 1 << 14;

/**
 * A shortest line diff (Myers' O(ND) greedy algorithm) of a[aLo, aHi) against b[bLo, bHi), lines compared by hash.
 * Its cost grows with the number of differing lines, not with the file size, so a few edits far apart in a large
 * file stay cheap. It gives up (undefined) as soon as the edit distance is known to exceed `maxEdits` or the clock
 * passes `deadline` (a `performance.now()` time). Memory: one row of furthest points per edit step,
 * (maxEdits + 1)² numbers at most, in one growing array. The equal runs between the changes are hash matches: check them with sameLines.
 */
export function diffByHash(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, maxEdits: number, deadline: number): LineChange[] | undefined {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const max = Math.min(maxEdits, n + m);
  if (Math.abs(n - m) > max) return undefined; // every line of the size difference is an edit
  const off = max + 1;
  const v = new Int32Array(2 * max + 3); // v[off + k]: furthest old-line offset reached on diagonal k = x - y
  // The walk back needs v over diagonals -d..d after each step d: kept one after the other, step d at d².
  let trace = new Int32Array(1024);
  let work = 0;
  let nextCheck = CHECK_EVERY;
  for (let d = 0; d <= max; d++) {
    if ((d + 1) * (d + 1) > trace.length) {
      const bigger = new Int32Array(Math.max(2 * trace.length, (d + 1) * (d + 1)));
      bigger.set(trace);
      trace = bigger;
    }
    for (let k = -d; k <= d; k += 2) {
      // Step down (a new line added) from diagonal k+1, or right (an old line removed) from diagonal k-1.
      const down = k === -d || (k !== d && (v[off + k - 1] as number) < (v[off + k + 1] as number));
      let x = down ? (v[off + k + 1] as number) : (v[off + k - 1] as number) + 1;
      let y = x - k;
      const x0 = x;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        trace.set(v.subarray(off - d, off + d + 1), d * d);
        return walkBack(trace, d, n, m, aLo, bLo);
      }
      work += x - x0 + 1;
      if (work >= nextCheck) {
        if (performance.now() > deadline) return undefined;
        nextCheck = work + CHECK_EVERY;
      }
    }
    trace.set(v.subarray(off - d, off + d + 1), d * d);
  }
  return undefined;
}

/** Rebuilds the edit path from the end point back to the start, merging adjacent edits into changes. */
function walkBack(trace: Int32Array, steps: number, n: number, m: number, aLo: number, bLo: number): LineChange[] {
  const changes: LineChange[] = [];
  let x = n;
  let y = m;
  for (let d = steps; d > 0; d--) {
    const prev = (k: number) => trace[(d - 1) * (d - 1) + k + d - 1] as number; // v after step d-1, diagonal k
    const k = x - y;
    const down = k === -d || (k !== d && prev(k - 1) < prev(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = prev(prevK);
    const prevY = prevX - prevK;
    // The one edit of step d goes from (prevX, prevY) to (editX, editY); equal lines follow it up to (x, y).
    const editX = down ? prevX : prevX + 1;
    const editY = editX - k;
    const last = changes[changes.length - 1];
    if (last && last.aStart === editX && last.bStart === editY) {
      last.aStart = prevX;
      last.bStart = prevY;
    } else {
      changes.push({ aStart: prevX, aEnd: editX, bStart: prevY, bEnd: editY });
    }
    x = prevX;
    y = prevY;
  }
  changes.reverse();
  for (const c of changes) {
    c.aStart += aLo;
    c.aEnd += aLo;
    c.bStart += bLo;
    c.bEnd += bLo;
  }
  return changes;
}
