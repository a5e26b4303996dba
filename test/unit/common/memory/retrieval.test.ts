import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Bm25Index } from '../../../../src/common/memory/retrieval/bm25Index';
import { tokenize } from '../../../../src/common/memory/retrieval/tokenize';
import { decodeVector, encodeQ8 } from '../../../../src/common/memory/retrieval/vectorCodec';
import { encodeF32 } from './builders';
import { VectorIndex } from '../../../../src/common/memory/retrieval/vectorIndex';

describe('tokenize', () => {
  it('splits identifiers, keeps the whole one, drops stop words and folds plurals', () => {
    assert.deepEqual(tokenize('Fix the parseConfig tests'), ['fix', 'parseconfig', 'parse', 'config', 'test']);
    assert.deepEqual(tokenize('retry_count in HTTPClient'), ['retrycount', 'retry', 'count', 'httpclient']);
  });

  it('gives the same tokens through the ASCII fast path as through the Unicode path', () => {
    // A lone "é" is too short to be a token, but it sends the text down the Unicode path.
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_ .,;:()-]{0,40}$/), (s) => {
        assert.deepEqual(tokenize(`${s} é`), tokenize(s));
      }),
      { numRuns: 2000 },
    );
    assert.deepEqual(tokenize('getURLForUser v2Api café_auLait'), ['geturlforuser', 'get', 'urlfor', 'user', 'v2api', 'v2', 'api', 'caféaulait', 'café', 'au', 'lait']);
  });
});

describe('Bm25Index', () => {
  const docs = [
    { id: 'retry', task: 'Add retry with exponential backoff to the HTTP client', plans: ['wrap fetch in a retry loop'] },
    { id: 'css', task: 'Make the sidebar dark theme aware', plans: ['use CSS variables of the theme'] },
    { id: 'config', task: 'Validate the config file with a schema', plans: ['parseConfig with zod'] },
    { id: 'retry-tests', task: 'Write tests for the HTTP client', plans: ['mock the server, cover timeouts'] },
  ];
  const index = new Bm25Index();
  for (const d of docs) index.add(d);

  it('ranks the document sharing the rarest terms first', () => {
    const hits = index.search('retry failed HTTP requests with backoff', 3);
    assert.deepEqual(hits.map((h) => h.id), ['retry', 'retry-tests']);
    assert.ok(hits[0] && hits[1] && hits[0].score > hits[1].score);
  });

  it('matches identifiers in plans and gives similarities in 0..1', () => {
    const hits = index.search('the parse_config function', 2);
    assert.equal(hits[0]?.id, 'config');
    for (const h of hits) assert.ok(h.similarity > 0 && h.similarity <= 1);
  });

  it('returns nothing for a query with no known term', () => {
    assert.deepEqual(index.search('quantum entanglement', 5), []);
  });

  it('filters inside the index, so k counts only accepted documents', () => {
    const hits = index.search('retry HTTP client backoff', 1, (id) => id !== 'retry');
    assert.deepEqual(hits.map((h) => h.id), ['retry-tests']);
  });

  it('forgets a removed document', () => {
    const ix = new Bm25Index();
    for (const d of docs) ix.add(d);
    ix.remove('retry');
    assert.equal(ix.size, docs.length - 1);
    assert.ok(!ix.search('retry backoff', 5).some((h) => h.id === 'retry'));
  });
});

/** Vectors around a few random centres: the nearest neighbours of a centre are its own cluster. */
function clustered(dim: number, clusters: number, perCluster: number, seed: number): { id: string; v: number[]; cluster: number }[] {
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dim }, rnd));
  const out: { id: string; v: number[]; cluster: number }[] = [];
  for (let c = 0; c < clusters; c++) for (let i = 0; i < perCluster; i++) out.push({ id: `c${c}-${i}`, v: (centres[c] as number[]).map((x) => x + rnd() * 0.3), cluster: c });
  return out;
}

