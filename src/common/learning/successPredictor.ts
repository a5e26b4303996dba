import type { SuccessPrediction } from '../auction/types';
import { Z90 } from './calibration';
import { fitRidgeLogistic, logit, sigmoid, type LogisticRow } from './logistic';
import type { Observation } from './observations';
import { DEFAULT_PRIORS, familyPrior, type SuccessPriors } from './priors';

/**
 * P(success) of a bid, in one line: the model's track record (a Beta prior per model family, updated by its
 * outcomes in this workspace, its outcomes on the tasks most similar to this one counting again), in log-odds,
 * plus each juror's score times a weight learned from that juror's past scores of executed bids against their
 * outcomes (a ridge logistic regression: a juror whose scores never predicted anything gets weight ≈ 0).
 * The 90% interval is the logit-normal interval of both parts' uncertainty.
 */

/** What the next auction asks of the workspace's outcomes. */
export interface TrackRecordQuery {
  task: string;
  modelIds: readonly string[];
  jurorIds: readonly string[];
  /**
   * The wire model name of each pool id (`spec.model`), which the public prior's families are matched on: a pool
   * id is whatever the user named the member ("sonnet"). Outcomes stay keyed by pool id. Absent: ids are matched.
   */
  modelNames?: Readonly<Record<string, string>>;
  /** The auction asking, so a retrieval call it makes (a query embedding) is charged to that auction. */
  auctionId?: string;
}

/** A model's track record as the predictor reads it. */
export interface ModelTrack {
  prior: { mean: number; strength: number; source: string };
  /** This model's outcomes in the workspace, and how many succeeded. */
  outcomes: number;
  successes: number;
  /** Its outcomes on the most similar past tasks: how many, and their summed similarity and similarity-weighted successes. */
  similarOutcomes: number;
  similarWeight: number;
  similarSuccesses: number;
  /** The estimate for this task: mean and log-odds variance. */
  p: number;
  logitVariance: number;
}

/** One learned weight of a bid signal. */
export interface SignalWeight {
  kind: 'juror' | 'confidence';
  /** The juror's model id; 'confidence' for the entropy confidence. */
  id: string;
  /** The signal's mean over the observations it was learned from (a score at the mean adds nothing). */
  center: number;
  /** Log-odds per unit of the signal above its centre (per Likert point for a juror). */
  weight: number;
  /** Executed bids with a verdict this signal was present on. */
  observations: number;
}

/** What the workspace's outcomes say, loaded once per auction while the bids are out. JSON-serialisable. */
export interface LearnedRecord {
  /** Per queried model id. */
  models: Record<string, ModelTrack>;
  /** For a bid of a model the query did not name: the neutral or workspace prior, no outcomes. */
  unknownModel: ModelTrack;
  signals: SignalWeight[];
  /** Covariance of the signal weights (in the order of `signals`). */
  covariance: number[][];
  /** All observations the record was learned from. */
  observations: number;
}

/** Where a track record comes from (the host reads the memory; a benchmark its market). */
export interface TrackRecordPort {
  load(query: TrackRecordQuery, signal: AbortSignal): Promise<LearnedRecord>;
}

/** The bid signals a prediction reads. */
export interface BidSignals {
  modelId: string;
  jury: readonly { jurorId: string; score: number }[];
  /** Entropy confidence 0..1. */
  confidence?: number;
}

/**
 * Learns a record from the workspace's observations for one auction. `similarity`: auction id → 0..1 similarity of
 * that past task to the query's task (absent = not similar).
 */
export function learnedRecordFrom(
  observations: readonly Observation[],
  similarity: ReadonlyMap<string, number>,
  query: TrackRecordQuery,
  priors: SuccessPriors = DEFAULT_PRIORS,
): LearnedRecord {
  const workspace = { n: observations.length, successes: observations.filter((o) => o.success).length };
  const byModel = new Map<string, Observation[]>();
  for (const o of observations) {
    const list = byModel.get(o.modelId);
    if (list) list.push(o);
    else byModel.set(o.modelId, [o]);
  }
  const models: Record<string, ModelTrack> = {};
  for (const modelId of new Set(query.modelIds)) models[modelId] = modelTrack(modelId, query.modelNames?.[modelId] ?? modelId, byModel.get(modelId) ?? [], similarity, priors, workspace);
  const unknownModel = modelTrack('', '', [], similarity, { ...priors, table: [] }, workspace);
  const { signals, covariance } = fitSignals(observations, query.jurorIds, priors, workspace);
  return { models, unknownModel, signals, covariance, observations: observations.length };
}

/** The model's prior: its family's public rate (matched on its wire name), else the workspace's own rate, else the neutral mean. */
function priorOf(modelName: string, priors: SuccessPriors, workspace: { n: number; successes: number }): ModelTrack['prior'] {
  const family = modelName === '' ? undefined : familyPrior(modelName, priors.table);
  if (family) return { mean: family.rate, strength: priors.strength, source: priors.source };
  if (workspace.n >= priors.neutral.minOutcomes) return { mean: (workspace.successes + 1) / (workspace.n + 2), strength: priors.neutral.strength, source: 'workspace rate prior' };
  return { mean: priors.neutral.mean, strength: priors.neutral.strength, source: 'neutral prior' };
}

