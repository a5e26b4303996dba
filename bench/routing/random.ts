// Seeded randomness for the routing simulation. Every draw is keyed (seed + a name for what it is), not taken
// from a shared sequence, so the draws do not depend on the order in which routers or concurrent engine calls ask
// for them: every router sees the same task stream and the same success draw per (task, model).

/** FNV-1a over the key's text, then a murmur-style finaliser: a well-mixed 32-bit hash. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) determined by the seed and the key parts alone. */
export function keyedUniform(seed: number, ...key: (string | number)[]): number {
  // Two hashes give 53 random bits, so uniforms are not coarser than a double needs.
  const text = `${seed}|${key.join('|')}`;
  const hi = hash32(text) >>> 5;
  const lo = hash32(`${text}|lo`) >>> 6;
  return (hi * 67108864 + lo) / 9007199254740992;
}

/** A standard normal draw (Box–Muller) determined by the seed and the key. */
export function keyedNormal(seed: number, ...key: (string | number)[]): number {
  const u1 = Math.max(keyedUniform(seed, ...key, 'n1'), 1e-12);
  const u2 = keyedUniform(seed, ...key, 'n2');
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Index drawn from unnormalised weights with a uniform u in [0, 1). */
export function pickWeighted(weights: readonly number[], u: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += (weights[i] ?? 0) / total;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
