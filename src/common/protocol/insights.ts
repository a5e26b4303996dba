import * as z from 'zod';
import { defineProtocol } from './channel';
import { OutcomeLabelSchema } from './outcomes';
import { ExportReply } from './report';

/**
 * The Routing insights view's protocol and the insights themselves as plain data. The host reads the auction
 * memory (the journal's auctions and outcomes), builds `RoutingInsights` (src/common/learning/routingInsights.ts)
 * and posts it after the view says `ready`; the view renders it and sends commands back. Both sides validate every
 * message on arrival.
 *
 * Every rate carries its counts and a Wilson 90% interval; every figure the data cannot give is absent, never 0.
 */

/** 2: export and the weight fit are requests answered with their outcome. */
export const INSIGHTS_PROTOCOL_VERSION = 2;

const count = z.number().int().nonnegative();
const share = z.number().min(0).max(1);
const usd = z.number().nonnegative();

export const RateSchema = z.object({ successes: count, n: count, rate: share.optional(), low: share, high: share });
export type RateFigure = z.infer<typeof RateSchema>;

const AurocSchema = z.object({ auc: share, positives: count, negatives: count, se: z.number().nonnegative() });

const ReliabilityBinSchema = z.object({ from: share, to: share, count, meanPredicted: share, observed: RateSchema });

/** One juror: its scores of executed bids (read as score / 5) against their real outcomes. */
export const JurorInsight = z.object({
  jurorId: z.string(),
  observations: count,
  auroc: AurocSchema.optional(),
  brier: z.number().nonnegative().optional(),
  reliability: z.array(ReliabilityBinSchema),
  meanScoreSuccess: z.number().optional(),
  meanScoreFailure: z.number().optional(),
});
export type JurorInsight = z.infer<typeof JurorInsight>;

const CostAccuracySchema = z.object({
  runs: count,
  meanEstimatedUsd: usd,
  meanActualUsd: usd,
  actualOverEstimated: z.number().nonnegative().optional(),
  tokens: z
    .object({ runs: count, meanEstimatedInput: z.number().nonnegative(), meanActualInput: z.number().nonnegative(), meanEstimatedOutput: z.number().nonnegative(), meanActualOutput: z.number().nonnegative() })
    .optional(),
});

/** One model's record in the workspace. */
export const ModelInsight = z.object({
  modelId: z.string(),
  /** Auctions it bid in (a refined bid counts with its first). */
  auctions: count,
  /** Of those, auctions it won. */
  wins: RateSchema,
  /** Verdicts good / all, over its executed bids with a verdict. */
  success: RateSchema,
  accept: RateSchema,
  testsPassed: RateSchema,
  cost: CostAccuracySchema.optional(),
  actual: z.object({ runs: count, meanUsd: usd.optional(), meanInputTokens: z.number().nonnegative(), meanOutputTokens: z.number().nonnegative() }).optional(),
});
export type ModelInsight = z.infer<typeof ModelInsight>;

/** A cumulative rate as of one auction: `successes` of `n` so far. */
export const RatePoint = z.object({ time: z.string(), successes: count, n: count });
export type RatePoint = z.infer<typeof RatePoint>;

export const INSIGHT_METRICS = ['wins', 'success', 'accept', 'testsPassed'] as const;
export type InsightMetric = (typeof INSIGHT_METRICS)[number];

/** A model's cumulative rates over time, one point per auction that changed the rate. */
export const ModelTimeline = z.object({
  modelId: z.string(),
  wins: z.array(RatePoint),
  success: z.array(RatePoint),
  accept: z.array(RatePoint),
  testsPassed: z.array(RatePoint),
});
export type ModelTimeline = z.infer<typeof ModelTimeline>;

/** One executed bid with a verdict whose expected and real execution dollars are both known. */
export const CostPoint = z.object({
  auctionId: z.string(),
  bidId: z.string(),
  modelId: z.string(),
  time: z.string(),
  expectedUsd: usd,
  actualUsd: usd,
  success: z.boolean(),
});
export type CostPoint = z.infer<typeof CostPoint>;

export const WeightsSchema = z.object({
  cost: z.number().nonnegative(),
  costMode: z.enum(['work', 'paper']).optional(),
  entropy: z.number().nonnegative(),
  jury: z.number().nonnegative(),
  jurors: z.record(z.string(), z.number().nonnegative()).optional(),
  /** w_r, the track record's weight (never fitted); absent in weights saved before it existed. */
  record: z.number().nonnegative().optional(),
  rule: z.enum(['score', 'expected-utility']).optional(),
  qualityPreference: share.optional(),
});
export type WeightsFigure = z.infer<typeof WeightsSchema>;

