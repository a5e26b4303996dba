import { decimalCell, toCsv } from '../ledger/csv';
import type { RoutingInsights } from '../protocol/insights';
import type { Observation } from './observations';

/**
 * Exports of the Routing insights. CSV: one row per executed bid with a verdict (the observations every figure of
 * the view's juror, success, accept, tests and cost figures are computed from), one column per juror's score,
 * dollars empty (never 0) when unknown, so a spreadsheet can recompute them (win rates need the auctions: JSON). JSON: the insights as the view shows them, and the same observations.
 */

const FIXED_COLUMNS = [
  'time',
  'auction_id',
  'bid_id',
  'model_id',
  'task',
  'label',
  'success',
  'review',
  'tests_passed',
  'confidence',
  'expected_usd',
  'actual_usd',
  'input_tokens',
  'output_tokens',
  'runs',
] as const;

export function insightsToCsv(observations: readonly Observation[]): string {
  const jurors = [...new Set(observations.flatMap((o) => Object.keys(o.jury)))].sort();
  const opt = (n: number | undefined) => (n === undefined ? '' : decimalCell(n));
  const rows = observations.map((o) => [
    o.time,
    o.auctionId,
    o.bidId,
    o.modelId,
    o.task,
    o.label,
    String(o.success),
    o.review ?? '',
    o.testsPassed === undefined ? '' : String(o.testsPassed),
    opt(o.confidence),
    opt(o.expectedExecutionUsd),
    opt(o.execution?.dollars),
    o.execution ? String(o.execution.inputTokens) : '',
    o.execution ? String(o.execution.outputTokens) : '',
    o.execution ? String(o.execution.runs) : '0',
    ...jurors.map((j) => opt(o.jury[j])),
  ]);
  return toCsv([...FIXED_COLUMNS, ...jurors.map((j) => `jury:${j}`)], rows);
}

export function insightsToJson(insights: RoutingInsights, observations: readonly Observation[]): string {
  return `${JSON.stringify({ insights, observations }, null, 2)}\n`;
}
