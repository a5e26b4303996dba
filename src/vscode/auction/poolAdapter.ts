import type { Logger } from '../../common/log';
import type { PoolMemberView } from '../../common/protocol/auctionView';
import type { ModelCapabilities, ModelClient, ModelSpec } from '../../common/providers/types';
import type { ModelPoolService } from '../providers/modelPool';
import type { AuctionPool } from './auctionController';

/**
 * The pool service as the auction sees it: the enabled models of the latest snapshot, one client per model, and
 * capabilities from the probe cache (probing, once, what is not known yet — never assuming).
 */
export class PoolForAuction implements AuctionPool {
  private specs: ModelSpec[] = [];
  private readonly clients = new Map<string, ModelClient>();

  constructor(
    private readonly service: ModelPoolService,
    private readonly log: Logger,
  ) {}

  async refresh(): Promise<void> {
    const snapshot = await this.service.snapshot();
    this.specs = snapshot.models.filter((m) => m.enabled);
    this.clients.clear();
  }

  members(): PoolMemberView[] {
    return this.specs.map((s) => this.memberOf(s));
  }

  /** The pool as it is now, for the pool strip between auctions; the auction's own specs and clients stay as they are. */
  async preview(): Promise<PoolMemberView[]> {
    const snapshot = await this.service.snapshot();
    return snapshot.models.filter((m) => m.enabled).map((s) => this.memberOf(s));
  }

  private memberOf(s: ModelSpec): PoolMemberView {
    return {
      id: s.id,
      model: s.model,
      provider: s.provider,
      local: s.local,
      priceInPerMTok: s.price?.inputPerMTok ?? null,
      priceOutPerMTok: s.price?.outputPerMTok ?? null,
      roles: [...s.roles],
      logprobs: this.service.capabilities.peek(s)?.logprobs ?? null,
      practice: s.practice === true,
      perRequest: s.price?.perRequest === undefined ? null : { usd: s.price.perRequest, multiplier: s.price.multiplier ?? 1, asOf: s.price.asOf ?? null },
      vendor: s.lm?.vendor ?? null,
      status: this.service.lmStatus(s),
    };
  }

  private spec(id: string): ModelSpec | undefined {
    return this.specs.find((s) => s.id === id);
  }

  client(id: string): ModelClient | undefined {
    const spec = this.spec(id);
    if (!spec) return undefined;
    let c = this.clients.get(id);
    if (!c) {
      c = this.service.clientFor(spec);
      this.clients.set(id, c);
    }
    return c;
  }

  capabilities(id: string): ModelCapabilities | undefined {
    const spec = this.spec(id);
    return spec ? this.service.capabilities.peek(spec) : undefined;
  }

  /**
   * Probes, once, the models whose capabilities are unknown, waiting at most `waitMs` for them: one slow model's
   * check must not hold up every bid. A model whose probe is still running bids this time as a model of unknown
   * capabilities (no structured output, no logprobs asked: the tolerant parser reads its reply) and its probe
   * goes on, cached for the next auction. Returns the ids still being probed.
   */
  async ensureProbed(ids: readonly string[], signal: AbortSignal, waitMs = PROBE_WAIT_MS): Promise<string[]> {
    const pending = new Set<string>();
    const probes = ids.flatMap((id) => {
      const spec = this.spec(id);
      if (!spec || this.service.capabilities.peek(spec)) return [];
      pending.add(id);
      return [
        this.service.probe(spec, signal).then(
          () => void pending.delete(id),
          (e: unknown) => {
            pending.delete(id);
            // The bid call itself will fail with the real error and its next step; the probe only informs.
            this.log.warn(`Probe of ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
          },
        ),
      ];
    });
    if (probes.length === 0) return [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(probes), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    const slow = [...pending].sort();
    for (const id of slow) this.log.info(`${id} is still being checked after ${waitMs} ms: it bids without structured output or logprobs this time`);
    return slow;
  }
}

/** How long an auction waits for capability checks before bidding without them. */
export const PROBE_WAIT_MS = 5_000;
