// Micro-benchmark of the auction memory: top-5 retrieval (lexical and embedding) over synthetic stores of
// 1k/10k/100k auctions, the time to reload 100k from disk, and the latency of one durable append.
// Run: node --import tsx bench/memory.ts   (timings belong here, never in tests)
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { embeddingLine } from '../src/common/memory/auctionMemory';
import { MEMORY_SCHEMA_VERSION, type AuctionLine, type MemoryLine } from '../src/common/memory/records';
import { VectorIndex } from '../src/common/memory/retrieval/vectorIndex';
import { MemoryStore } from '../src/node/memory/memoryStore';

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
    const lines: MemoryLine[] = [line, embeddingLine(line.id, EMB_MODEL, corpus.vector(topic))];
    chunks.push(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  }
  await fs.writeFile(file, chunks.join(''));
}

/** `detail`, when given, receives extra lines (file sizes) that the summary figures do not carry. */
export async function benchMemory(detail?: (line: string) => void): Promise<{
  memoryTop5Ms: Record<'1k' | '10k' | '100k', { lexical: number; embedding: number }>;
  memoryReload100kMs: number;
  memoryAppendMs: number;
}> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sale-bench-memory-'));
  try {
    const top5 = {} as Record<SizeKey, { lexical: number; embedding: number }>;
    let reload100k = NaN;
    for (const [key, n] of Object.entries(SIZES) as [SizeKey, number][]) {
      const corpus = new Corpus();
      const file = path.join(dir, `memory-${key}.jsonl`);
      await writeStore(file, n, corpus);
      const bytes = (await fs.stat(file)).size;
      detail?.(`${key}: ${(bytes / 1e6).toFixed(0)} MB on disk, ${Math.round(bytes / n)} bytes per auction (record + 256-d q8 vector line)`);
      const started = performance.now();
      const store = await MemoryStore.open({ localPath: file });
      const reloadMs = performance.now() - started;
      if (key === '100k') reload100k = reloadMs;
      if (store.list().length !== n) throw new Error(`bench store ${key} loaded ${store.list().length} of ${n}`);
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
    return { memoryTop5Ms: top5, memoryReload100kMs: reload100k, memoryAppendMs: median(appends) };
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
  console.log(`reload 100k records: ${r.memoryReload100kMs.toFixed(0)} ms`);
  console.log(`append (durable), median: ${r.memoryAppendMs.toFixed(2)} ms`);
  console.log(`embedding recall@5 vs exact scan at 100k: ${(embeddingRecallAt5() * 100).toFixed(1)}%`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
