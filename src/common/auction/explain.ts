import { explainExpectedUtility, predictionSentence, ratio } from './explainUtility';
import type { Bid, ScoreBreakdown } from './types';
import type { DecisionRule } from './weights';

/** The rule that ranked the auction, for "why": asked for, its preference, and why it fell back when it did. */
export interface DecisionFacts {
  rule: DecisionRule;
  qualityPreference: number;
  fellBack?: string;
}

/**
 * "Why it won", in plain language and only from the numbers in the ranking: what made the winner win, how the
 * most expensive rival and the runner-up compare on jury and price, and which signals were used. When the
 * expected-utility rule ranked, in its terms instead (explainUtility.ts): expected cost per success, the chance
 * of success and its interval, and the jury's favourite when it lost.
 */
export function explainWin(ranking: readonly ScoreBreakdown[], bids: readonly Bid[], decision?: DecisionFacts): string {
  const winner = ranking[0];
  if (!winner?.eligible) return 'No bid was eligible, so nothing won.';
  if (decision?.rule === 'expected-utility' && winner.utility !== undefined) return explainExpectedUtility(ranking, decision.qualityPreference, [refinedSentence(winner, bids), signalsSentence(winner)]);
  const eligible = ranking.filter((b) => b.eligible);
  const sentences: string[] = [lead(winner, eligible)];

  const rivals = eligible.filter((b) => b.bidId !== winner.bidId);
  const largest = [...rivals].sort((a, b) => price(b) - price(a) || (a.bidId < b.bidId ? -1 : 1))[0];
  const largestNamed = largest !== undefined && price(largest) > price(winner);
  if (largestNamed) sentences.push(compare(largest, winner, 'most expensive bidder'));
  const runnerUp = rivals[0];
  if (runnerUp && !(largestNamed && runnerUp.bidId === largest.bidId)) sentences.push(compare(runnerUp, winner, 'runner-up'));

  sentences.push(refinedSentence(winner, bids));
  if (winner.prediction) sentences.push(predictionSentence(winner));
  if (decision?.rule === 'expected-utility' && decision.fellBack) sentences.push(`The expected-utility rule was asked for, but ${decision.fellBack}.`);
  sentences.push(signalsSentence(winner));
  return sentences.filter((x) => x !== '').join(' ');
}

function refinedSentence(winner: ScoreBreakdown, bids: readonly Bid[]): string {
  const bid = bids.find((b) => b.id === winner.bidId);
  if (bid?.kind !== 'refined') return '';
  const n = bid.usedAuctions?.length ?? 0;
  return `It is a refined bid that learned from ${n} past auction${n === 1 ? '' : 's'}.`;
}

function lead(w: ScoreBreakdown, eligible: readonly ScoreBreakdown[]): string {
  const rating = ratingPhrase(w);
  if (eligible.length === 1) return `${w.modelId} won as the only eligible plan${rating ? `; ${rating}` : ''}.`;
  if (!w.cost.known) {
    const why = w.cost.outputPricePerMTok === undefined ? 'its price is unknown' : 'its provider reported no token usage, so its cost is unknown';
    return `${w.modelId} won on value alone (${why}, and no priced plan was eligible)${rating ? `; ${rating}` : ''}.`;
  }
  const cheapest = eligible.every((b) => !b.cost.known || price(b) >= price(w));
  const best = eligible.every((b) => (b.juryMean ?? -1) <= (w.juryMean ?? -1));
  const bestRecord = w.signals.record === true && eligible.some((b) => b.bidId !== w.bidId) && eligible.every((b) => b.bidId === w.bidId || (b.value.record?.rate ?? -1) < (w.value.record?.rate ?? -1));
  const what =
    cheapest && best ? 'the cheapest plan and the best rated' : cheapest ? 'the cheapest plan' : best ? 'the best-rated plan' : bestRecord ? 'the best track record here' : 'the best balance of price and quality';
  return `${w.modelId} won with ${what}${rating ? `, ${rating}` : ''} (score ${fixed(w.score)}, lowest wins).`;
}

