import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pack, unpack } from '../../../../src/common/storage/binaryPack';

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('binaryPack', () => {
  const sections = {
    a: Int8Array.from([-128, 0, 127]),
    b: Float32Array.from([1.5, -2.25]),
    c: Float64Array.from([Math.PI]),
    d: Uint32Array.from([0, 4_000_000_000]),
    e: new Uint8Array(0),
    f: Int32Array.from([-1, 7]),
  };

  it('round-trips meta and typed arrays, each viewed in place as the type it was written with', () => {
    const bytes = concat(pack('TESTPACK', { hello: 'wörld', n: [1, 2] }, sections));
    const u = unpack('TESTPACK', bytes);
    assert.deepEqual(u.meta, { hello: 'wörld', n: [1, 2] });
    const got = u.sections();
    assert.deepEqual(Object.keys(got), Object.keys(sections));
    for (const [name, a] of Object.entries(sections)) {
      const b = got[name];
      assert.equal(b?.constructor, a.constructor, name);
      assert.deepEqual([...(b ?? [])], [...a], name);
      assert.equal(b?.buffer, bytes.buffer, `${name} is a view, not a copy`);
    }
  });

  it('copies once when the data is not 8-byte aligned, and still reads it', () => {
    const bytes = concat(pack('TESTPACK', null, sections));
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const got = unpack('TESTPACK', shifted.subarray(3)).sections();
    assert.deepEqual([...(got.b ?? [])], [1.5, -2.25]);
    // A Node Buffer at an odd offset (its slice() is a view, not a copy).
    const buf = Buffer.alloc(bytes.length + 3);
    buf.set(bytes, 3);
    assert.deepEqual([...(unpack('TESTPACK', buf.subarray(3)).sections().c ?? [])], [Math.PI]);
  });

  it('refuses another magic, a cut-off header and a section past the end', () => {
    const bytes = concat(pack('TESTPACK', { x: 1 }, sections));
    assert.throws(() => unpack('OTHERPAK', bytes), /not a snapshot/);
    assert.throws(() => unpack('TESTPACK', bytes.subarray(0, 20)), /cut off/);
    assert.throws(() => unpack('TESTPACK', bytes.subarray(0, bytes.length - 4)), /out of bounds/);
    assert.throws(() => unpack('TESTPACK', new Uint8Array(4)), /not a snapshot/);
  });

  it('grows the header room for a large meta', () => {
    const meta = { big: 'x'.repeat(20_000) };
    assert.deepEqual(unpack('TESTPACK', concat(pack('TESTPACK', meta, sections))).meta, meta);
  });
});
