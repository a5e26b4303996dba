import * as z from 'zod';
import { AuctionView, PoolMemberView } from './auctionView';
import { ExecutionView, executionCommands } from './executionView';

/**
 * The side panel's protocol. Both sides validate every message on arrival; anything that does not parse is
 * logged and dropped. View-to-host messages are commands; host-to-view messages are notifications.
 * The view sends `ready` once its script has loaded; the host posts nothing before that (the ready handshake).
 */

export const PROTOCOL_VERSION = 1;

/** The longest task the panel takes (the input box and the command enforce it too). */
export const MAX_TASK_CHARS = 20_000;

export const PanelTask = z.object({
  id: z.string().min(1),
  text: z.string().min(1).max(MAX_TASK_CHARS),
  /** Where the task came from, shown as a hint. */
  source: z.enum(['palette', 'panel', 'selection']),
  /** A short description of the selection the task was started on, if any. */
  selection: z
    .object({ file: z.string(), startLine: z.number().int(), endLine: z.number().int() })
    .optional(),
  receivedAt: z.string(),
});
export type PanelTask = z.infer<typeof PanelTask>;

/** A problem shown in the panel with the buttons that fix it (commands the host runs). */
export const PanelNotice = z.object({
  severity: z.enum(['info', 'warning', 'error']),
  message: z.string(),
  actions: z.array(z.object({ label: z.string(), command: z.enum(['setApiKey', 'testConnections', 'showLogs', 'openSettings', 'showCostReport', 'retry', 'addModel', 'detectLocalServers', 'openWalkthrough']) })),
});
export type PanelNotice = z.infer<typeof PanelNotice>;

/** The budgets that apply (null: none set) and what this workspace spent today, shown next to the pool. */
export const PanelBudget = z.object({
  perTask: z.number().nullable(),
  perDay: z.number().nullable(),
  perWorkspace: z.number().nullable(),
  spentToday: z.number(),
});
export type PanelBudget = z.infer<typeof PanelBudget>;

/** Everything the view renders; the host owns it and resends it whole after `ready` and on every change. */
export const PanelState = z.object({
  task: PanelTask.nullable(),
  pool: z.array(PoolMemberView).default([]),
  auction: AuctionView.nullable().default(null),
  notice: PanelNotice.nullable().default(null),
  budget: PanelBudget.nullable().default(null),
  /** Workspace-relative files the user chose as context for the next auction, besides the selection. */
  contextFiles: z.array(z.string()).default([]),
  /** The winner's run and the review of its edits. */
  execution: ExecutionView.nullable().default(null),
});
export type PanelState = z.output<typeof PanelState>;

export const ViewToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), protocolVersion: z.number().int() }),
  z.object({ type: z.literal('submitTask'), text: z.string().trim().min(1).max(MAX_TASK_CHARS) }),
  z.object({ type: z.literal('cancelAuction') }),
  z.object({ type: z.literal('reauction') }),
  /** Run a bid of an auction (the auction the panel shows when `auctionId` is absent: older views). */
  z.object({ type: z.literal('runBid'), bidId: z.string().min(1), auctionId: z.string().min(1).optional() }),
  z.object({ type: z.literal('runCommand'), command: PanelNotice.shape.actions.element.shape.command }),
  z.object({ type: z.literal('addContextFiles') }),
  z.object({ type: z.literal('removeContextFile'), path: z.string().min(1) }),
  ...executionCommands,
]);
export type ViewToHost = z.infer<typeof ViewToHost>;

export const HostToView = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: PanelState }),
]);
export type HostToView = z.infer<typeof HostToView>;

/** Parses an untrusted message; returns undefined (never throws) when it is not a valid message. */
export function parseMessage<T>(schema: z.ZodType<T>, raw: unknown): { ok: true; value: T } | { ok: false; error: string } {
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: z.prettifyError(r.error) };
}
