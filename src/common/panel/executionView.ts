import type { StagedFile } from '../agent/changeSet';
import type { AgentEvent } from '../agent/events';
import type { Hunk } from '../agent/hunks';
import type { ExecutionStepView, ExecutionView, ReviewFileView, ReviewHunkView } from '../protocol/executionView';

/** Step lines kept in the view; older ones are dropped (the log channel keeps everything). */
export const maxLogLines = 200;
const maxDetailChars = 600;
/** A hunk's text shown in the panel (and saved with its state); the diff editor shows any hunk whole. */
export const maxHunkChars = 20_000;

const clip = (text: string, max = maxDetailChars) => (text.length <= max ? text : `${text.slice(0, max)}…`);

export function emptyExecutionView(init: { runId: string; auctionId: string | null; bidId: string; modelId: string; startedAt: string; attempt?: number; escalatedFrom?: string | null }): ExecutionView {
  return {
    attempt: 1,
    escalatedFrom: null,
    ...init,
    status: 'running',
    steps: 0,
    log: [],
    awaitingApproval: null,
    tokens: 0,
    dollars: null,
    summary: null,
    limit: null,
    error: null,
    files: [],
    review: 'none',
    outcome: null,
    escalation: null,
  };
}

function pushLine(view: ExecutionView, line: ExecutionStepView): ExecutionView {
  const log = [...view.log, line];
  return { ...view, log: log.length > maxLogLines ? log.slice(log.length - maxLogLines) : log };
}

function updateLast(view: ExecutionView, match: (l: ExecutionStepView) => boolean, patch: Partial<ExecutionStepView>): ExecutionView {
  let i = view.log.length - 1;
  while (i >= 0 && !match(view.log[i] as ExecutionStepView)) i--;
  if (i < 0) return view;
  const log = [...view.log];
  const line = log[i];
  if (line) log[i] = { ...line, ...patch };
  return { ...view, log };
}

/** Folds one agent event into the view. Pure: the same events always give the same view. */
export function applyAgentEvent(view: ExecutionView, event: AgentEvent): ExecutionView {
  const step = event.step;
  switch (event.type) {
    case 'stepStarted':
      return { ...view, steps: step };
    case 'assistantText':
      return pushLine(view, { step, kind: 'text', label: 'model', detail: clip(event.text), status: 'done', callId: null });
    case 'toolCall':
      return pushLine(view, { step, kind: 'tool', label: event.name, detail: clip(event.argumentsJson.replace(/\s+/g, ' '), 160), status: 'running', callId: event.callId });
    case 'toolResult':
      // A successful result shows in the lines that follow (a read, an edit, a command); an error says what went wrong.
      return updateLast(view, (l) => l.callId === event.callId && l.kind === 'tool', event.isError ? { status: 'error', detail: clip(event.preview) } : { status: 'done' });
    case 'fileRead':
      return pushLine(view, {
        step,
        kind: 'read',
        label: event.path,
        detail: event.totalLines === 0 ? 'empty file' : `lines ${event.startLine}–${event.endLine} of ${event.totalLines}`,
        status: 'done',
        callId: null,
      });
    case 'commandAwaitingApproval':
      return pushLine({ ...view, awaitingApproval: { command: event.command, cwd: event.cwd } }, { step, kind: 'command', label: event.command, detail: event.cwd === '.' ? 'in the workspace folder' : `in ${event.cwd}`, status: 'awaiting-approval', callId: null });
    case 'commandDenied': {
      const next = updateLast({ ...view, awaitingApproval: null }, (l) => l.kind === 'command' && l.label === event.command && l.status === 'awaiting-approval', {
        status: 'denied',
        detail: event.reason === 'untrusted' ? 'not run: the workspace is not trusted' : 'denied by you',
      });
      return next.log.some((l) => l.kind === 'command' && l.label === event.command && l.status === 'denied')
        ? next
        : pushLine(next, { step, kind: 'command', label: event.command, detail: event.reason === 'untrusted' ? 'not run: the workspace is not trusted' : 'denied by you', status: 'denied', callId: null });
    }
    case 'commandFinished': {
      const detail = event.timedOut ? 'timed out' : `exit code ${event.exitCode ?? 'none'}${event.truncated ? ', output cut' : ''}`;
      const status = event.exitCode === 0 ? 'done' : 'error';
      const cleared = { ...view, awaitingApproval: null };
      const hasLine = view.log.some((l) => l.kind === 'command' && l.label === event.command && l.status === 'awaiting-approval');
      return hasLine
        ? updateLast(cleared, (l) => l.kind === 'command' && l.label === event.command && l.status === 'awaiting-approval', { status, detail })
        : pushLine(cleared, { step, kind: 'command', label: event.command, detail, status, callId: null });
    }
    case 'editStaged':
      return pushLine(view, {
        step,
        kind: 'edit',
        label: event.path,
        detail: event.kind === 'unstaged' ? 'proposal withdrawn' : `${event.kind}, ${event.hunks} hunk${event.hunks === 1 ? '' : 's'}`,
        status: 'done',
        callId: null,
      });
    case 'usage':
      return { ...view, tokens: event.totalTokens, dollars: event.priceKnown ? event.dollars : null };
    case 'finished':
      return { ...view, status: 'finished', summary: event.summary, awaitingApproval: null };
    case 'limitReached':
      return { ...view, status: 'limit', limit: event.limit, awaitingApproval: null };
    case 'failed':
      return pushLine({ ...view, status: 'failed', error: { code: event.code, message: event.message }, awaitingApproval: null }, { step, kind: 'error', label: event.code, detail: clip(event.message), status: 'error', callId: null });
    case 'cancelled':
      return { ...view, status: 'cancelled', awaitingApproval: null };
  }
}

