// A real agent run over scripted models and an in-memory workspace, folded into execution views the way the host
// folds it: shared by the reducer's unit tests and the panel's webview test.
import type { ChangeSet } from '../../../../src/common/agent/changeSet';
import type { AgentEvent } from '../../../../src/common/agent/events';
import { runAgent } from '../../../../src/common/agent/loop';
import { applyAgentEvent, emptyExecutionView, reviewFiles } from '../../../../src/common/panel/executionView';
import type { ExecutionView } from '../../../../src/common/protocol/executionView';
import { call, CollectingSink, fixedClock, MemoryWorkspace, RecordingShell, ScriptedClient } from '../agent/fakes';

export const numbered = Array.from({ length: 20 }, (_, i) => `line ${i + 1}\n`).join('');
/** Model text that would run script if it were rendered as HTML. */
export const hostileSummary = 'Done <img src=x onerror="window.__pwned = 1"> <script>window.__pwned = 2</script>';

export interface RecordedExecution {
  events: AgentEvent[];
  /** The view after every event. */
  views: ExecutionView[];
  /** The last view with the review list (all pending). */
  reviewing: ExecutionView;
  changeSet: ChangeSet;
}

export async function recordedExecution(): Promise<RecordedExecution> {
  const workspace = MemoryWorkspace.of({ 'src/a.txt': numbered, 'src/b.txt': 'b\n' });
  const client = new ScriptedClient([
    { text: 'Reading the files first.', toolCalls: [call('read_file', { path: 'src/a.txt', startLine: 1, endLine: 10 }, 'r1')] },
    { toolCalls: [call('run_command', { command: 'npm test' }, 'cmd1'), call('run_command', { command: 'rm -rf /' }, 'cmd2')] },
    {
      toolCalls: [
        call('propose_edit', { path: 'src/a.txt', edits: [{ search: 'line 2\n', replace: 'LINE <b>TWO</b>\n' }, { search: 'line 18\n', replace: 'line 18\nline 18.5\n' }] }, 'e1'),
        call('propose_edit', { path: 'src/b.txt', content: 'b <script>window.__pwned = 3</script>\n' }, 'e2'),
        call('create_file', { path: 'src/new.txt', content: 'new\n' }, 'e3'),
      ],
    },
    { toolCalls: [call('finish', { summary: hostileSummary }, 'f1')] },
  ]);
  // The first command is approved once, the second denied.
  let answers = 0;
  const approver = { trusted: true, approve: () => Promise.resolve(answers++ === 0 ? ('once' as const) : ('deny' as const)) };
  const events: AgentEvent[] = [];
  const result = await runAgent({
    task: 'shout',
    plan: 'plan',
    client,
    nativeTools: true,
    workspace,
    shell: new RecordingShell(),
    approver,
    clock: fixedClock,
    calls: new CollectingSink(),
    auctionId: 'auction_1',
    onEvent: (e) => events.push(e),
  });
  let view = emptyExecutionView({ runId: 'run_1', auctionId: 'auction_1', bidId: 'bid_1', modelId: 'small', startedAt: '2026-01-01T00:00:00.000Z' });
  const views = events.map((e) => (view = applyAgentEvent(view, e)));
  const reviewing: ExecutionView = { ...view, files: reviewFiles(result.changeSet.files()), review: 'reviewing' };
  return { events, views, reviewing, changeSet: result.changeSet };
}
