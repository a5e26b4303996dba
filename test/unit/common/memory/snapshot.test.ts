import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { embeddingLine } from '../../../../src/common/memory/auctionMemory';
import type { BodyRef } from '../../../../src/common/memory/fold';
import { MemoryIndex, type MemoryIndexSnapshot } from '../../../../src/common/memory/memoryIndex';
import { MEMORY_SCHEMA_VERSION, type MemoryLine, type OutcomeFact } from '../../../../src/common/memory/records';
import { pack, unpack } from '../../../../src/common/storage/binaryPack';
import { auction, encodeF32, outcome } from './builders';

const WORDS = ['retry', 'http', 'client', 'theme', 'sidebar', 'schema', 'config', 'parser', 'cache', 'tests', 'lint', 'docs'];
const MODELS = ['small', 'mid', 'big'];
const DIM = 8;

/** One step of a memory's history: new auctions, outcome events (possibly early or out of time order), vectors, deletions. */
const lineArb = (ids: readonly string[]): fc.Arbitrary<MemoryLine> =>
  fc.oneof(
    fc.record({ id: fc.constantFrom(...ids), words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 }), winner: fc.constantFrom(...MODELS), losers: fc.subarray(MODELS), dollars: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }), files: fc.array(fc.constantFrom('a.ts', 'b/c.ts', 'ü.ts'), { maxLength: 2 }) }).map(({ id, words, winner, losers, dollars, files }) =>
      auction(id, words.join(' '), winner, losers.filter((m) => m !== winner), { ...(dollars !== undefined ? { auctionDollars: dollars } : {}), contextFiles: files }),
    ),
    // An outcome about some bid (any model's, the winner's or not) or, like a version-1 line, about no bid named.
    fc.record({ id: fc.constantFrom(...ids), fact: factArb, second: fc.integer({ min: 0, max: 59 }), bid: fc.option(fc.constantFrom(...MODELS), { nil: undefined }) }).map(({ id, fact, second, bid }) =>
      outcome(id, fact, `2026-01-02T00:00:${String(second).padStart(2, '0')}.000Z`, bid === undefined ? undefined : `${id}:${bid}`),
    ),
    fc.record({ id: fc.constantFrom(...ids), v: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: DIM, maxLength: DIM }), f32: fc.boolean() }).map(({ id, v, f32 }): MemoryLine =>
      f32 ? { v: MEMORY_SCHEMA_VERSION, kind: 'embedding', id: `${id}/emb/m`, auctionId: id, model: 'm', dim: DIM, encoding: 'f32', data: encodeF32(v) } : embeddingLine(id, 'm', v),
    ),
    fc.constantFrom(...ids).map((id): MemoryLine => ({ v: MEMORY_SCHEMA_VERSION, kind: 'deleted', id: `${id}/deleted`, auctionId: id, time: '2026-01-03T00:00:00.000Z' })),
  );

const factArb: fc.Arbitrary<OutcomeFact> = fc.oneof(
  fc.array(fc.record({ path: fc.constantFrom('a.ts', 'b.ts'), decision: fc.constantFrom('accepted' as const, 'rejected' as const, 'partial' as const) }), { maxLength: 2 })// fast-check's records have no prototype; lines read from JSON do: compare like with like.
    .map((files): OutcomeFact => ({ type: 'review', files: files.map((f) => ({ ...f })), ...(files.length === 0 ? { overall: 'accepted' as const } : {}) })),
  fc.constant<OutcomeFact>({ type: 'undone' }),
  fc.boolean().map((passed): OutcomeFact => ({ type: 'tests', passed })),
  fc
    .record({ i: fc.nat(1000), o: fc.nat(1000), d: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }), status: fc.option(fc.constantFrom('finished' as const, 'failed' as const), { nil: undefined }), staged: fc.nat(2) })
    .map(({ i, o, d, status, staged }): OutcomeFact => ({ type: 'execution-cost', inputTokens: i, outputTokens: o, ...(d !== undefined ? { dollars: d } : {}), ...(status ? { status, staged } : {}) })),
);

