/** The typed arrays the indexes grow. */
type Growable = Int8Array | Uint8Array | Int32Array | Float32Array | Float64Array;

/**
 * A fresh array of the same type with `length` elements: `a`'s elements first, zeros after. Always a copy, so
 * an array viewed on a snapshot's buffer stops being one.
 */
export function grown<T extends Growable>(a: T, length: number): T {
  const out = new (a.constructor as new (length: number) => T)(length);
  (out as unknown as { set(source: ArrayLike<number>): void }).set(a);
  return out;
}
