import type { Logger } from '../../common/log';
import type { PoolMemberView } from '../../common/protocol/auctionView';
import { probeCapabilities } from '../../common/providers/probe';
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
    return this.specs.map((s) => ({
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
    }));
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

  async ensureProbed(ids: readonly string[], signal: AbortSignal): Promise<void> {
    await Promise.all(
      ids.map(async (id) => {
        const spec = this.spec(id);
        const client = this.client(id);
        if (!spec || !client || this.service.capabilities.peek(spec)) return;
        const lm = this.service.lm;
        if (spec.provider === 'vscode-lm' && lm) {
          // What the API declares, instead of three paid requests per model before every first auction.
          await this.service.capabilities.get(spec, () => lm.declaredCapabilities(spec));
          return;
        }
        try {
          await this.service.capabilities.get(spec, async () => (await probeCapabilities(client, signal)).capabilities);
        } catch (e) {
          // The bid call itself will fail with the real error and its next step; the probe only informs.
          this.log.warn(`Probe of ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
    );
  }
}
