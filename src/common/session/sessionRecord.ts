import * as z from 'zod';
import type { AuctionResult } from '../auction/types';
import { OutcomeLabelSchema } from '../protocol/outcomes';
import { redactSecrets } from '../secretPatterns';
import { PanelTask } from '../protocol/panel';
import { AuctionSession, type BidRun } from './auctionSession';

/**
 * The session log's line shapes (version 1): what a reloaded window needs to rebuild its auction sessions and that
 * neither the memory nor the ledger keeps. The memory's auction line holds the bids' plans but not the context the
 * auction ran with (only its paths), nor the ranking's eligibility and order that escalation walks, nor the task as
 * the panel had it; cancelled auctions are not in it at all, and a run in flight leaves no line there until it ends.
 * So the session log keeps, per auction, one `session` line (task, context, result) written when the auction ends
 * and a `runs` line (every run of its bids and what became of it) after each fact about a run; the newest `runs` line
 * of an auction is its state. Lines are never rewritten to upgrade them; one from a newer version is skipped.
 */
export const SESSION_RECORD_VERSION = 1;

const AuctionContextSchema = z.object({
  selection: z.object({ file: z.string(), startLine: z.number().int(), endLine: z.number().int(), text: z.string() }).optional(),
  files: z.array(z.object({ path: z.string(), content: z.string() })).optional(),
  workspaceSummary: z.string().optional(),
});

/**
 * The auction's result as the session code reads it: the bids it can run, the ranking escalation walks, the winner.
 * The engine wrote the rest and nothing here changes it, so it is kept as it came (`loose`), not re-checked field by field.
 */
const StoredResult = z.looseObject({
  schemaVersion: z.literal(1),
  auctionId: z.string().min(1),
  task: z.string(),
  status: z.enum(['completed', 'cancelled']),
  bids: z.array(z.looseObject({ id: z.string().min(1), modelId: z.string().min(1), planText: z.string() })),
  ranking: z.array(z.looseObject({ bidId: z.string().min(1), modelId: z.string(), eligible: z.boolean(), rank: z.number().int(), expectedExecutionUsd: z.number().optional() })),
  winner: z.looseObject({ bidId: z.string().min(1), modelId: z.string().min(1) }).optional(),
});

const StoredRun = z.object({
  runId: z.string().min(1),
  bidId: z.string().min(1),
  modelId: z.string().min(1),
  status: z.enum(['running', 'finished', 'limit', 'failed', 'cancelled']),
  interrupted: z.boolean().optional(),
  review: OutcomeLabelSchema.optional(),
  applied: z.boolean().optional(),
  checkpointId: z.string().optional(),
  tests: z.enum(['passed', 'failed']).optional(),
  undone: z.boolean().optional(),
  attempt: z.number().int().positive(),
  escalatedFrom: z.string().optional(),
  evidence: z.object({ summary: z.string().optional(), diff: z.string().optional(), testOutput: z.string().optional(), testCommand: z.string().optional() }).optional(),
});

export const SessionLine = z.discriminatedUnion('kind', [
  z.object({
    v: z.literal(SESSION_RECORD_VERSION),
    kind: z.literal('session'),
    auctionId: z.string().min(1),
    time: z.string().min(1),
    task: PanelTask,
    context: AuctionContextSchema,
    status: z.enum(['finished', 'failed', 'cancelled']),
    result: StoredResult,
  }),
  z.object({ v: z.literal(SESSION_RECORD_VERSION), kind: z.literal('runs'), auctionId: z.string().min(1), time: z.string().min(1), runs: z.array(StoredRun) }),
]);
export type SessionLine = z.infer<typeof SessionLine>;

type StoredResult = z.infer<typeof StoredResult>;

/** The engine's result is plain JSON and has every field `StoredResult` checks; only the index signature differs. */
const storedResult = (result: AuctionResult): StoredResult => result as unknown as StoredResult;

/**
 * A copy of `value` with every string in it passed through `redactSecrets`: the session log holds the task, the
 * plans, the context's file text and the runs' diffs and test output, any of which can quote a key (a pasted task,
 * a `.env` in the context), and it is stored like the memory and the ledger, redacted.
 */
function redacted<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redacted(v)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redacted(v as unknown)])) as T;
  return value;
}

/** The `session` line of an auction that ended with a result (redacted); undefined while it runs or when it has none. */
export function sessionLine(session: AuctionSession, time: string): SessionLine | undefined {
  if (!session.result || session.status === 'running') return undefined;
  return { v: SESSION_RECORD_VERSION, kind: 'session', auctionId: session.id, time, task: redacted(session.task), context: redacted(session.context), status: session.status, result: redacted(storedResult(session.result)) };
}

/** The `runs` line of a session: every run as it stands now (redacted). */
export function runsLine(session: AuctionSession, time: string): SessionLine {
  return { v: SESSION_RECORD_VERSION, kind: 'runs', auctionId: session.id, time, runs: session.runs.map((r) => redacted({ ...r, ...(r.evidence ? { evidence: { ...r.evidence } } : {}) })) };
}

/** What a restore found besides the sessions: runs that were in flight when the window went away. */
export interface RestoreReport {
  sessions: number;
  interruptedRuns: string[];
  /** `runs` lines whose auction has no `session` line (it never ended, or its line was lost): ignored. */
  orphanRuns: number;
}

/**
 * Rebuilds the newest `keep` sessions from the log's lines (in file order): each auction's `session` line and its
 * newest `runs` line. A run still `running` was in flight when its window closed; the extension host that ran it
 * is gone, so it is restored as cancelled and `interrupted` (never "running" forever). Pure.
 */
export function restoreSessions(lines: readonly SessionLine[], keep: number): { sessions: AuctionSession[]; report: RestoreReport } {
  const opened = new Map<string, Extract<SessionLine, { kind: 'session' }>>();
  const runs = new Map<string, Extract<SessionLine, { kind: 'runs' }>>();
  for (const line of lines) {
    if (line.kind === 'session') {
      opened.delete(line.auctionId); // a repeated line moves the auction to where it was last written
      opened.set(line.auctionId, line);
    } else runs.set(line.auctionId, line);
  }
  const report: RestoreReport = { sessions: 0, interruptedRuns: [], orphanRuns: [...runs.keys()].filter((id) => !opened.has(id)).length };
  const sessions = [...opened.values()].slice(-Math.max(0, keep)).map((line) => {
    const session = new AuctionSession(line.auctionId, line.task, line.context);
    session.result = line.result as unknown as AuctionResult;
    session.status = line.status;
    for (const stored of runs.get(line.auctionId)?.runs ?? []) {
      const run = { ...stored } as BidRun;
      if (run.status === 'running') {
        run.status = 'cancelled';
        run.interrupted = true;
        report.interruptedRuns.push(run.runId);
      }
      session.runs.push(run);
    }
    return session;
  });
  report.sessions = sessions.length;
  return { sessions, report };
}
