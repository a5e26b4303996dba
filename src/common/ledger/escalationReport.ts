import type { EscalationSummary } from '../protocol/report';
import type { AuctionFact, AuctionOutcome } from './entry';

const ACCEPTED: ReadonlySet<AuctionOutcome> = new Set(['accepted', 'partially-accepted']);
const DECIDED: ReadonlySet<AuctionOutcome> = new Set(['accepted', 'partially-accepted', 'rejected', 'undone', 'failed']);

interface ExecutedBid {
  attempt: number;
  escalated: boolean;
  outcome: AuctionOutcome | undefined;
}

/**
 * First-try and escalated outcomes apart, from the ledger's auction facts (in file order). Each executed bid of an
 * auction has its own outcome (its facts carry its `bidId`). The first try is the execution with `attempt` 1, or,
 * on facts written before attempts were recorded, the auction's first executed bid. An escalation is an execution
 * with `escalatedFrom`. Since SALE escalates only from a failed run, the first try of an auction that escalated
 * does not count as accepted (its tests may have failed after an accepted review; the ledger keeps no test facts);
 * an auction whose escalated attempt was accepted counts once in `escalated.accepted`.
 */
export function escalationSummary(facts: readonly AuctionFact[]): EscalationSummary {
  const byAuction = new Map<string, Map<string, ExecutedBid>>();
  for (const f of facts) {
    if (f.bidId === undefined) continue;
    const bids = byAuction.get(f.auctionId) ?? new Map<string, ExecutedBid>();
    byAuction.set(f.auctionId, bids);
    let bid = bids.get(f.bidId);
    if (!bid && f.executedBy !== undefined) {
      bid = { attempt: f.attempt ?? (bids.size === 0 ? 1 : bids.size + 1), escalated: f.escalatedFrom !== undefined, outcome: undefined };
      bids.set(f.bidId, bid);
    }
    if (!bid) continue;
    if (f.escalatedFrom !== undefined) bid.escalated = true;
    if (f.outcome !== undefined) bid.outcome = f.outcome;
  }
  const summary: EscalationSummary = { firstTry: { executed: 0, accepted: 0, decided: 0 }, escalated: { tasks: 0, attempts: 0, accepted: 0 } };
  for (const bids of byAuction.values()) {
    const all = [...bids.values()];
    const first = all.find((b) => b.attempt === 1 && !b.escalated);
    const escalations = all.filter((b) => b.escalated);
    if (first) {
      summary.firstTry.executed += 1;
      if (first.outcome !== undefined && DECIDED.has(first.outcome)) summary.firstTry.decided += 1;
      if (first.outcome !== undefined && ACCEPTED.has(first.outcome) && escalations.length === 0) summary.firstTry.accepted += 1;
      // An escalated task's first try failed (that is why it escalated), whatever its review said.
      if (escalations.length > 0 && !(first.outcome !== undefined && DECIDED.has(first.outcome))) summary.firstTry.decided += 1;
    }
    if (escalations.length > 0) {
      summary.escalated.tasks += 1;
      summary.escalated.attempts += escalations.length;
      if (escalations.some((b) => b.outcome !== undefined && ACCEPTED.has(b.outcome))) summary.escalated.accepted += 1;
    }
  }
  return summary;
}
