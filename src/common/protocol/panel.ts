import * as z from 'zod';
import { AuctionView, PoolMemberView } from './auctionView';
import { defineProtocol } from './channel';
import { ExecutionView, RunReply, executionCommands, executionRequests } from './executionView';

/**
 * The side panel's protocol, spoken over the one webview channel (`channel.ts`): both sides validate every message
 * on arrival; anything that does not parse is logged and dropped. The view's buttons that can fail are requests,
 * answered with a value or a message the panel shows; the rest are commands. The host sends the whole state.
 */

/** 2: requests with replies (task, bids, review, escalation) instead of untyped commands. */
export const PROTOCOL_VERSION = 2;

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

const command = PanelNotice.shape.actions.element.shape.command;
export type PanelCommandName = z.infer<typeof command>;

export const PanelCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('cancelAuction') }),
  /** A notice's button: a VS Code command the host runs. */
  z.object({ type: z.literal('runCommand'), command }),
  z.object({ type: z.literal('addContextFiles') }),
  z.object({ type: z.literal('removeContextFile'), path: z.string().min(1) }),
  ...executionCommands,
]);
export type PanelCommand = z.infer<typeof PanelCommand>;

export const PanelNotification = z.discriminatedUnion('type', [z.object({ type: z.literal('state'), state: PanelState })]);
export type PanelNotification = z.infer<typeof PanelNotification>;

export const panelProtocol = defineProtocol({
  name: 'panel',
  version: PROTOCOL_VERSION,
  commands: PanelCommand,
  notifications: PanelNotification,
  requests: {
    /** Hands the task to the panel and starts its auction; answered once the auction has started. */
    submitTask: { params: z.object({ text: z.string().trim().min(1).max(MAX_TASK_CHARS) }), result: z.object({ taskId: z.string() }) },
    /** Auctions the shown auction's task again, with its context. */
    reauction: { params: z.object({}), result: z.null() },
    /** Runs a bid of an auction (the one the panel shows); answered when the run ends. */
    runBid: { params: z.object({ auctionId: z.string().min(1), bidId: z.string().min(1) }), result: RunReply },
    ...executionRequests,
  },
});
export type PanelProtocol = typeof panelProtocol;

export { parseMessage } from './channel';
