// The review diff's cost on large files. It runs on the extension host's thread, so what counts is the longest
// stretch the host is blocked: staging the proposal (ChangeSet.proposeContent: the diff and the staged view) and
// building the review list the panel shows (reviewFiles). Full rewrites (every line differs), a one-line edit and
// two edits far apart (one near each end, which must stay exact hunks), at 100 kB and 1 MB.
import { ChangeSet } from '../src/common/agent/changeSet';
import { reviewFiles } from '../src/common/panel/executionView';

export interface DiffBench {
  /** Median over 3 runs of the longest single blocking stretch (staging or review list), ms, by case. */
  ms: Record<string, number>;
  /** The worst of the 3 runs (the first one, with nothing compiled yet, is usually it), ms, by case. */
  worstMs: Record<string, number>;
  /** Whether each case came out as one replaced block or as exact line hunks. */
  wholeBlock: Record<string, boolean>;
}

function source(bytes: number, tag: string): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `export const value_${i} = compute_${tag}(${(i * 7919) % 1000}, "${tag}-${i}");\n`;
    out.push(line);
    size += line.length;
  }
  return out.join('');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Line 10 and the line 500 before the end changed. */
function distantEdits(base: string): string {
  const lines = base.split('\n');
  const last = lines.length - 500;
  lines[10] = `${lines[10]} // first edit`;
  lines[last] = `${lines[last]} // second edit`;
  return lines.join('\n');
}

export function benchDiff(): DiffBench {
  const ms: Record<string, number> = {};
  const worstMs: Record<string, number> = {};
  const wholeBlock: Record<string, boolean> = {};
  for (const [label, bytes] of [['100 kB', 100 * 1024], ['1 MB', 1024 * 1024]] as const) {
    const base = source(bytes, 'old');
    const cases: Record<string, string> = {
      [`${label} full rewrite`]: source(bytes, 'new'),
      [`${label} one-line edit`]: base.replace('export const value_500 =', 'export const value_500_renamed ='),
      [`${label} two distant edits`]: distantEdits(base),
    };
    for (const [name, proposed] of Object.entries(cases)) {
      const times: number[] = [];
      let block = false;
      for (let i = 0; i < 3; i++) {
        const changeSet = new ChangeSet();
        let t = performance.now();
        const staged = changeSet.proposeContent('big.ts', proposed, { exists: true, content: base, fingerprint: 'fp' });
        const staging = performance.now() - t;
        t = performance.now();
        reviewFiles(changeSet.files());
        const listing = performance.now() - t;
        times.push(Math.max(staging, listing));
        block = staged.hunks.some((h) => h.wholeBlock === true);
      }
      ms[name] = median(times);
      worstMs[name] = Math.max(...times);
      wholeBlock[name] = block;
    }
  }
  return { ms, worstMs, wholeBlock };
}
