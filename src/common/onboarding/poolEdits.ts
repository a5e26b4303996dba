import { isLoopbackUrl } from '../providers/localServers';
import type { PoolEntry } from '../providers/poolSchema';
import { tablePrice } from '../providers/priceTable';
import type { ModelRole, Price } from '../providers/types';
import type { ProviderPreset } from './providerPresets';

/**
 * The pure half of "Add Model…" and "Manage Models…": what entry goes into `sale.models`, and how one scope's
 * list is edited. Edits work on the raw setting (whatever the user wrote, fields we do not know included) so a
 * change to one model never rewrites the others.
 */

/** Where a pool entry lives: the user's settings or this workspace's. */
export type PoolScope = 'user' | 'workspace';

/** One raw entry of `sale.models` with the scope it came from and its position there. */
export interface ScopedEntry {
  scope: PoolScope;
  index: number;
  /** The entry's id, when it has a string one. */
  id: string | undefined;
  raw: unknown;
}

const idOf = (raw: unknown): string | undefined => {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
};

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The pool as both scopes give it: VS Code would let a workspace's list hide the user's whole list, so the two are
 * joined instead: the user's models, then the workspace's, a workspace entry replacing a user entry with its id.
 */
export function mergePoolScopes(user: unknown, workspace: unknown): ScopedEntry[] {
  const ws = asList(workspace).map((raw, index): ScopedEntry => ({ scope: 'workspace', index, id: idOf(raw), raw }));
  const overridden = new Set(ws.map((e) => e.id).filter((id) => id !== undefined));
  const us = asList(user)
    .map((raw, index): ScopedEntry => ({ scope: 'user', index, id: idOf(raw), raw }))
    .filter((e) => e.id === undefined || !overridden.has(e.id));
  return [...us, ...ws];
}

/** `base`, or `base-2`, `base-3`… : the first id no pool member uses. */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  const clean = base.trim().slice(0, 72) || 'model';
  if (!taken.has(clean)) return clean;
  for (let n = 2; ; n++) if (!taken.has(`${clean}-${n}`)) return `${clean}-${n}`;
}

/** The id "Add Model…" proposes: the model name, prefixed for routers and local servers (`ollama/qwen3:8b`). */
export function proposedId(preset: ProviderPreset, model: string, taken: ReadonlySet<string>): string {
  const name = model.trim();
  const base = preset.idPrefix && !name.startsWith(`${preset.idPrefix}/`) ? `${preset.idPrefix}/${name}` : name;
  return uniqueId(base, taken);
}

/** What the user can pick as a model's price. */
export type PriceChoice =
  | { kind: 'table'; price: Price }
  | { kind: 'free' }
  | { kind: 'custom'; inputPerMTok: number; outputPerMTok: number }
  | { kind: 'unknown' };

/** The price options in the order they are offered: the dated table's figure when it knows the model, else free for a server on this machine. */
export function priceChoices(preset: ProviderPreset, model: string, baseUrl: string): { choices: PriceChoice['kind'][]; table: Price | undefined; recommended: PriceChoice['kind'] } {
  const table = tablePrice(preset.provider, model);
  const local = isLoopbackUrl(baseUrl);
  const choices: PriceChoice['kind'][] = table ? ['table', 'custom', 'free', 'unknown'] : local ? ['free', 'custom', 'unknown'] : ['custom', 'free', 'unknown'];
  return { choices, table, recommended: choices[0] ?? 'custom' };
}

/** Reads "in, out" dollars per million tokens ("0.4, 1.6", "0.4 1.6", "$3 / $15"); undefined when it is not two numbers ≥ 0. */
export function parsePriceInput(text: string): { inputPerMTok: number; outputPerMTok: number } | undefined {
  const parts = text
    .replace(/\$/g, ' ')
    .split(/[\s,;/]+/)
    .filter(Boolean);
  if (parts.length !== 2) return undefined;
  const [a, b] = parts.map(Number);
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || a < 0 || b < 0) return undefined;
  return { inputPerMTok: a, outputPerMTok: b };
}

/** What "Add Model…" collected. */
export interface NewModel {
  preset: ProviderPreset;
  baseUrl: string;
  model: string;
  id: string;
  price: PriceChoice;
  /** No key was given for an endpoint off this machine that may not need one: treat it as a key-less (local) server. */
  keyless?: boolean;
  roles?: ModelRole[];
}

/**
 * The `sale.models` entry for a new model. The base URL is left out for OpenAI's and Anthropic's own endpoints (so
 * a later change of default follows), the table price is not copied (the dated table stays the source, shown as
 * such), and `local: true` is written only when it differs from what the URL says.
 */
export function entryFor(m: NewModel): PoolEntry {
  const entry: PoolEntry = { id: m.id, provider: m.preset.provider, model: m.model.trim() };
  const own = m.preset.provider !== 'openai-compatible' && m.baseUrl === m.preset.baseUrl;
  if (!own) entry.baseUrl = m.baseUrl;
  if (m.price.kind === 'custom') entry.price = { inputPerMTok: m.price.inputPerMTok, outputPerMTok: m.price.outputPerMTok };
  if (m.price.kind === 'free') {
    if (isLoopbackUrl(m.baseUrl)) {
      // Free is already what a loopback server costs: nothing to write.
    } else entry.price = { inputPerMTok: 0, outputPerMTok: 0 };
  }
  if (m.keyless && !isLoopbackUrl(m.baseUrl)) entry.local = true;
  if (m.roles) entry.roles = [...m.roles];
  return entry;
}

/** A scope's list with one entry added at the end. */
export function withAdded(list: unknown, entry: PoolEntry): unknown[] {
  return [...asList(list), entry];
}

/** A scope's list with the entry of `id` changed by `patch` (other fields, known or not, kept as written). */
export function withPatched(list: unknown, id: string, patch: { enabled?: boolean; roles?: ModelRole[] }): unknown[] {
  return asList(list).map((raw) => {
    if (idOf(raw) !== id || !raw || typeof raw !== 'object') return raw;
    const next: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    // `enabled: true` is the default: leave it out rather than clutter the user's JSON.
    if (patch.enabled !== undefined) {
      if (patch.enabled) delete next.enabled;
      else next.enabled = false;
    }
    if (patch.roles) next.roles = [...patch.roles];
    return next;
  });
}

/** A scope's list without the entry of `id`. */
export function withRemoved(list: unknown, id: string): unknown[] {
  return asList(list).filter((raw) => idOf(raw) !== id);
}