function hunkView(h: Hunk, decision: ReviewHunkView['decision']): ReviewHunkView {
  return { index: h.index, header: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@${h.wholeBlock ? ' replaced as one block (too different to diff line by line)' : ''}`, added: h.added, removed: h.removed, text: clip(h.lines.join('\n'), maxHunkChars), decision };
}

function fileDecision(decisions: readonly ReviewHunkView['decision'][]): ReviewFileView['decision'] {
  if (decisions.length > 0 && decisions.every((d) => d === 'accepted')) return 'accepted';
  if (decisions.length > 0 && decisions.every((d) => d === 'rejected')) return 'rejected';
  if (decisions.every((d) => d === 'pending')) return 'pending';
  return 'partial';
}

/**
 * The review list from the staged change set: per file its kind, decisions and hunks (for created and deleted
 * files one file-level decision and the whole text as a single hunk). `conflicts` maps paths to the reason the
 * file was refused; `applied` lists the paths written.
 */
export function reviewFiles(staged: readonly StagedFile[], conflicts: ReadonlyMap<string, string> = new Map(), applied: ReadonlySet<string> = new Set()): ReviewFileView[] {
  return staged.map((f) => {
    const hunks = f.kind === 'modify' ? f.hunks.map((h) => hunkView(h, f.decisions[h.index] ?? 'pending')) : f.hunks.map((h) => hunkView(h, f.decisions[0] ?? 'pending'));
    return {
      path: f.path,
      kind: f.kind,
      decision: fileDecision(f.kind === 'modify' ? f.decisions : [f.decisions[0] ?? 'pending']),
      editedByUser: f.editedByUser,
      added: hunks.reduce((n, h) => n + h.added, 0),
      removed: hunks.reduce((n, h) => n + h.removed, 0),
      hunks,
      conflict: conflicts.get(f.path) ?? null,
      applied: applied.has(f.path),
    };
  });
}

/** The review's file-level decisions as the memory records them (per hunk when the file was partly accepted). */
export function reviewDecisions(files: readonly ReviewFileView[]): { path: string; decision: 'accepted' | 'rejected' | 'partial'; hunks?: { index: number; accepted: boolean }[] }[] {
  return files.map((f) => {
    const decision = f.decision === 'pending' ? 'rejected' : f.decision;
    return decision === 'partial' ? { path: f.path, decision, hunks: f.hunks.map((h) => ({ index: h.index, accepted: h.decision === 'accepted' })) } : { path: f.path, decision };
  });
}
