import { requestUsd } from '../providers/pricing';
import type { Price } from '../providers/types';
import type { PoolModel } from './entry';

/** A priced model that may serve as the counterfactual's reference. */
export interface ReferenceModel {
  modelId: string;
  model: string;
  price: Price;
}

/**
 * The largest model: the most expensive by output price, then by input price; ties go to the first listed.
 * Models without a known price cannot be the reference. Request-priced models (premium requests) cannot be
 * compared with per-token prices, so one is the reference only when no per-token model is priced: then the one
 * whose request costs most. Returns undefined when none is priced.
 */
export function largestModel(pool: readonly PoolModel[]): ReferenceModel | undefined {
  const perToken = pool.filter((m) => m.price && m.price.perRequest === undefined);
  if (perToken.length === 0) return largestByRequest(pool);
  let best: ReferenceModel | undefined;
  for (const m of perToken) {
    if (!m.price) continue;
    const better =
      !best ||
      m.price.outputPerMTok > best.price.outputPerMTok ||
      (m.price.outputPerMTok === best.price.outputPerMTok && m.price.inputPerMTok > best.price.inputPerMTok);
    if (better) best = { modelId: m.modelId, model: m.model ?? m.modelId, price: m.price };
  }
  return best;
}

function largestByRequest(pool: readonly PoolModel[]): ReferenceModel | undefined {
  let best: ReferenceModel | undefined;
  for (const m of pool) {
    if (m.price?.perRequest === undefined) continue;
    if (!best || requestUsd(m.price) > requestUsd(best.price)) best = { modelId: m.modelId, model: m.model ?? m.modelId, price: m.price };
  }
  return best;
}