describe('VectorIndex', () => {
  it('ranks by cosine, whatever the vectors length', () => {
    const ix = new VectorIndex(3);
    ix.set('x', [1, 0, 0]);
    ix.set('xy', [10, 10, 0]);
    ix.set('z', [0, 0, 5]);
    const hits = ix.search([2, 0.2, 0], 3);
    assert.deepEqual(hits.map((h) => h.id), ['x', 'xy', 'z']);
    assert.ok(Math.abs((hits[0]?.score ?? 0) - 2 / Math.sqrt(4.04)) < 1e-6);
    assert.equal(hits[2]?.similarity, 0);
  });

  it('refuses a vector of another dimension and replaces a vector set twice', () => {
    const ix = new VectorIndex(2);
    assert.equal(ix.set('a', [1, 2, 3]), false);
    ix.set('a', [1, 0]);
    ix.set('a', [0, 1]);
    assert.equal(ix.size, 1);
    assert.equal(ix.search([0, 1], 1)[0]?.id, 'a');
    assert.ok((ix.search([0, 1], 1)[0]?.score ?? 0) > 0.999);
  });

  it('finds the same top 5 through the sketch as by exact scan on clustered data', () => {
    const data = clustered(128, 40, 60, 7);
    const exact = new VectorIndex(128, { exactLimit: Infinity });
    const sketched = new VectorIndex(128, { exactLimit: 0 });
    for (const d of data) {
      exact.set(d.id, d.v);
      sketched.set(d.id, d.v);
    }
    for (const probe of data.filter((_, i) => i % 97 === 0)) {
      const a = exact.search(probe.v, 5);
      const b = sketched.search(probe.v, 5);
      assert.deepEqual(b.map((h) => h.id), a.map((h) => h.id));
      assert.ok(b.every((h) => h.id.startsWith(`c${probe.cluster}-`)));
    }
  });

  it('keeps exactly the candidates a full sketch scan would (the half-sketch bound prunes nothing it should keep)', () => {
    // Random, unclustered vectors: many rows sit near the candidates' threshold, where a wrong bound would show.
    let seed = 11;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
    const dim = 64;
    const rows = Array.from({ length: 3000 }, (_, i) => ({ id: `r${i}`, v: Array.from({ length: dim }, rand) }));
    const sketched = new VectorIndex(dim, { exactLimit: 0, candidatesPerResult: 20 });
    const exact = new VectorIndex(dim, { exactLimit: Infinity });
    for (const r of rows) {
      sketched.set(r.id, r.v);
      exact.set(r.id, r.v);
    }
    const { sketches } = sketched.toSnapshot().arrays;
    for (let p = 0; p < 20; p++) {
      const q = Array.from({ length: dim }, rand);
      // The query's sketch, made by the same projection: add it as a row of a scratch index and read it back.
      const scratch = new VectorIndex(dim);
      scratch.set('q', q);
      const qs = scratch.toSnapshot().arrays.sketches;
      // Reference: the 100 best rows by full sketch score (pool = max(100, 5 x 20)), re-ranked by exact cosine.
      const bySketch = rows
        .map((r, i) => ({ id: r.id, s: qs.reduce((acc, x, j) => acc + x * (sketches[i * 64 + j] as number), 0) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, 100);
      const cos = new Map(exact.search(q, rows.length).map((h) => [h.id, h.score]));
      const expected = bySketch.map((c) => ({ id: c.id, s: cos.get(c.id) ?? -2 })).sort((a, b) => b.s - a.s).slice(0, 5).map((c) => c.id);
      assert.deepEqual(sketched.search(q, 5).map((h) => h.id), expected);
      // The exact scan prunes with the same kind of bound: its top 5 are the top 5 of all rows scored.
      assert.deepEqual(exact.search(q, 5).map((h) => h.id), [...cos.keys()].slice(0, 5));
    }
  });
});

describe('vector encodings', () => {
  const v = [0.5, -0.25, 0.125, 0, -1];
  it('round-trips f32 exactly and q8 within its step', () => {
    assert.deepEqual([...(decodeVector('f32', encodeF32(v), 5) ?? [])], v);
    const { data, scale } = encodeQ8(v);
    const back = decodeVector('q8', data, 5, scale) ?? [];
    v.forEach((x, i) => assert.ok(Math.abs((back[i] ?? NaN) - x) <= scale / 2 + 1e-9));
  });
  it('returns undefined for data of the wrong length or not base64', () => {
    assert.equal(decodeVector('f32', encodeF32(v), 4), undefined);
    assert.equal(decodeVector('q8', '@@@', 5), undefined);
  });
});
