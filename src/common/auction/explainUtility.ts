import { costPerSuccessUsd } from './costPerSuccess';
import type { ScoreBreakdown } from './types';
import { usd as dollars } from '../protocol/format';

/**
 * "Why it won" when the expected-utility rule ranked: in expected cost per success (expected work ÷ predicted
 * chance of success) and the chance itself with its 90% interval, and, when the jury's favourite lost, why it
 * lost in those terms. Only numbers from the ranking.
 */
export function explainExpectedUtility(ranking: readonly ScoreBreakdown[], qualityPreference: number, tail: readonly string[]): string {
  const winner = ranking[0];
  if (!winner) return 'No bid was eligible, so nothing won.';
  const ranked = ranking.filter((b) => b.eligible && b.utility !== undefined);
  const sentences: string[] = [leadSentence(winner, ranked, qualityPreference)];

  const favourite = juryFavourite(ranked);
  if (favourite && favourite.bidId !== winner.bidId) {
    sentences.push(
      `The jury preferred ${favourite.modelId} (${rating(favourite)} against ${rating(winner)}), but ${favourite.modelId} ${terms(favourite)}${lostBecause(favourite, winner, qualityPreference)}.`,
    );
  } else if (favourite && ranked.length > 1) sentences.push(`It is also the jury's favourite (${rating(winner)}).`);

  const runnerUp = ranked.find((b) => b.bidId !== winner.bidId);
  if (runnerUp && runnerUp.bidId !== favourite?.bidId) sentences.push(`The runner-up, ${runnerUp.modelId}, ${terms(runnerUp)}.`);
  if (winner.prediction) sentences.push(`Prediction basis: ${winner.prediction.basis}.`);
  sentences.push(...tail);
  return sentences.filter((x) => x !== '').join(' ');
}

/** The prediction of one bid, in a sentence (used by the score rule's "why" as well). */
export function predictionSentence(b: ScoreBreakdown): string {
  const p = b.prediction;
  if (!p) return '';
  return `Its predicted chance of success is ${percent(p.p)} (90% interval ${percent(p.low)}–${percent(p.high)}; ${p.basis}).`;
}

function leadSentence(w: ScoreBreakdown, ranked: readonly ScoreBreakdown[], q: number): string {
  const per = costPerSuccessUsd(w);
  const only = ranked.length <= 1;
  const cheapestPer = ranked.every((b) => (costPerSuccessUsd(b) ?? Number.POSITIVE_INFINITY) >= (per ?? Number.POSITIVE_INFINITY));
  const likeliest = ranked.every((b) => (b.prediction?.p ?? 0) <= (w.prediction?.p ?? 0));
  const what = only
    ? 'as the only eligible plan with a prediction'
    : cheapestPer && likeliest
      ? 'with the lowest expected cost per success and the best chance of success'
      : cheapestPer
        ? 'with the lowest expected cost per success'
        : likeliest
          ? 'with the best chance of success'
          : `on the balance of cost per success and chance of success`;
  const rule = q === 0 ? '' : ` (quality preference ${q.toFixed(2)}: 0 = cheapest per success, 1 = likeliest to succeed)`;
  return `${w.modelId} won ${what}${rule}: it ${terms(w)}.`;
}

/** "costs $0.12 per success: $0.05 of expected work at a 42% predicted chance of success (90% interval 30%–55%)". */
function terms(b: ScoreBreakdown): string {
  const per = costPerSuccessUsd(b);
  const p = b.prediction;
  const chance = p ? `a ${percent(p.p)} predicted chance of success (90% interval ${percent(p.low)}–${percent(p.high)})` : 'no prediction';
  const work = b.expectedExecutionUsd === undefined ? 'unknown expected work' : `${dollars(b.expectedExecutionUsd)} of expected work`;
  return per === undefined ? `has ${work} at ${chance}` : `costs ${dollars(per)} per success: ${work} at ${chance}`;
}

function lostBecause(loser: ScoreBreakdown, winner: ScoreBreakdown, q: number): string {
  const pl = loser.prediction?.p ?? 0;
  const pw = winner.prediction?.p ?? 0;
  const cl = costPerSuccessUsd(loser);
  const cw = costPerSuccessUsd(winner);
  const pref = q > 0 ? ' at this quality preference' : '';
  // A free winner's cost per success is $0: there is no ratio to state, only that the loser's work costs money.
  if (cl !== undefined && cw === 0 && cl > 0 && pl > pw) return `; its better chance does not pay for ${dollars(cl)} per success against a free model${pref}`;
  if (cl !== undefined && cw !== undefined && cw > 0 && cl > cw && pl > pw) return `; its better chance does not pay for ${ratio(cl / cw)} the cost per success${pref}`;
  if (pl <= pw) return `; the outcomes recorded here give it no better chance`;
  return '';
}

/** The eligible bid with the best mean jury score (ties: the better ranked); undefined when no bid was judged. */
function juryFavourite(ranked: readonly ScoreBreakdown[]): ScoreBreakdown | undefined {
  let best: ScoreBreakdown | undefined;
  for (const b of ranked) if (b.juryMean !== undefined && (best?.juryMean === undefined || b.juryMean > best.juryMean + 1e-9)) best = b;
  return best;
}

function rating(b: ScoreBreakdown): string {
  return b.juryMean === undefined ? 'no jury score' : `${b.juryMean.toFixed(1)}/5`;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}



/** A ratio for "why" texts: "2.5×", "12×". */
export function ratio(r: number): string {
  return r >= 10 ? `${Math.round(r)}×` : `${r.toFixed(1).replace(/\.0$/, '')}×`;
}
