import type { PoolEntry } from './poolSchema';
import { copilotRequestPrice } from './priceTable';
import type { ModelSpec } from './types';

/** What VS Code's Language Model API says about one chat model (a plain copy of `vscode.LanguageModelChat`). */
export interface LmModelInfo {
  id: string;
  vendor: string;
  family: string;
  name: string;
  version: string;
  maxInputTokens: number;
}

/**
 * The pool entries (`sale.models` items) for the models VS Code offers, for the Add Model flow to show and add:
 * one per model, with an id that is unique against `takenIds` and the others, every role but embedder.
 */
export function lmPoolEntries(models: readonly LmModelInfo[], takenIds: ReadonlySet<string> = new Set()): PoolEntry[] {
  const taken = new Set(takenIds);
  return models.map((m) => {
    const base = `${m.vendor}-${m.id}`.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 72);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return { id, provider: 'vscode-lm', model: m.id, roles: ['bidder', 'juror', 'executor'] };
  });
}

/**
 * A configured `vscode-lm` model with what VS Code says about it now: its `lm` facts, and, when the user set no
 * price, the dated Copilot request price for a known Copilot family. A model VS Code does not offer is left without
 * `lm` (its calls fail as "model gone" and the pool shows it unavailable).
 */
export function withLmFacts(spec: ModelSpec, available: readonly LmModelInfo[]): ModelSpec {
  if (spec.provider !== 'vscode-lm') return spec;
  const info = available.find((m) => m.id === spec.model);
  const { lm: _old, ...rest } = spec;
  if (!info) return rest;
  const out: ModelSpec = { ...rest, lm: { vendor: info.vendor, family: info.family, name: info.name, version: info.version, maxInputTokens: info.maxInputTokens } };
  if (!out.price) {
    const price = copilotRequestPrice(info.vendor, info.family);
    if (price) out.price = price;
  }
  return out;
}
