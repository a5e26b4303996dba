import { DEFAULT_WEIGHTS, resolveWeights, type AuctionWeights } from '../auction/weights';

/** One change of the workspace's weights made through the fit command (adopt or reset), kept in workspace state. */
export interface Adoption {
  /** ISO time of the change. */
  time: string;
  before: AuctionWeights;
  after: AuctionWeights;
  /** `reset`: the workspace's weights were removed (absent on entries from before this field: an adoption). */
  kind?: 'adopt' | 'reset';
}

/**
 * The weights an auction of `time` was most likely recorded with, best first: those adopted through this command
 * before it (or, before the first adoption, what the first adoption replaced), then the weights in force, then
 * the defaults. fitAuctionOf keeps the first that reproduces the recorded terms.
 */
export function candidatesAt(time: string, history: readonly Adoption[], current: AuctionWeights): AuctionWeights[] {
  const sorted = [...history].sort((a, b) => (a.time < b.time ? -1 : 1));
  const last = [...sorted].reverse().find((h) => h.time <= time);
  const next = sorted.find((h) => h.time > time);
  const list = [last?.after, next?.before, current, resolveWeights({ ...DEFAULT_WEIGHTS, costMode: current.costMode ?? 'work' })]
    .filter((w): w is AuctionWeights => w !== undefined)
    // Entries saved before w_r existed have none; an auction that ran with them since then had the setting's default.
    .map((w) => (w.record === undefined ? { ...w, record: DEFAULT_WEIGHTS.record } : w));
  const seen = new Set<string>();
  return list.filter((w) => {
    const key = JSON.stringify(w);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

