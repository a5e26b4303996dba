// Micro-benchmark of the auction memory: top-5 retrieval (lexical and embedding) over synthetic stores of
// 1k/10k/100k auctions, the time to reload 100k from disk (from the files alone, and from the index snapshot
// with and without lines appended since it), and the latency of one durable append.
// Run: node --import tsx bench/memory.ts   (timings belong here, never in tests)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { embeddingLine } from '../src/common/memory/auctionMemory';
import { MEMORY_SCHEMA_VERSION, type AuctionLine, type MemoryLine, type OutcomeLine } from '../src/common/memory/records';
import { VectorIndex } from '../src/common/memory/retrieval/vectorIndex';
import { MemoryStore, snapshotPathFor } from '../src/node/memory/memoryStore';

const SIZES = { '1k': 1_000, '10k': 10_000, '100k': 100_000 } as const;
type SizeKey = keyof typeof SIZES;
const DIM = 256;
const TOPICS = 300;
const QUERIES = 60;
const EMB_MODEL = 'bench/emb';

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Synthetic tasks: each topic has its own words (identifiers, nouns) mixed with a shared Zipf-like vocabulary,
 * and a vector centre; a record's vector is its topic centre plus noise. So both retrieval methods have real
 * neighbours to find, and common words have long postings as in real text.
 */
export class Corpus {
  private readonly random = rng(42);
  private readonly shared = Array.from({ length: 3000 }, (_, i) => `word${i}`);
  private readonly topicWords = Array.from({ length: TOPICS }, (_, t) => Array.from({ length: 25 }, (_, i) => `topic${t}Term${i}`));
  private readonly centres = Array.from({ length: TOPICS }, () => Array.from({ length: DIM }, () => this.random() - 0.5));

  private sharedWord(): string {
    // Zipf-ish: low indexes are far more frequent.
    return this.shared[Math.floor(this.shared.length * this.random() ** 3)] as string;
  }

  text(topic: number, words: number): string {
    const out: string[] = [];
    for (let i = 0; i < words; i++) out.push(this.random() < 0.3 ? (this.topicWords[topic]?.[Math.floor(this.random() * 25)] as string) : this.sharedWord());
    return out.join(' ');
  }

  vector(topic: number): number[] {
    return (this.centres[topic] as number[]).map((x) => x + (this.random() - 0.5) * 0.6);
  }

  topic(): number {
    return Math.floor(this.random() * TOPICS);
  }

  auction(i: number): { line: AuctionLine; topic: number } {
    const topic = this.topic();
    const id = `bench_${i.toString(36).padStart(6, '0')}`;
    const models = ['small', 'mid', 'large'];
    const bids = models.map((m, j) => ({
      bidId: `${id}:${m}`,
      modelId: m,
      plan: this.text(topic, 40),
      tokens: 200 + j * 50,
      entropy: 0.8,
      jury: { small: 3, mid: 4, large: 4 },
      cost: 0.01 * (j + 1),
      value: 3 + j * 0.1,
      score: -3 + j * 0.2,
      refined: false,
      memoryItemsUsed: [],
      won: j === 0,
    }));
    const line: AuctionLine = {
      v: MEMORY_SCHEMA_VERSION,
      kind: 'auction',
      id,
      time: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      task: this.text(topic, 16),
      contextFiles: ['src/a.ts'],
      pool: models,
      bids,
      winnerBidId: `${id}:small`,
    };
    return { line, topic };
  }

