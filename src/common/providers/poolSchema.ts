import * as z from 'zod';
import { isLoopbackUrl } from './localServers';
import { resolvePrice } from './priceTable';
import type { ModelSpec } from './types';

/** One entry of the `sale.models` setting. package.json declares the same shape as JSON schema (a test checks). */
export const poolEntrySchema = z
  .object({
    id: z.string().trim().min(1, 'needs an "id"').max(80),
    provider: z.enum(['openai', 'anthropic', 'openai-compatible', 'vscode-lm']),
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    model: z.string().trim().min(1, 'needs a "model" name'),
    price: z
      .object({
        inputPerMTok: z.number().min(0).optional(),
        outputPerMTok: z.number().min(0).optional(),
        cachedInputPerMTok: z.number().min(0).optional(),
        cacheWriteInputPerMTok: z.number().min(0).optional(),
        /** Dollars per premium request (request-priced models such as GitHub Copilot's), times `multiplier`. */
        perRequest: z.number().min(0).optional(),
        multiplier: z.number().min(0).optional(),
      })
      .strict()
      .refine((p) => p.perRequest !== undefined || (p.inputPerMTok !== undefined && p.outputPerMTok !== undefined), {
        message: 'give inputPerMTok and outputPerMTok (dollars per million tokens), or perRequest (dollars per request)',
      })
      .optional(),
    roles: z.array(z.enum(['bidder', 'juror', 'executor', 'embedder'])).min(1).optional(),
    enabled: z.boolean().optional(),
    /** Runs on this machine (free, shown as local); defaults to whether `baseUrl` is a loopback address. */
    local: z.boolean().optional(),
    maxOutputTokens: z.int().positive().optional(),
    /** A practice model: SALE's own loopback server with scripted replies (`npm run open`), never a real one. */
    practice: z.boolean().optional(),
  })
  .strict();

export type PoolEntry = z.infer<typeof poolEntrySchema>;

/** Why one entry of `sale.models` was left out, worded for the settings UI. */
export interface PoolProblem {
  index: number;
  id?: string;
  message: string;
}

export interface ParsedPool {
  models: ModelSpec[];
  problems: PoolProblem[];
}

const DEFAULT_ROLES: ModelSpec['roles'] = ['bidder', 'juror', 'executor'];

/**
 * Reads the `sale.models` setting. A bad entry is skipped with a problem naming it and the field at fault; the
 * good entries still make a pool, so one typo never empties it.
 */
export function parsePool(raw: unknown): ParsedPool {
  const models: ModelSpec[] = [];
  const problems: PoolProblem[] = [];
  if (raw === undefined || raw === null) return { models, problems };
  if (!Array.isArray(raw)) return { models, problems: [{ index: -1, message: 'sale.models must be an array of models' }] };
  const seen = new Set<string>();
  raw.forEach((item, index) => {
    const id = typeof (item as { id?: unknown } | null)?.id === 'string' ? (item as { id: string }).id : undefined;
    const parsed = poolEntrySchema.safeParse(item);
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
      problems.push({ index, id, message });
      return;
    }
    const e = parsed.data;
    if (seen.has(e.id)) {
      problems.push({ index, id: e.id, message: `the id "${e.id}" is used twice` });
      return;
    }
    if (e.provider === 'openai-compatible' && !e.baseUrl) {
      problems.push({ index, id: e.id, message: 'baseUrl: an OpenAI-compatible model needs the server URL (for example http://localhost:11434/v1)' });
      return;
    }
    if (e.provider === 'vscode-lm' && e.baseUrl) {
      problems.push({ index, id: e.id, message: 'baseUrl: a vscode-lm model is reached through VS Code, not a URL; leave baseUrl out' });
      return;
    }
    seen.add(e.id);
    models.push(toSpec(e));
  });
  return { models, problems };
}

export function toSpec(e: PoolEntry): ModelSpec {
  const local = e.local ?? isLoopbackUrl(e.baseUrl);
  const spec: ModelSpec = {
    id: e.id,
    provider: e.provider,
    model: e.model,
    roles: e.roles ?? DEFAULT_ROLES,
    enabled: e.enabled ?? true,
    local,
  };
  if (e.baseUrl) spec.baseUrl = e.baseUrl.replace(/\/+$/, '');
  const price = resolvePrice(e.provider, e.model, local, e.price);
  if (price) spec.price = price;
  if (e.maxOutputTokens !== undefined) spec.maxOutputTokens = e.maxOutputTokens;
  if (e.practice) spec.practice = true;
  return spec;
}