/** Through the binary container and back, as the store's file does. */
function roundTrip(s: MemoryIndexSnapshot): MemoryIndex {
  const parts = pack('TESTSNAP', { meta: s.meta, text: s.text }, s.arrays);
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  const u = unpack('TESTSNAP', bytes);
  const { meta, text } = u.meta as { meta: MemoryIndexSnapshot['meta']; text: string };
  return MemoryIndex.fromSnapshot({ meta, text, arrays: u.sections() });
}

/** Everything a caller can observe of an index. */
function observe(index: MemoryIndex): unknown {
  const views = [...index.state.all()].map((v) => ({ ...v, events: index.state.eventLines(v.head.id), body: index.state.body(v.head.id) }));
  const queries = ['retry http', 'theme sidebar', 'schema config parser', 'cache'];
  const lexical = queries.map((q) => index.similar({ task: q, k: 3 }));
  const vectors = [[1, 0, 0, 0, 0, 0, 0, 0], [0.3, -0.2, 0.5, 0, 1, -1, 0.1, 0]].map((v) => index.similar({ task: '', k: 3, vector: { model: 'm', values: v } }));
  return { views, lexical, vectors, count: index.vectorCount('m'), missing: index.missingVectors('m').map((v) => v.head.id), corrupt: index.corruptVectorCount };
}

describe('MemoryIndex snapshot', () => {
  it('restored and then fed the rest, answers exactly like an index fed everything (any history, any cut)', () => {
    const ids = ['a1', 'a2', 'a3', 'a4', 'a5'];
    fc.assert(
      fc.property(fc.array(lineArb(ids), { maxLength: 40 }), fc.nat(), fc.boolean(), (lines, cut, withRefs) => {
        const k = lines.length === 0 ? 0 : cut % (lines.length + 1);
        // With refs, every line has a (made-up) position, as in a store; without, lines are kept whole.
        const ref = (i: number): BodyRef | undefined => (withRefs ? { source: i % 2, offset: i * 100, length: 50 + i } : undefined);
        const cold = new MemoryIndex();
        lines.forEach((l, i) => cold.ingest(l, ref(i)));
        const first = new MemoryIndex();
        lines.slice(0, k).forEach((l, i) => first.ingest(l, ref(i)));
        const restored = roundTrip(first.toSnapshot());
        lines.slice(k).forEach((l, i) => restored.ingest(l, ref(k + i)));
        assert.deepEqual(observe(restored), observe(cold));
        // A snapshot of a restored index (events still in columns) restores to the same again.
        assert.deepEqual(observe(roundTrip(restored.toSnapshot())), observe(cold));
      }),
      { numRuns: 300 },
    );
  });

  it('folds an outcome added to a restored auction with its earlier events, in time order', () => {
    const index = new MemoryIndex();
    index.ingest(auction('a', 'task', 'big', ['small']));
    index.ingest(outcome('a', { type: 'review', files: [{ path: 'x', decision: 'accepted' }] }, '2026-01-02T00:00:10.000Z'));
    index.ingest(outcome('a', { type: 'tests', passed: true }, '2026-01-02T00:00:20.000Z'));
    const restored = roundTrip(index.toSnapshot());
    assert.equal(restored.state.get('a')?.label, 'tests-passed');
    // An undo recorded earlier than the tests (clock skew between machines) still counts after the review.
    restored.ingest(outcome('a', { type: 'undone' }, '2026-01-02T00:00:15.000Z'));
    assert.equal(restored.state.get('a')?.label, 'undone');
    assert.equal(restored.state.get('a')?.outcomeCount, 3);
  });

  it('refuses a snapshot whose parts do not fit together', () => {
    const index = new MemoryIndex();
    index.ingest(auction('a', 'retry http', 'big', ['small']));
    const s = index.toSnapshot();
    assert.throws(() => MemoryIndex.fromSnapshot({ ...s, text: `${s.text}x` }), /does not fit/);
    const arrays = { ...s.arrays, 'lexical.docs': Int32Array.from([99]) };
    assert.throws(() => MemoryIndex.fromSnapshot({ ...s, arrays }), /snapshot/);
    const { ['state.flags']: _dropped, ...missing } = s.arrays;
    assert.throws(() => MemoryIndex.fromSnapshot({ ...s, arrays: missing }), /state\.flags is missing/);
  });
});
