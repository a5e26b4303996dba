/**
 * Compact text encodings of embedding vectors for the JSONL file. JSON arrays of floats cost about ten bytes
 * per dimension; 'q8' (int8 with one scale per vector, base64) costs 1.33 bytes and loses nothing that matters
 * to a top-k by cosine. Uses only `btoa`/`atob`, available in Node and browsers, so this stays pure.
 */

function toBase64(bytes: Uint8Array): string {
  let s = '';
  // Chunked so String.fromCharCode never gets more arguments than the engine allows.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/**
 * Decodes standard base64 without going through a binary string (atob), which is several times slower when
 * 100k vectors are loaded. Throws on a character outside the alphabet or a bad length.
 */
function fromBase64(text: string): Uint8Array {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--;
  if (text.length % 4 !== 0 || text.length - end > 2) throw new Error('bad base64 length');
  const out = new Uint8Array((end * 3) >> 2);
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (LOOKUP[c] as number) : -1;
    if (v < 0) throw new Error('bad base64 character');
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** Scales a vector to unit length (cosine becomes a dot product); a zero vector stays zero. */
export function normalize(v: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) * (v[i] as number);
  const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = (v[i] as number) * inv;
  return out;
}

export function encodeQ8(v: ArrayLike<number>): { data: string; scale: number } {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i] as number));
  const scale = max > 0 ? max / 127 : 1;
  const q = new Int8Array(v.length);
  for (let i = 0; i < v.length; i++) q[i] = Math.round((v[i] as number) / scale);
  return { data: toBase64(new Uint8Array(q.buffer)), scale };
}

/** The int8 codes of a 'q8' vector without scaling them (cosine ignores the scale); undefined when corrupt. */
export function decodeQ8Codes(data: string, dim: number): Int8Array | undefined {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(data);
  } catch {
    return undefined;
  }
  return bytes.length === dim ? new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length) : undefined;
}

/** Decodes a stored vector; returns undefined when the data does not have `dim` entries (a corrupt line). */
export function decodeVector(encoding: 'q8' | 'f32', data: string, dim: number, scale = 1): Float32Array | undefined {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(data);
  } catch {
    return undefined;
  }
  if (encoding === 'q8') {
    if (bytes.length !== dim) return undefined;
    const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    const out = new Float32Array(dim);
    for (let i = 0; i < dim; i++) out[i] = (q[i] as number) * scale;
    return out;
  }
  if (bytes.length !== dim * 4) return undefined;
  // Copy into an aligned buffer; the file format is little-endian, as every platform VS Code runs on.
  return new Float32Array(bytes.slice().buffer);
}
