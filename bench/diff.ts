// The review diff's cost on large files: the diff runs on the extension host's thread, so its time is how long
// the host is blocked. Full rewrites (every line differs) and a one-line edit, at 100 kB and 1 MB.
import { computeHunks } from '../src/common/agent/hunks';

export interface DiffBench {
  /** Median ms of computeHunks (synchronous: also the longest the host is blocked), by case. */
  ms: Record<string, number>;
  /** Whether each case came out as one replaced block (the time budget ran out) or as exact line hunks. */
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

export function benchDiff(): DiffBench {
  const ms: Record<string, number> = {};
  const wholeBlock: Record<string, boolean> = {};
  for (const [label, bytes] of [['100 kB', 100 * 1024], ['1 MB', 1024 * 1024]] as const) {
    const base = source(bytes, 'old');
    const cases: Record<string, string> = {
      [`${label} full rewrite`]: source(bytes, 'new'),
      [`${label} one-line edit`]: base.replace('export const value_500 =', 'export const value_500_renamed ='),
    };
    for (const [name, proposed] of Object.entries(cases)) {
      const times: number[] = [];
      let block = false;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        const hunks = computeHunks(base, proposed);
        times.push(performance.now() - t);
        block = hunks.some((h) => h.wholeBlock === true);
      }
      ms[name] = median(times);
      wholeBlock[name] = block;
    }
  }
  return { ms, wholeBlock };
}
