import * as z from 'zod';
import { defineProtocol } from './channel';
import { AuctionOutcomeSchema } from './outcomes';

/**
 * The cost report's protocol and the report itself as plain data. The host builds a `CostReport` from the ledger
 * (src/common/ledger/report.ts) and posts it after the view says `ready`; the view renders it and sends commands
 * back (`refresh`, `export`). Both sides validate every message on arrival.
 *
 * Money is in US dollars. Every dollar figure here counts only calls whose price is known: wherever a call had an
 * unknown price, `unknownPriceCalls` is above zero and the figure is a lower bound ("at least $X"), never a total
 * that silently counted the unknown calls as $0.
 */

/** 2: the export is a request answered with the saved file (or why it failed). */
export const REPORT_PROTOCOL_VERSION = 2;

export const REPORT_PHASES = ['bidding', 'jury', 'refinement', 'embedding', 'execution', 'probe', 'shadow'] as const;
export const ReportPhase = z.enum(REPORT_PHASES);
export type ReportPhase = z.infer<typeof ReportPhase>;

const usd = z.number().nonnegative();
const count = z.number().int().nonnegative();
const share = z.number().min(0).max(1);

/** Spend of a group of calls: known dollars, how many calls, how many of them had no known price. */
export const SpendFigure = z.object({
  calls: count,
  failedCalls: count,
  knownUsd: usd,
  unknownPriceCalls: count,
  inputTokens: count,
  outputTokens: count,
  /**
   * Premium requests consumed by request-priced models (GitHub Copilot through VS Code): billed requests × the
   * model's multiplier. Their dollars are in `knownUsd` like any other; 0 when no such model was called.
   */
  premiumRequests: z.number().nonnegative().default(0),
});
export type SpendFigure = z.infer<typeof SpendFigure>;

export const ModelRow = SpendFigure.extend({
  modelId: z.string(),
  model: z.string(),
  local: z.boolean(),
  /** Where this model's prices came from across its calls, e.g. ['default-table'] or ['unknown']. */
  priceSources: z.array(z.string()),
  /** Auctions this model executed. */
  executions: count,
  /** Executions the user accepted (fully or partially). */
  accepted: count,
  /** Executions with a decided outcome (accepted, partially accepted, rejected, undone, failed). */
  decided: count,
  /** accepted / decided; null when nothing was decided yet. */
  acceptRate: share.nullable(),
});
export type ModelRow = z.infer<typeof ModelRow>;

export const PhaseRow = SpendFigure.extend({
  phase: ReportPhase,
  /** This phase's share of the known total spend; null when the total is 0. */
  share: share.nullable(),
});
export type PhaseRow = z.infer<typeof PhaseRow>;

export const DayRow = z.object({
  /** Calendar day (YYYY-MM-DD) in the report's time zone offset. */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  knownUsd: usd,
  /**
   * What that day's auctions with a claimed saving (accepted work with a reference) would have cost on each one's
   * recorded reference model; null when no auction claims a saving.
   */
  counterfactualUsd: usd.nullable(),
  calls: count,
  unknownPriceCalls: count,
});
export type DayRow = z.infer<typeof DayRow>;

export const AuctionRow = z.object({
  auctionId: z.string(),
  task: z.string().nullable(),
  /** Time of the auction's first call or fact (ISO). */
  startedAt: z.string(),
  winnerModelId: z.string().nullable(),
  executedBy: z.string().nullable(),
  outcome: AuctionOutcomeSchema,
  spend: SpendFigure,
  /** Known dollars per phase for this auction. */
  byPhase: z.record(z.string(), usd),
  // The honest counterfactual of this auction (src/common/ledger/savings.ts). Defaults keep older reports readable.
  /** The reference recorded with the auction (the dearest priced model of its pool then); null without a recorded pool. */
  referenceModelId: z.string().nullable().default(null),
  /** Whether any of the auction's runs was accepted; not-accepted when every run was rejected, undone or failed. */
  verdict: z.enum(['accepted', 'not-accepted', 'undecided']).default('undecided'),
  /** What always using the reference would have cost on this task; null when no saving is claimed. */
  counterfactualUsd: usd.nullable().default(null),
  /** counterfactual − the auction's spend (shadow runs excluded); null unless accepted with a reference. Can be < 0. */
  savingsUsd: z.number().nullable().default(null),
  /** measured: the reference ran this task (here or in a shadow run whose tests passed); estimated: priced tokens. */
  basis: z.enum(['measured', 'estimated']).nullable().default(null),
  /** Execution dollars beyond the cheapest run known to have worked; null when none is known to have worked. */
  regretUsd: usd.nullable().default(null),
  /** The outcome of this auction's shadow run of the reference, if one ran. */
  shadow: z.enum(['passed', 'failed', 'no-tests', 'cancelled', 'error']).nullable().default(null),
});
export type AuctionRow = z.infer<typeof AuctionRow>;

/** A sum of per-auction savings and how many auctions it rests on. */
export const SavingsFigure = z.object({ savingsUsd: z.number(), auctions: count });
export type SavingsFigure = z.infer<typeof SavingsFigure>;