function ratingPhrase(b: ScoreBreakdown): string {
  if (b.juryMean !== undefined) {
    const n = b.signals.jurors.length;
    return `which the jury rated ${b.juryMean.toFixed(1)}/5 (${n} juror${n === 1 ? '' : 's'})`;
  }
  if (b.value.entropy) return `with a confidence of ${b.value.entropy.confidence.toFixed(2)} from its own token probabilities`;
  return '';
}

function compare(other: ScoreBreakdown, w: ScoreBreakdown, label: string): string {
  const parts: string[] = [];
  let better = false;
  if (other.juryMean !== undefined && w.juryMean !== undefined) {
    const d = other.juryMean - w.juryMean;
    better = d >= 0.05;
    parts.push(Math.abs(d) < 0.05 ? 'got the same jury rating' : `scored ${Math.abs(d).toFixed(1)} ${d > 0 ? 'higher' : 'lower'} on the jury`);
  }
  const ro = other.value.record;
  const rw = w.value.record;
  if (ro && rw && w.signals.record && Math.abs(ro.rate - rw.rate) >= 0.05) parts.push(`has a ${ro.rate > rw.rate ? 'better' : 'worse'} track record (${Math.round(ro.rate * 100)}% against ${Math.round(rw.rate * 100)}%)`);
  const po = price(other);
  const pw = price(w);
  if (other.cost.known && w.cost.known && po !== pw) {
    if (pw === 0) parts.push('is paid where the winner is free');
    else {
      const unit = w.cost.mode === 'work' ? 'to run' : 'per token';
      parts.push(po > pw ? `costs ${ratio(po / pw)} more ${unit}` : `costs ${ratio(pw / po)} less ${unit}`);
    }
  }
  const body = parts.length ? parts.join(better ? ' but ' : ' and ') : 'scored close';
  return `The ${label}, ${other.modelId}, ${body} (score ${fixed(other.score)}).`;
}

function signalsSentence(w: ScoreBreakdown): string {
  const used: string[] = [];
  if (w.signals.jurors.length) used.push(`jury (${w.signals.jurors.length})`);
  if (w.signals.entropy) used.push('its own token entropy');
  const record = w.signals.record && w.value.record ? w.value.record : undefined;
  if (record) used.push(`its record here (${recordPhrase(record)})`);
  if (used.length === 0) return w.value.imputed ? 'No value signal was available for it; it was given the average value.' : '';
  const rest = [w.signals.jurors.length ? 'the jury' : '', record ? 'its record' : ''].filter((x) => x !== '').join(' and ');
  const missing = w.signals.entropy || rest === '' ? '' : ` (no logprobs from this model: value renormalised over ${rest})`;
  const list = used.length > 2 ? `${used.slice(0, -1).join(', ')} and ${used.at(-1)!}` : used.join(' and ');
  return `Signals used: ${list}${missing}.`;
}

/** "an estimated 62% from 12 runs here and its prior", or the prior alone when the model has not run here yet. */
function recordPhrase(r: NonNullable<ScoreBreakdown['value']['record']>): string {
  const pct = `${Math.round(r.rate * 100)}%`;
  return r.outcomes > 0 ? `an estimated ${pct} from ${r.outcomes} run${r.outcomes === 1 ? '' : 's'} here and its prior` : `${pct} from its ${r.source}, no runs here yet`;
}

/** What the cost term compared: the expected work (`work` mode) or the output price per token (`paper`). */
function price(b: ScoreBreakdown): number {
  return (b.cost.mode === 'work' ? b.expectedExecutionUsd : b.cost.outputPricePerMTok) ?? Number.POSITIVE_INFINITY;
}

function fixed(n: number | undefined): string {
  return n === undefined ? 'unknown' : n.toFixed(3);
}
