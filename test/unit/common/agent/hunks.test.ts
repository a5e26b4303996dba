import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyHunks, computeHunks, type Hunk, MAX_EDIT_LINES, splitLinesKeepEnds } from '../../../../src/common/agent/hunks';
import { indexLines, minEditLines } from '../../../../src/common/agent/lineDiff';

const lines = (n: number, f: (i: number) => string = (i) => `line ${i}`) => Array.from({ length: n }, (_, i) => `${f(i + 1)}\n`).join('');
const text = fc.array(fc.constantFrom('a\n', 'b\n', 'c', '\r\n', 'x\r\n', '\n', 'long line\n'), { maxLength: 25 }).map((p) => p.join(''));
const cut = (h: Hunk) => h.lines.some((l) => / more lines? not shown$/.test(l));

/** The side of a hunk's body ('-' for the old text, '+' for the new one) as text, newlines put back. */
function side(h: Hunk, mark: '-' | '+'): string {
  let out = '';
  let kept = false;
  for (const l of h.lines) {
    if (l === '\\ No newline at end of file') {
      if (kept) out = out.slice(0, -1);
      continue;
    }
    kept = l.startsWith(' ') || l.startsWith(mark);
    if (kept) out += `${l.slice(1)}\n`;
  }
  return out;
}

/** Length of a longest common subsequence of lines (the textbook table): the oracle for a shortest diff. */
function lcs(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const row = [0];
    for (let j = 0; j < b.length; j++) row.push(x === b[j] ? (prev[j] as number) + 1 : Math.max(prev[j + 1] as number, row[j] as number));
    prev = row;
  }
  return prev[b.length] as number;
}

/** Checks every hunk against the two texts: its body is exactly the ranges it names, its counts match it. */
function assertDescribes(a: string, b: string, hunks: readonly Hunk[], context: number): void {
  const al = splitLinesKeepEnds(a);
  const bl = splitLinesKeepEnds(b);
  hunks.forEach((h, i) => {
    assert.equal(h.index, i);
    if (!cut(h)) {
      assert.equal(side(h, '-'), al.slice(h.oldStart - 1, h.oldStart - 1 + h.oldLines).join(''));
      assert.equal(side(h, '+'), bl.slice(h.newStart - 1, h.newStart - 1 + h.newLines).join(''));
      assert.equal(h.lines.filter((l) => l.startsWith('+')).length, h.added);
      assert.equal(h.lines.filter((l) => l.startsWith('-')).length, h.removed);
    }
    if (!h.wholeBlock) {
      const lead = h.lines.findIndex((l) => !l.startsWith(' '));
      assert.ok(lead <= context, 'at most `context` lines before the first change');
    }
    const next = hunks[i + 1];
    if (next) assert.ok(next.oldStart - (h.oldStart + h.oldLines) >= 1, 'hunks do not touch');
  });
  assert.equal(applyHunks(a, b, hunks, () => true), b);
  assert.equal(applyHunks(a, b, hunks, () => false), a);
}