/**
 * Savings you can trust (src/common/ledger/savings.ts): per auction, what always using the reference model (the
 * dearest priced model of the pool recorded with that auction) would have cost, against everything the auction
 * cost (every phase, every run, every escalation; shadow runs apart). A saving is claimed only for accepted work.
 *
 * `measured` sums auctions where the reference itself ran the task (on the auction, or in a shadow run whose tests
 * passed); `estimated` sums auctions where the accepted run's tokens are priced at the reference's prices. Work that
 * was not accepted is `unsavedSpendUsd`, spend with no saving. Shadow runs' own cost is `shadow.spend`, never in a
 * saving. When `actualIsLowerBound`, some claimed auction had calls of unknown price: the savings are at most the
 * figures.
 */
export const Counterfactual = z.object({
  measured: SavingsFigure,
  estimated: SavingsFigure,
  /** Known spend of auctions whose work was not accepted (rejected, undone, failed, or not decided yet). */
  unsavedSpendUsd: usd,
  unsavedAuctions: count,
  /** Auctions without a recorded priced pool: they claim nothing. */
  withoutReference: count,
  actualIsLowerBound: z.boolean(),
  /** Shadow runs of the reference: how many, how many passed the tests, and their own spend. */
  shadow: z.object({ runs: count, passed: count, spend: SpendFigure }),
});
export type Counterfactual = z.infer<typeof Counterfactual>;

export const UnknownPriceCall = z.object({
  time: z.string(),
  modelId: z.string(),
  phase: ReportPhase,
  auctionId: z.string().nullable(),
});

/**
 * First-try and escalated outcomes apart ("first try: 3 accepted / 5; after escalation: +1"). `firstTry`: tasks
 * whose first executed bid was decided, and how many of those were accepted without escalating. `escalated`: tasks
 * that escalated to another bid after a failure, the escalated runs, and the tasks an escalated run got accepted.
 */
export const EscalationSummary = z.object({
  firstTry: z.object({ executed: count, accepted: count, decided: count }),
  escalated: z.object({ tasks: count, attempts: count, accepted: count }),
});
export type EscalationSummary = z.infer<typeof EscalationSummary>;

export const CostReport = z.object({
  version: z.literal(1),
  generatedAt: z.string(),
  /** Shown in the title; the workspace folder name. */
  scope: z.string(),
  /** First and last call time (ISO), null for an empty ledger. */
  range: z.object({ from: z.string(), to: z.string() }).nullable(),
  totals: SpendFigure.extend({
    /** True when some calls have unknown prices: knownUsd is then "at least". */
    isLowerBound: z.boolean(),
    /** Dollars billed for calls that failed (still counted in knownUsd). */
    failedKnownUsd: usd,
  }),
  byModel: z.array(ModelRow),
  byPhase: z.array(PhaseRow),
  locality: z.object({ local: SpendFigure, remote: SpendFigure }),
  perDay: z.array(DayRow),
  auctions: z.array(AuctionRow),
  counterfactual: Counterfactual.nullable(),
  /** Why there is no counterfactual, when there is none. */
  counterfactualUnavailable: z.string().nullable(),
  overhead: z.object({
    /** Known dollars of bidding + jury + refinement. */
    auctionUsd: usd,
    /** auctionUsd / total known spend; null when the total is 0. */
    share: share.nullable(),
  }),
  largestModel: z.object({
    modelId: z.string().nullable(),
    executions: count,
    byLargest: count,
    /** byLargest / executions; null without executions or reference model. */
    share: share.nullable(),
  }),
  unknownPrices: z.object({
    /** Calls without a dollar figure: no known price, or (see `unreportedUsageCalls`) usage the provider did not report. */
    calls: count,
    /** How many of `calls` had a known price but no provider-reported usage, so their cost is unknown. */
    unreportedUsageCalls: count,
    models: z.array(z.object({ modelId: z.string(), calls: count })),
    /** The first few affected calls, for the warning's details. */
    examples: z.array(UnknownPriceCall),
  }),
  /** Ledger lines that could not be read (torn or from a newer version). */
  skippedLines: count,
  /** First-try and escalated outcomes apart; absent in reports exported before escalation. */
  escalation: EscalationSummary.default({ firstTry: { executed: 0, accepted: 0, decided: 0 }, escalated: { tasks: 0, attempts: 0, accepted: 0 } }),
});
export type CostReport = z.infer<typeof CostReport>;

export const ExportFormat = z.enum(['csv', 'json']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** What an export request is answered with: the saved file's name, or null when the user cancelled the save dialog. */
export const ExportReply = z.object({ saved: z.string() }).nullable();
export type ExportReply = z.infer<typeof ExportReply>;

export const ReportCommand = z.discriminatedUnion('type', [z.object({ type: z.literal('refresh') })]);
export type ReportCommand = z.infer<typeof ReportCommand>;

export const ReportNotification = z.discriminatedUnion('type', [
  z.object({ type: z.literal('report'), report: CostReport }),
  /** A one-line status for the view to show (the report could not be read). */
  z.object({ type: z.literal('status'), level: z.enum(['info', 'error']), text: z.string().max(500) }),
]);
export type ReportNotification = z.infer<typeof ReportNotification>;

export const reportProtocol = defineProtocol({
  name: 'cost report',
  version: REPORT_PROTOCOL_VERSION,
  commands: ReportCommand,
  notifications: ReportNotification,
  requests: {
    /** Asks where to save, writes the file, answers with its name. */
    export: { params: z.object({ format: ExportFormat }), result: ExportReply },
  },
});
export type ReportProtocol = typeof reportProtocol;