  /**
   * What happened afterwards, as in real use: 60% of auctions were run and reviewed (per file, with their
   * execution cost), a third of those had tests run after apply, and some were undone.
   */
  outcomes(a: AuctionLine): OutcomeLine[] {
    if (this.random() >= 0.6) return [];
    const at = (minutes: number): string => new Date(Date.parse(a.time) + minutes * 60_000).toISOString();
    const event = (n: number, fact: OutcomeLine['fact']): OutcomeLine => ({ v: MEMORY_SCHEMA_VERSION, kind: 'outcome', id: `${a.id}/o${n}`, auctionId: a.id, time: at(n + 1), fact });
    const files = Array.from({ length: 1 + Math.floor(this.random() * 3) }, (_, i) => ({ path: `src/module${i}/file${Math.floor(this.random() * 50)}.ts`, decision: this.random() < 0.75 ? ('accepted' as const) : ('rejected' as const) }));
    const out = [event(0, { type: 'execution-cost', inputTokens: 4000 + Math.floor(this.random() * 20_000), outputTokens: 800 + Math.floor(this.random() * 3000), dollars: this.random() * 0.05 }), event(1, { type: 'review', files })];
    if (this.random() < 0.33) out.push(event(2, { type: 'tests', command: 'npm test', passed: this.random() < 0.8 }));
    if (this.random() < 0.05) out.push(event(3, { type: 'undone', files: files.map((f) => f.path) }));
    return out;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Writes a synthetic store of n auctions (with vectors) to `file`; exported for profiling the reload. */
export async function writeStore(file: string, n: number, corpus: Corpus = new Corpus()): Promise<void> {
  // Setup, not measured: the file is written in bulk (appending 100k records one fsync at a time takes minutes).
  const chunks: string[] = [];
  for (let i = 0; i < n; i++) {
    const { line, topic } = corpus.auction(i);
    const lines: MemoryLine[] = [line, embeddingLine(line.id, EMB_MODEL, corpus.vector(topic)), ...corpus.outcomes(line)];
    chunks.push(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  }
  await fs.writeFile(file, chunks.join(''));
}

/** Times `MemoryStore.open` on `file` in a fresh Node process (as a window's extension host would), median of `runs`. */
function reloadInFreshProcess(file: string, runs = 3): { ms: number; loadedFrom: string } {
  const results = Array.from({ length: runs }, () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, '--reload', file], { encoding: 'utf8', cwd: path.resolve(__dirname, '..') });
    return JSON.parse(out.trim().split('\n').pop() as string) as { ms: number; loadedFrom: string; auctions: number };
  });
  const ms = median(results.map((r) => r.ms));
  return { ms, loadedFrom: results[0]?.loadedFrom ?? '?' };
}

export interface MemoryBenchResult {
  memoryTop5Ms: Record<'1k' | '10k' | '100k', { lexical: number; embedding: number }>;
  /** Reload of 100k auctions from the index snapshot (the normal case), in a fresh process. */
  memoryReload100kMs: number;
  /** The same with 1,000 auctions appended after the snapshot was written (read from the file on top). */
  memoryReload100kTailMs: number;
  /** Reload of 100k auctions with no snapshot (first open after an update, or after a delete). */
  memoryReload100kColdMs: number;
  memorySnapshotWriteMs: number;
  memoryAppendMs: number;
}

