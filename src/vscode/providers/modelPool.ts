import type * as vscode from 'vscode';
import { Emitter, type Disposable } from '../../common/lifecycle';
import type { Logger } from '../../common/log';
import { CapabilityCache } from '../../common/providers/capabilities';
import { detectedToSpecs, detectLocalServers, type DetectedServer, type HttpProbe } from '../../common/providers/localServers';
import { withLmFacts } from '../../common/providers/lmPool';
import { probeCapabilities, type ProbeResult } from '../../common/providers/probe';
import { recordingClient } from '../../common/providers/recordingClient';
import type { CallSink } from '../../common/ledger/types';
import { parsePool, type PoolProblem } from '../../common/providers/poolSchema';
import type { ModelCapabilities, ModelClient, ModelSpec } from '../../common/providers/types';
import { createModelClient } from '../../node/providers/createModelClient';
import type { Config } from '../config';
import type { ApiKeyStore } from './apiKeyStore';
import { PoolSettings } from './poolSettings';
import { LanguageModelClient } from './lmClient';
import type { LanguageModelRegistry, LmStatus } from './lmModels';

/** The pool as it stands: configured models, detected local ones, and what was wrong with the setting. */
export interface PoolSnapshot {
  /** Configured models first, then detected local models not already configured. */
  models: ModelSpec[];
  problems: PoolProblem[];
  detected: DetectedServer[];
}

const CAPABILITIES_KEY_PREFIX = 'sale.capabilities/';

/**
 * Reads `sale.models` through Config, merges local servers found on their default ports, and makes ModelClients
 * whose keys come from the ApiKeyStore. Detection runs once and again on demand (it costs four tiny GETs).
 */
export class ModelPoolService implements Disposable {
  private readonly changed = new Emitter<PoolSnapshot>();
  readonly onDidChange = this.changed.event;
  private detected: DetectedServer[] = [];
  private detection: Promise<void> | undefined;
  private readonly subscriptions: Disposable[] = [];
  readonly capabilities: CapabilityCache;
  /** `sale.models` from the user's and the workspace's settings, joined. */
  readonly settings = new PoolSettings();
  /** Where the probe's own calls are charged (phase `probe`); set once the ledger exists. */
  probeCalls: CallSink | undefined;

  constructor(
    private readonly config: Config,
    private readonly keys: ApiKeyStore,
    private readonly http: HttpProbe,
    state: vscode.Memento,
    private readonly log: Logger,
    /** VS Code's own language models (`provider: vscode-lm`); absent in tests that do not need them. */
    readonly lm?: LanguageModelRegistry,
  ) {
    this.capabilities = new CapabilityCache({
      get: (key) => state.get(CAPABILITIES_KEY_PREFIX + key),
      set: (key, value) => state.update(CAPABILITIES_KEY_PREFIX + key, value),
    });
    this.subscriptions.push(
      config.onDidChange((keys) => {
        if (keys.includes('models') || keys.includes('localServers.detect')) {
          if (keys.includes('localServers.detect')) this.detection = undefined;
          void this.snapshot().then((s) => this.changed.fire(s));
        }
      }),
    );
    // A model appears or goes, or its consent state changes: the pool strip follows.
    if (lm) this.subscriptions.push(lm.onDidChange(() => void this.snapshot().then((s) => this.changed.fire(s))));
  }

  /** The current pool; waits for local detection the first time. */
  async snapshot(): Promise<PoolSnapshot> {
    await this.detectOnce();
    const parsed = parsePool(this.settings.merged());
    const problems = parsed.problems;
    const lmModels = this.lm && parsed.models.some((m) => m.provider === 'vscode-lm') ? await this.lm.infos() : [];
    const models = parsed.models.map((m) => withLmFacts(m, lmModels));
    for (const p of problems) this.log.warn(`sale.models[${p.index}]${p.id ? ` (${p.id})` : ''}: ${p.message}`);
    // Detected models are enabled only when the user configured nothing: a first run with Ollama just works.
    const local = detectedToSpecs(this.detected, new Set(models.map((m) => m.id)), models.length === 0);
    return { models: [...models, ...local], problems, detected: this.detected };
  }

  /** Forgets what was detected and looks again. */
  async redetect(): Promise<PoolSnapshot> {
    this.detection = undefined;
    const s = await this.snapshot();
    this.changed.fire(s);
    return s;
  }

  clientFor(spec: ModelSpec): ModelClient {
    if (spec.provider === 'vscode-lm') {
      if (!this.lm) throw new Error(`${spec.id}: no Language Model API registry`);
      return new LanguageModelClient(spec, this.lm, this.log.topic(spec.id));
    }
    return createModelClient(spec, (providerKey) => this.keys.get(providerKey), { logger: this.log.topic(spec.id) });
  }

  /**
   * What a model supports: the cache, or a probe whose every call (answered or failed) is charged to the ledger
   * under `probe`. VS Code's own models declare theirs (no paid requests). `force` probes even when cached (the
   * user asked to test now). The probe's latency is returned when one ran.
   */
  async probe(spec: ModelSpec, signal: AbortSignal, force = false): Promise<{ capabilities: ModelCapabilities; latencyMs?: number }> {
    const lm = this.lm;
    if (spec.provider === 'vscode-lm' && lm) return { capabilities: await this.capabilities.get(spec, () => lm.declaredCapabilities(spec), force) };
    const ran: { result?: ProbeResult } = {};
    const client = this.clientFor(spec);
    const charged = this.probeCalls ? recordingClient(client, this.probeCalls, () => ({ phase: 'probe' })) : client;
    const capabilities = await this.capabilities.get(
      spec,
      async () => {
        ran.result = await probeCapabilities(charged, signal);
        return ran.result.capabilities;
      },
      force,
    );
    return { capabilities, ...(ran.result ? { latencyMs: ran.result.latencyMs } : {}) };
  }

  private detectOnce(): Promise<void> {
    if (!this.config.get('localServers.detect')) {
      this.detected = [];
      return Promise.resolve();
    }
    this.detection ??= detectLocalServers(this.http).then(
      (found) => {
        this.detected = found;
        for (const d of found) this.log.info(`Found ${d.kind.name} at ${d.baseUrl} with ${d.models.length} model(s)`);
      },
      (e: unknown) => {
        this.log.warn(`Local server detection failed: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
    return this.detection;
  }

  /** The pool strip's state of a model: consent refused or unavailable for `vscode-lm` models, else ready. */
  lmStatus(spec: ModelSpec): LmStatus {
    return this.lm ? this.lm.status(spec) : 'ready';
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
