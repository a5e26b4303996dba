/**
 * A small binary container for index snapshots: a JSON header and named typed-array sections, each aligned to
 * 8 bytes so it can be viewed in place after a read (no copy, no parse). Pure: Uint8Array and TextEncoder only.
 *
 * Layout: magic (8 bytes) | header length (u32 LE) | header JSON (UTF-8) | padding | sections...
 * The header holds the caller's `meta` and, per section, its name, element type, byte offset and length.
 */

export type PackedArray = Int8Array | Uint8Array | Int32Array | Uint32Array | Float32Array | Float64Array;

const TYPES = {
  i8: Int8Array,
  u8: Uint8Array,
  i32: Int32Array,
  u32: Uint32Array,
  f32: Float32Array,
  f64: Float64Array,
} as const;
type TypeName = keyof typeof TYPES;

interface SectionEntry {
  name: string;
  type: TypeName;
  /** Byte offset from the start of the container. */
  offset: number;
  /** Number of elements. */
  length: number;
}

const ALIGN = 8;

function typeName(a: PackedArray): TypeName {
  if (a instanceof Int8Array) return 'i8';
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint32Array) return 'u32';
  if (a instanceof Float32Array) return 'f32';
  return 'f64';
}

const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

/** Packs `meta` and `sections` behind `magic` (exactly 8 ASCII characters). Little-endian, as every VS Code host. */
export function pack(magic: string, meta: unknown, sections: Record<string, PackedArray>): Uint8Array[] {
  if (magic.length !== 8) throw new Error('pack: magic must be 8 characters');
  const entries: SectionEntry[] = [];
  // Offsets depend on the header's length, which depends on the offsets: lay sections out after a header size
  // guess, and grow the guess until the header fits.
  let headerRoom = 4096;
  for (;;) {
    entries.length = 0;
    let at = align(12 + headerRoom);
    for (const [name, array] of Object.entries(sections)) {
      entries.push({ name, type: typeName(array), offset: at, length: array.length });
      at = align(at + array.byteLength);
    }
    const header = new TextEncoder().encode(JSON.stringify({ meta, sections: entries }));
    if (header.length <= headerRoom) {
      const head = new Uint8Array(align(12 + headerRoom));
      head.set(new TextEncoder().encode(magic), 0);
      new DataView(head.buffer).setUint32(8, header.length, true);
      head.set(header, 12);
      const parts: Uint8Array[] = [head];
      let written = head.length;
      for (const [i, array] of Object.values(sections).entries()) {
        const entry = entries[i] as SectionEntry;
        if (entry.offset > written) parts.push(new Uint8Array(entry.offset - written));
        parts.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
        written = entry.offset + array.byteLength;
      }
      return parts;
    }
    headerRoom = header.length * 2;
  }
}

/** A container read back: the meta, and a section by name viewed in place. */
export interface Unpacked {
  meta: unknown;
  /** Every section, viewed in place as the element type it was written with, in written order. */
  sections(): Record<string, PackedArray>;
}

/**
 * Reads a container. Throws on a wrong magic, a header that does not parse, or a section outside the data
 * (a truncated file): the caller treats any throw as "no usable snapshot".
 */
export function unpack(magic: string, data: Uint8Array): Unpacked {
  if (data.length < 12 || new TextDecoder().decode(data.subarray(0, 8)) !== magic) throw new Error('not a snapshot of this kind');
  // Sections are viewed in place, which needs aligned offsets in the underlying buffer: copy once if not.
  // (new Uint8Array(x) copies; Buffer's slice would not.)
  const bytes = data.byteOffset % ALIGN === 0 ? data : new Uint8Array(data);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + headerLength > bytes.length) throw new Error('snapshot header is cut off');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as { meta: unknown; sections: SectionEntry[] };
  const byName = new Map<string, SectionEntry>();
  for (const e of header.sections) {
    const ctor = TYPES[e.type];
    if (!ctor || e.offset % ALIGN !== 0 || e.offset + e.length * ctor.BYTES_PER_ELEMENT > bytes.length) throw new Error(`snapshot section ${e.name} is out of bounds`);
    byName.set(e.name, e);
  }
  return {
    meta: header.meta,
    sections: () => {
      const out: Record<string, PackedArray> = {};
      for (const e of byName.values()) out[e.name] = new TYPES[e.type](bytes.buffer as ArrayBuffer, bytes.byteOffset + e.offset, e.length);
      return out;
    },
  };
}