describe('hunks', () => {
  it('splits distant changes into separate hunks and applies a chosen subset', () => {
    const before = lines(30);
    const after = before.replace('line 3\n', 'LINE THREE\n').replace('line 25\n', 'LINE 25\nextra\n');
    const hunks = computeHunks(before, after);
    assert.equal(hunks.length, 2);
    assert.equal(applyHunks(before, after, hunks, (i) => i === 0), before.replace('line 3\n', 'LINE THREE\n'));
    assert.equal(applyHunks(before, after, hunks, (i) => i === 1), before.replace('line 25\n', 'LINE 25\nextra\n'));
  });

  it('property: accepting all hunks gives the proposal, none gives the base, byte for byte', () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 3 }), (a, b, context) => {
        const hunks = computeHunks(a, b, context);
        assert.equal(applyHunks(a, b, hunks, () => true), b);
        assert.equal(applyHunks(a, b, hunks, () => false), a);
      }),
      { numRuns: 500 },
    );
  });

  it('property: each hunk shows exactly the lines it replaces, and the diff is a shortest one', () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 3 }), (a, b, context) => {
        const hunks = computeHunks(a, b, context);
        assertDescribes(a, b, hunks, context);
        assert.ok(hunks.every((h) => !h.wholeBlock));
        const al = splitLinesKeepEnds(a);
        const bl = splitLinesKeepEnds(b);
        assert.equal(
          hunks.reduce((n, h) => n + h.added + h.removed, 0),
          al.length + bl.length - 2 * lcs(al, bl),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('property: edits between long equal stretches land on the right lines (CRLF, no final newline)', () => {
    const filler = (tag: string, n: number, eol: string) => Array.from({ length: n }, (_, i) => `${tag} filler ${i % 7}${eol}`).join('');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 600 }),
        fc.constantFrom('\n', '\r\n'),
        text,
        text,
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        (before, after, eol, midA, midB, noFinalNewline, context) => {
          const tail = filler('tail', after, eol) + (noFinalNewline ? 'last' : '');
          const a = filler('head', before, eol) + midA + tail;
          const b = filler('head', before, eol) + midB + tail;
          assertDescribes(a, b, computeHunks(a, b, context), context);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('hunks of large or very different texts', () => {
  it('property: with no time for the line diff, the differing middle is one block, still exact byte for byte', () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 3 }), (a, b, context) => {
        const hunks = computeHunks(a, b, context, 0);
        assert.ok(hunks.length <= 1);
        assert.equal(applyHunks(a, b, hunks, () => true), b);
        assert.equal(applyHunks(a, b, hunks, () => false), a);
        for (const h of hunks) {
          assert.equal(h.wholeBlock, true);
          assert.equal(h.lines.filter((l) => l.startsWith('-')).length, h.oldLines);
          assert.equal(h.lines.filter((l) => l.startsWith('+')).length, h.newLines);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a one-line edit in a large file is found exactly, with its context, at the right line', () => {
    const before = lines(20_000);
    const after = before.replace('line 12345\n', 'line 12345 changed\n');
    const hunks = computeHunks(before, after);
    assert.equal(hunks.length, 1);
    const [h] = hunks;
    assert.equal(h?.wholeBlock, undefined);
    assert.deepEqual([h?.oldStart, h?.oldLines, h?.newStart, h?.newLines], [12342, 7, 12342, 7]);
    assert.deepEqual(h?.lines, ['line 12342', 'line 12343', 'line 12344', '-line 12345', '+line 12345 changed', 'line 12346', 'line 12347', 'line 12348'].map((l) => (l.startsWith('-') || l.startsWith('+') ? l : ` ${l}`)));
  });

  it('edits far apart in a 1 MB file are exact hunks, not one block', () => {
    const before = lines(18_500, (i) => `export const value_${i} = compute(${i * 7919});`);
    const after = before.replace('value_10 =', 'value_10_renamed =').replace('value_18000 =', 'value_18000_renamed =');
    assert.ok(before.length > 800_000);
    const hunks = computeHunks(before, after);
    assert.deepEqual(
      hunks.map((h) => [h.wholeBlock, h.oldStart, h.oldLines, h.newStart, h.newLines, h.added, h.removed]),
      [
        [undefined, 7, 7, 7, 7, 1, 1],
        [undefined, 17_997, 7, 17_997, 7, 1, 1],
      ],
    );
    assert.equal(hunks[1]?.lines[3], '-export const value_18000 = compute(142542000);');
    assertDescribes(before, after, hunks, 3);
    assert.equal(applyHunks(before, after, hunks, (i) => i === 1), before.replace('value_18000 =', 'value_18000_renamed ='));
  });

  it('a full rewrite of a 1 MB file becomes one labelled block between the common ends', () => {
    const make = (tag: string) => Array.from({ length: 25_000 }, (_, i) => `const v${i} = compute_${tag}(${i});\n`).join('');
    const before = `// header\n${make('old')}// footer\n`;
    const after = `// header\n${make('new')}// footer\n`;
    const hunks = computeHunks(before, after);
    assert.equal(hunks.length, 1);
    assert.equal(hunks[0]?.wholeBlock, true);
    assert.deepEqual([hunks[0]?.oldStart, hunks[0]?.oldLines, hunks[0]?.newLines], [2, 25_000, 25_000]);
    assert.equal(applyHunks(before, after, hunks, () => true), after);
  });

  it('shows the start of both sides of a long replaced block, and counts every line', () => {
    const before = lines(3000, (i) => `old ${i}`);
    const after = lines(3000, (i) => `new ${i}`);
    const [h, ...rest] = computeHunks(before, after);
    assert.equal(rest.length, 0);
    assert.deepEqual([h?.wholeBlock, h?.added, h?.removed], [true, 3000, 3000]);
    const removedShown = h?.lines.filter((l) => l.startsWith('-')).length ?? 0;
    const addedShown = h?.lines.filter((l) => l.startsWith('+')).length ?? 0;
    assert.ok(removedShown > 100 && removedShown < 3000, `${removedShown} removed lines shown`);
    assert.ok(h?.lines.includes('+new 1'));
    assert.ok(h?.lines.includes(`\\ ${3000 - removedShown} more lines not shown`));
    assert.ok(h?.lines.includes(`\\ ${3000 - addedShown} more lines not shown`));
  });

  it('keeps a large pure insertion exact, with its counts', () => {
    const before = lines(50);
    const inserted = lines(5000, (i) => `inserted ${i}`);
    const after = before.replace('line 20\n', `line 20\n${inserted}`);
    const hunks = computeHunks(before, after);
    assert.deepEqual(
      hunks.map((h) => [h.wholeBlock, h.oldStart, h.oldLines, h.newStart, h.newLines, h.added, h.removed]),
      [[undefined, 18, 6, 18, 5006, 5000, 0]],
    );
    assert.equal(applyHunks(before, after, hunks, () => true), after);
  });

  it('shows a reordering beyond the edit bound as one block, exact byte for byte', () => {
    // Every line survives (a counting bound sees no change), but a line diff needs far more than the bound.
    const before = lines(MAX_EDIT_LINES + 500);
    const after = splitLinesKeepEnds(before).reverse().join('');
    const hunks = computeHunks(before, after);
    assert.deepEqual(hunks.map((h) => h.wholeBlock), [true]);
    assert.equal(applyHunks(before, after, hunks, () => true), after);
    assert.equal(applyHunks(before, after, hunks, () => false), before);
  });

  it('never takes two different lines with the same hash for equal', () => {
    // Find two lines whose hashes collide (a birthday search; the same pair every run).
    const candidates = Array.from({ length: 300_000 }, (_, i) => `k${i}\n`);
    const { hashes } = indexLines(candidates.join(''));
    const seen = new Map<number, number>();
    let pair: [string, string] | undefined;
    for (let i = 0; i < candidates.length && !pair; i++) {
      const j = seen.get(hashes[i] as number);
      if (j === undefined) seen.set(hashes[i] as number, i);
      else pair = [candidates[j] as string, candidates[i] as string];
    }
    assert.ok(pair, 'a colliding pair exists among the candidates');
    const [x, y] = pair;
    assert.notEqual(x, y);
    const common = lines(40);
    for (const [a, b] of [
      [x + common, y + common], // the equal ends
      [`a\n${x}b\n`, `c\n${y}d\n`], // inside the differing middle
      [common + x + common, common + y + common],
    ] as const) {
      const hunks = computeHunks(a, b);
      assert.ok(hunks.length > 0);
      assertDescribes(a, b, hunks, 3);
    }
  });
});

describe('line diff bound', () => {
  it('property: the counting bound is the multiset difference, never above the shortest diff, and stops past its limit', () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 30 }), (a, b, limit) => {
        const al = splitLinesKeepEnds(a);
        const bl = splitLinesKeepEnds(b);
        const left = [...al];
        let unmatched = 0;
        for (const l of bl) {
          const at = left.indexOf(l);
          if (at < 0) unmatched++;
          else left.splice(at, 1);
        }
        const bound = minEditLines(indexLines(a), 0, al.length, indexLines(b), 0, bl.length, limit);
        if (unmatched > limit) assert.equal(bound, limit + 1);
        else assert.equal(bound, left.length + unmatched);
        assert.ok(Math.min(bound, left.length + unmatched) <= al.length + bl.length - 2 * lcs(al, bl));
      }),
      { numRuns: 500 },
    );
  });
});
