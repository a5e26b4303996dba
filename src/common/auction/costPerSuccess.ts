import type { ScoreBreakdown } from './types';

/**
 * Expected execution dollars per success: the bid's expected work divided by its predicted chance of success
 * (E / p). Undefined when either is unknown or p is 0. What the expected-utility rule's q = 0 minimises, and what
 * the panel and "why" show.
 */
export function costPerSuccessUsd(b: Pick<ScoreBreakdown, 'expectedExecutionUsd' | 'prediction'>): number | undefined {
  const e = b.expectedExecutionUsd;
  const p = b.prediction?.p;
  return e === undefined || p === undefined || p <= 0 ? undefined : e / p;
}
