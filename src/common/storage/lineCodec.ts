import type { z } from 'zod';

/** The result of decoding one JSONL line. */
export type DecodeResult<T> = { ok: true; value: T; upgraded: boolean } | { ok: false; error: string };

/**
 * How a JSONL store turns parsed JSON into typed records and back. Decoding validates and upgrades older
 * versions in memory (the file is never rewritten to upgrade it, so an older extension can still read it).
 */
export interface LineCodec<T> {
  decode(raw: unknown): DecodeResult<T>;
  /** The JSON value written for a record; the identity when absent. */
  encode?(value: T): unknown;
}

/**
 * A codec from a zod schema. `upgrade`, when given, sees every raw line first and returns it in the current
 * shape (or unchanged when it already is); it reports whether it changed anything so the load can count it.
 */
export function zodCodec<T>(schema: z.ZodType<T>, upgrade?: (raw: unknown) => { raw: unknown; upgraded: boolean }): LineCodec<T> {
  return {
    decode(raw) {
      let upgraded = false;
      if (upgrade) {
        try {
          ({ raw, upgraded } = upgrade(raw));
        } catch (e) {
          return { ok: false, error: `upgrade failed: ${e instanceof Error ? e.message : String(e)}` };
        }
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
      return { ok: true, value: parsed.data, upgraded };
    },
  };
}