function modelTrack(modelId: string, modelName: string, own: readonly Observation[], similarity: ReadonlyMap<string, number>, priors: SuccessPriors, workspace: { n: number; successes: number }): ModelTrack {
  const prior = priorOf(modelName, priors, workspace);
  const successes = own.filter((o) => o.success).length;
  // Level 1: the model's rate here, starting from its prior.
  const a1 = prior.strength * prior.mean + successes;
  const b1 = prior.strength * (1 - prior.mean) + own.length - successes;
  const rate = a1 / (a1 + b1);
  // Level 2: that rate, worth at most `maxRateStrength` outcomes, updated by the most similar past tasks.
  const similar = own
    .map((o) => ({ o, s: Math.min(1, similarity.get(o.auctionId) ?? 0) }))
    .filter((e) => e.s > 0)
    .sort((x, y) => y.s - x.s)
    .slice(0, priors.similarTasks);
  const similarWeight = similar.reduce((sum, e) => sum + e.s, 0);
  const similarSuccesses = similar.reduce((sum, e) => sum + (e.o.success ? e.s : 0), 0);
  const strength = Math.min(a1 + b1, priors.maxRateStrength);
  const a2 = strength * rate + similarSuccesses;
  const b2 = strength * (1 - rate) + similarWeight - similarSuccesses;
  return {
    prior,
    outcomes: own.length,
    successes,
    similarOutcomes: similar.length,
    similarWeight,
    similarSuccesses,
    p: a2 / (a2 + b2),
    // The log-odds variance of a Beta(a, b) is ψ'(a) + ψ'(b) ≈ 1/a + 1/b.
    logitVariance: 1 / a2 + 1 / b2,
  };
}

/** The leave-one-out level-1 rate of an observation's model: the log-odds its signals are learned on top of. */
function offsets(observations: readonly Observation[], priors: SuccessPriors, workspace: { n: number; successes: number }): number[] {
  const counts = new Map<string, { n: number; s: number }>();
  for (const o of observations) {
    const c = counts.get(o.modelId) ?? { n: 0, s: 0 };
    c.n++;
    if (o.success) c.s++;
    counts.set(o.modelId, c);
  }
  return observations.map((o) => {
    const c = counts.get(o.modelId)!;
    const prior = priorOf(o.modelId, priors, workspace);
    const s = c.s - (o.success ? 1 : 0);
    const n = c.n - 1;
    return logit((prior.strength * prior.mean + s) / (prior.strength + n));
  });
}

function fitSignals(observations: readonly Observation[], jurorIds: readonly string[], priors: SuccessPriors, workspace: { n: number; successes: number }): { signals: SignalWeight[]; covariance: number[][] } {
  const specs: { kind: SignalWeight['kind']; id: string; read: (o: Observation) => number | undefined; sd: number }[] = [];
  for (const jurorId of new Set(jurorIds)) specs.push({ kind: 'juror', id: jurorId, read: (o) => o.jury[jurorId], sd: priors.jurorWeightSd });
  specs.push({ kind: 'confidence', id: 'confidence', read: (o) => o.confidence, sd: priors.confidenceWeightSd });
  const present = specs
    .map((spec) => {
      const values = observations.map(spec.read).filter((v): v is number => v !== undefined);
      return { ...spec, n: values.length, center: values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0 };
    })
    .filter((s) => s.n > 0);
  if (present.length === 0) return { signals: [], covariance: [] };
  const offset = offsets(observations, priors, workspace);
  const rows: LogisticRow[] = [];
  observations.forEach((o, i) => {
    const x = present.map((s) => {
      const v = s.read(o);
      return v === undefined ? 0 : v - s.center;
    });
    if (x.some((v) => v !== 0)) rows.push({ x, offset: offset[i]!, y: o.success ? 1 : 0 });
  });
  const fit = fitRidgeLogistic(
    rows,
    present.map((s) => s.sd),
  );
  return {
    signals: present.map((s, i) => ({ kind: s.kind, id: s.id, center: s.center, weight: fit.weights[i]!, observations: s.n })),
    covariance: fit.covariance,
  };
}

/** The bid's predicted chance of success with its 90% interval and, in words, what it rests on. */
export function predictSuccess(record: LearnedRecord, bid: BidSignals): SuccessPrediction {
  const track = record.models[bid.modelId] ?? record.unknownModel;
  const scores = new Map(bid.jury.map((j) => [j.jurorId, j.score]));
  const x = record.signals.map((s) => {
    const v = s.kind === 'confidence' ? bid.confidence : scores.get(s.id);
    return v === undefined ? 0 : v - s.center;
  });
  let evidence = 0;
  let evidenceVariance = 0;
  x.forEach((xi, i) => {
    evidence += xi * record.signals[i]!.weight;
    x.forEach((xj, j) => (evidenceVariance += xi * xj * (record.covariance[i]?.[j] ?? 0)));
  });
  const eta = logit(track.p) + evidence;
  const sd = Math.sqrt(track.logitVariance + Math.max(0, evidenceVariance));
  return {
    p: sigmoid(eta),
    low: sigmoid(eta - Z90 * sd),
    high: sigmoid(eta + Z90 * sd),
    outcomes: track.outcomes,
    basis: basisOf(track, record, x, evidence),
  };
}

function basisOf(track: ModelTrack, record: LearnedRecord, x: readonly number[], evidence: number): string {
  const here = track.outcomes === 0 ? 'no outcomes here yet' : `${track.outcomes} outcome${track.outcomes === 1 ? '' : 's'} here${track.similarOutcomes > 0 ? `, ${track.similarOutcomes} on similar tasks` : ''}`;
  const used = record.signals.filter((_, i) => x[i] !== 0);
  let signals: string;
  if (used.length === 0) signals = record.signals.length === 0 ? 'no signal calibrated yet' : 'no calibrated signal on this bid';
  else {
    const n = Math.max(...used.map((s) => s.observations));
    signals = `jury${used.some((s) => s.kind === 'confidence') ? ' and confidence' : ''} ${evidence >= 0 ? '+' : '−'}${Math.abs(evidence).toFixed(2)} log-odds (calibrated on ${n} outcome${n === 1 ? '' : 's'})`;
  }
  return `${track.prior.source} + ${here}; ${signals}`;
}
