import * as z from 'zod';

/**
 * What the side panel shows of the winner's run and of the review of its edits: plain data the host folds from
 * the agent's events and the staged change set (src/common/panel/executionView.ts) and sends whole. Model text
 * (summaries, previews, hunk bodies) is data to render as text, never as HTML.
 */

export const ReviewDecision = z.enum(['pending', 'accepted', 'rejected']);
export type ReviewDecision = z.infer<typeof ReviewDecision>;

/** One thing the agent did, as a line of the step list. */
export const ExecutionStepView = z.object({
  /** Model call the step belongs to (1-based). */
  step: z.number().int().nonnegative(),
  kind: z.enum(['text', 'tool', 'read', 'command', 'edit', 'error']),
  /** Short label: the tool name, the path read, the command. */
  label: z.string(),
  /** More text (the tool's arguments or result preview, the model's words); shown as text. */
  detail: z.string(),
  status: z.enum(['running', 'done', 'error', 'awaiting-approval', 'denied']),
  /** Tool call id, to match a result to its call. */
  callId: z.string().nullable(),
});
export type ExecutionStepView = z.infer<typeof ExecutionStepView>;

export const ReviewHunkView = z.object({
  index: z.number().int().nonnegative(),
  /** `@@ -a,b +c,d @@` */
  header: z.string(),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  /** The unified-diff body (' ', '-', '+' lines), rendered as text. */
  text: z.string(),
  decision: ReviewDecision,
});
export type ReviewHunkView = z.infer<typeof ReviewHunkView>;

export const ReviewFileView = z.object({
  path: z.string(),
  kind: z.enum(['modify', 'create', 'delete']),
  /** 'partial' when some hunks are accepted and others not. */
  decision: z.enum(['pending', 'accepted', 'rejected', 'partial']),
  editedByUser: z.boolean(),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  hunks: z.array(ReviewHunkView),
  /** Why the file could not be applied (it changed on disk after the agent read it); null when fine. */
  conflict: z.string().nullable(),
  /** Set once the file's accepted text was written. */
  applied: z.boolean(),
});
export type ReviewFileView = z.infer<typeof ReviewFileView>;

export const ExecutionView = z.object({
  runId: z.string(),
  auctionId: z.string().nullable(),
  bidId: z.string(),
  modelId: z.string(),
  /** running → then how the agent stopped; `applied`/`undone` follow the review. */
  status: z.enum(['running', 'finished', 'limit', 'cancelled', 'failed']),
  startedAt: z.string(),
  /** Model calls so far. */
  steps: z.number().int().nonnegative(),
  log: z.array(ExecutionStepView),
  /** A command waiting for the user's approval (a modal dialog is open). */
  awaitingApproval: z.object({ command: z.string(), cwd: z.string() }).nullable(),
  tokens: z.number().int().nonnegative(),
  /** Dollars so far; null when the model's price is unknown (never shown as $0). */
  dollars: z.number().nonnegative().nullable(),
  summary: z.string().nullable(),
  limit: z.enum(['steps', 'tokens', 'dollars']).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** The changed files, sorted by path, once the run has ended (and updated as the user reviews). */
  files: z.array(ReviewFileView),
  review: z.enum(['none', 'reviewing', 'applied', 'undone']),
  /** What the last apply did, in words (including refused conflicts); null before. */
  outcome: z.string().nullable(),
  /** Which executed bid of the auction this run is (1: the first try; 2 and up: escalations). */
  attempt: z.number().int().positive().default(1),
  /** The bid whose failed work this run escalated from; null on a first try. */
  escalatedFrom: z.string().nullable().default(null),
  /**
   * Escalation once this run's work failed (rejected, undone, tests failed, run failed): the next bid SALE would
   * try, or why there is none (`next` null, `note` says why). Null while the run has not failed.
   */
  escalation: z
    .object({
      next: z.object({ bidId: z.string(), modelId: z.string(), rank: z.number().int().positive(), attempt: z.number().int().positive(), newModel: z.boolean() }).nullable(),
      /** Why it failed and what was chosen (or why nothing can be), in words. */
      note: z.string(),
    })
    .nullable()
    .default(null),
});
export type ExecutionView = z.infer<typeof ExecutionView>;

const path = z.string().min(1).max(4096);
/** A run the view asked for, as it ended (or the newer run that replaced it); null when none started. */
export const RunReply = z.object({ runId: z.string(), status: ExecutionView.shape.status }).nullable();
export type RunReply = z.infer<typeof RunReply>;

/** The execution and review UI's view-to-host commands (fire and forget; part of the panel's protocol). */
export const executionCommands = [z.object({ type: z.literal('cancelExecution') })] as const;

/**
 * The execution and review UI's requests (part of the panel's protocol): each is answered, and a failure comes back
 * as a message the panel shows.
 */
export const executionRequests = {
  /** Absent `hunk`: the whole file. */
  reviewDecision: { params: z.object({ path, hunk: z.number().int().nonnegative().optional(), decision: ReviewDecision }), result: z.null() },
  reviewAll: { params: z.object({ decision: z.enum(['accepted', 'rejected']) }), result: z.null() },
  openDiff: { params: z.object({ path }), result: z.null() },
  editProposal: { params: z.object({ path }), result: z.null() },
  /** Files written and files refused (changed on disk since the agent read them). */
  applyAccepted: { params: z.object({}), result: z.object({ written: z.array(z.string()), conflicts: z.array(z.string()) }) },
  /** The files restored; null when nothing was undone (nothing to undo, or the user said no). */
  undoLastAuction: { params: z.object({}), result: z.object({ restored: z.array(z.string()) }).nullable() },
  /** Null when no tests ran (no apply yet, no test command, the user said no). */
  runTests: { params: z.object({}), result: z.object({ command: z.string(), passed: z.boolean() }).nullable() },
  /** Run the next-ranked bid not tried yet of the auction whose run failed (escalation). */
  tryNextBid: { params: z.object({ auctionId: z.string().min(1).optional() }), result: RunReply },
} as const;