/** `detail`, when given, receives extra lines (file sizes) that the summary figures do not carry. */
export async function benchMemory(detail?: (line: string) => void): Promise<MemoryBenchResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sale-bench-memory-'));
  try {
    const top5 = {} as Record<SizeKey, { lexical: number; embedding: number }>;
    const reload = { warm: NaN, tail: NaN, cold: NaN, write: NaN };
    for (const [key, n] of Object.entries(SIZES) as [SizeKey, number][]) {
      const corpus = new Corpus();
      const file = path.join(dir, `memory-${key}.jsonl`);
      await writeStore(file, n, corpus);
      const bytes = (await fs.stat(file)).size;
      detail?.(`${key}: ${(bytes / 1e6).toFixed(0)} MB on disk, ${Math.round(bytes / n)} bytes per auction (record, 256-d q8 vector line, outcome events)`);
      const store = await MemoryStore.open({ localPath: file, snapshot: false });
      if (store.list().length !== n) throw new Error(`bench store ${key} loaded ${store.list().length} of ${n}`);
      if (key === '100k') {
        store.dispose();
        const cold = reloadInFreshProcess(file, 1);
        if (cold.loadedFrom !== 'files') throw new Error('bench: the cold reload used a snapshot');
        reload.cold = cold.ms;
        const writer = await MemoryStore.open({ localPath: file, snapshot: { everyLines: Number.MAX_SAFE_INTEGER } });
        let t = performance.now();
        if (!(await writer.saveSnapshot())) throw new Error('bench: the snapshot was not written');
        reload.write = performance.now() - t;
        detail?.(`100k: index snapshot ${((await fs.stat(snapshotPathFor(file))).size / 1e6).toFixed(0)} MB, written in ${reload.write.toFixed(0)} ms`);
        writer.dispose();
        const warm = reloadInFreshProcess(file);
        if (warm.loadedFrom !== 'snapshot') throw new Error('bench: the warm reload did not use the snapshot');
        reload.warm = warm.ms;
        // 1,000 more auctions after the snapshot: what a reload finds after a day of use in other windows.
        const more: string[] = [];
        for (let i = n; i < n + 1000; i++) {
          const { line, topic } = corpus.auction(i);
          more.push(...[line, embeddingLine(line.id, EMB_MODEL, corpus.vector(topic)), ...corpus.outcomes(line)].map((l) => JSON.stringify(l) + '\n'));
        }
        await fs.appendFile(file, more.join(''));
        t = performance.now();
        reload.tail = reloadInFreshProcess(file).ms;
      }
      const index = store.memoryIndex;
      const queries = Array.from({ length: QUERIES }, () => {
        const topic = corpus.topic();
        return { task: corpus.text(topic, 16), vector: { model: EMB_MODEL, values: corpus.vector(topic) } };
      });
      // Warm up the JIT on a few queries before measuring.
      for (const q of queries.slice(0, 5)) {
        index.similar({ task: q.task, k: 5 });
        index.similar({ task: q.task, k: 5, vector: q.vector });
      }
      const lexical: number[] = [];
      const embedding: number[] = [];
      for (const q of queries) {
        let t = performance.now();
        const a = index.similar({ task: q.task, k: 5 });
        lexical.push(performance.now() - t);
        t = performance.now();
        const b = index.similar({ task: q.task, k: 5, vector: q.vector });
        embedding.push(performance.now() - t);
        if (a.method !== 'lexical' || b.method !== 'embedding' || b.hits.length !== 5) throw new Error('bench: unexpected retrieval result');
      }
      top5[key] = { lexical: median(lexical), embedding: median(embedding) };
    }
    const appendStore = await MemoryStore.open({ localPath: path.join(dir, 'append.jsonl') });
    const corpus = new Corpus();
    const appends: number[] = [];
    for (let i = 0; i < 100; i++) {
      const { line } = corpus.auction(i);
      const t = performance.now();
      await appendStore.recordAuction(line);
      appends.push(performance.now() - t);
    }
    return {
      memoryTop5Ms: top5,
      memoryReload100kMs: reload.warm,
      memoryReload100kTailMs: reload.tail,
      memoryReload100kColdMs: reload.cold,
      memorySnapshotWriteMs: reload.write,
      memoryAppendMs: median(appends),
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Recall@5 of the sketched vector search against an exact scan, on the bench's 100k synthetic vectors. */
export function embeddingRecallAt5(n = 100_000, queries = 50): number {
  const corpus = new Corpus();
  const exact = new VectorIndex(DIM, { exactLimit: Infinity });
  const sketched = new VectorIndex(DIM);
  for (let i = 0; i < n; i++) {
    const v = corpus.vector(corpus.topic());
    exact.set(String(i), v);
    sketched.set(String(i), v);
  }
  let found = 0;
  for (let q = 0; q < queries; q++) {
    const v = corpus.vector(corpus.topic());
    const truth = new Set(exact.search(v, 5).map((h) => h.id));
    found += sketched.search(v, 5).filter((h) => truth.has(h.id)).length;
  }
  return found / (queries * 5);
}

async function main(): Promise<void> {
  const r = await benchMemory((line) => console.log(line));
  const fmt = (x: number): string => x.toFixed(2).padStart(9);
  console.log('memory top-5 retrieval, median ms');
  console.log('records     lexical  embedding');
  for (const key of Object.keys(SIZES) as SizeKey[]) console.log(`${key.padEnd(8)}${fmt(r.memoryTop5Ms[key].lexical)}  ${fmt(r.memoryTop5Ms[key].embedding)}`);
  console.log(`reload 100k records from the index snapshot: ${r.memoryReload100kMs.toFixed(0)} ms (with 1,000 appended since: ${r.memoryReload100kTailMs.toFixed(0)} ms)`);
  console.log(`reload 100k records without a snapshot: ${r.memoryReload100kColdMs.toFixed(0)} ms; writing the snapshot: ${r.memorySnapshotWriteMs.toFixed(0)} ms`);
  console.log(`append (durable), median: ${r.memoryAppendMs.toFixed(2)} ms`);
  console.log(`embedding recall@5 vs exact scan at 100k: ${(embeddingRecallAt5() * 100).toFixed(1)}%`);
}

/** `--reload <file>`: one timed open, printed as JSON (used by reloadInFreshProcess). */
async function reloadOnce(file: string): Promise<void> {
  const t = performance.now();
  const store = await MemoryStore.open({ localPath: file, snapshot: { everyLines: Number.MAX_SAFE_INTEGER } });
  const ms = performance.now() - t;
  console.log(JSON.stringify({ ms, loadedFrom: store.loadedFrom, auctions: store.list().length }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const at = process.argv.indexOf('--reload');
  (at > 0 ? reloadOnce(process.argv[at + 1] as string) : main()).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
