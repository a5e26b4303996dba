import type { ModelCapabilities, ModelSpec } from './types';

/** Where probed capabilities persist between sessions (VS Code's globalState in the extension, a Map in tests). */
export interface CapabilityStore {
  get(key: string): ModelCapabilities | undefined;
  /** May return a promise (VS Code Memento.update); it is awaited. A Map works too. */
  set(key: string, value: ModelCapabilities): unknown;
}

/** The identity of what was probed: the same model name on another endpoint may behave differently. */
export function capabilityKey(spec: Pick<ModelSpec, 'provider' | 'baseUrl' | 'model'>): string {
  return `${spec.provider}|${spec.baseUrl ?? ''}|${spec.model}`;
}

export interface CapabilityCacheOptions {
  /** Results older than this are probed again: a local server may swap the model behind a name. */
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * Probes a model at most once per key and age, even when many auctions ask at the same moment; a failed probe is
 * not cached, so the next use probes again.
 */
export class CapabilityCache {
  private readonly inFlight = new Map<string, Promise<ModelCapabilities>>();
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: CapabilityStore,
    opts: CapabilityCacheOptions = {},
  ) {
    this.maxAgeMs = opts.maxAgeMs ?? 7 * 24 * 3600 * 1000;
    this.now = opts.now ?? Date.now;
  }

  /** The cached capabilities if still fresh. */
  peek(spec: Pick<ModelSpec, 'provider' | 'baseUrl' | 'model'>): ModelCapabilities | undefined {
    const hit = this.store.get(capabilityKey(spec));
    if (!hit) return undefined;
    const age = this.now() - Date.parse(hit.probedAt);
    return Number.isFinite(age) && age <= this.maxAgeMs ? hit : undefined;
  }

  async get(spec: Pick<ModelSpec, 'provider' | 'baseUrl' | 'model'>, probe: () => Promise<ModelCapabilities>, force = false): Promise<ModelCapabilities> {
    const key = capabilityKey(spec);
    const fresh = force ? undefined : this.peek(spec);
    if (fresh) return fresh;
    const running = this.inFlight.get(key);
    if (running) return running;
    const p = (async () => {
      try {
        const caps = await probe();
        await this.store.set(key, caps);
        return caps;
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, p);
    return p;
  }
}