const DollarsSchema = z.discriminatedUnion('basis', [
  z.object({ basis: z.literal('measured'), usd }),
  z.object({ basis: z.literal('estimated'), usd, from: z.enum(['model-mean', 'auction-ratio']), runs: count.optional() }),
  z.object({ basis: z.literal('unknown') }),
]);

const PickSchema = z.object({ bidId: z.string(), modelId: z.string(), executed: z.boolean(), label: OutcomeLabelSchema.optional(), outcome: z.enum(['good', 'bad', 'unknown']), dollars: DollarsSchema });

const ReplayTotalsSchema = z.object({ good: count, bad: count, unknown: count, measuredUsd: usd, estimatedUsd: usd, unpriced: count });

/** How `proposed` weights would have routed the remembered auctions next to `baseline` (weightReplay.ts). */
export const ReplayInsight = z.object({
  /**
   * `fit`: the last fit of this session, not adopted, against the weights in force; `adoption`: the last adopted
   * weights against those they replaced; `reset`: the weights a reset brought back against those it removed.
   */
  kind: z.enum(['fit', 'adoption', 'reset']),
  time: z.string(),
  baseline: WeightsSchema,
  proposed: WeightsSchema,
  rows: z.array(
    z.object({ auctionId: z.string(), time: z.string(), task: z.string(), baseline: PickSchema, proposed: PickSchema, changed: z.boolean() }),
  ),
  baselineTotals: ReplayTotalsSchema,
  proposedTotals: ReplayTotalsSchema,
  changed: count,
  lostSuccesses: count,
  avoidedFailures: count,
  notReplayed: count,
});
export type ReplayInsight = z.infer<typeof ReplayInsight>;

export const RoutingInsights = z.object({
  scope: z.string(),
  generatedAt: z.string(),
  /** First and last auction time read; absent without auctions. */
  range: z.object({ from: z.string(), to: z.string() }).optional(),
  auctions: count,
  /** Whether only the most recent auctions were read (the memory holds more). */
  truncated: z.boolean(),
  /** Executed bids with a verdict, and how many of them succeeded. */
  observations: count,
  successes: count,
  jurors: z.array(JurorInsight),
  models: z.array(ModelInsight),
  timeline: z.array(ModelTimeline),
  costPoints: z.array(CostPoint),
  weights: z.object({
    inForce: WeightsSchema,
    /** Whether the workspace settings hold fitted or edited weights (otherwise user settings or defaults apply). */
    fromWorkspace: z.boolean(),
    adoptions: z.array(z.object({ time: z.string(), before: WeightsSchema, after: WeightsSchema })),
  }),
  replay: ReplayInsight.optional(),
});
export type RoutingInsights = z.infer<typeof RoutingInsights>;

export const InsightsExportFormat = z.enum(['csv', 'json']);
export type InsightsExportFormat = z.infer<typeof InsightsExportFormat>;

export const InsightsCommand = z.discriminatedUnion('type', [z.object({ type: z.literal('refresh') })]);
export type InsightsCommand = z.infer<typeof InsightsCommand>;

export const InsightsNotification = z.discriminatedUnion('type', [
  z.object({ type: z.literal('insights'), insights: RoutingInsights }),
  /** A one-line status (the insights could not be built). */
  z.object({ type: z.literal('status'), level: z.enum(['info', 'error']), text: z.string() }),
]);
export type InsightsNotification = z.infer<typeof InsightsNotification>;

/** How a weight fit started from the view ended, and a line saying so. */
export const FitReply = z.object({ status: z.enum(['fitted', 'adopted', 'too-few', 'cancelled', 'busy']), message: z.string() });
export type FitReply = z.infer<typeof FitReply>;

export const insightsProtocol = defineProtocol({
  name: 'routing insights',
  version: INSIGHTS_PROTOCOL_VERSION,
  commands: InsightsCommand,
  notifications: InsightsNotification,
  requests: {
    export: { params: z.object({ format: InsightsExportFormat }), result: ExportReply },
    /** Runs the weight fit (it asks before adopting); answered when it ends. */
    fitWeights: { params: z.object({}), result: FitReply },
  },
});
export type InsightsProtocol = typeof insightsProtocol;
