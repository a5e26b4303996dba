import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentEvent } from '../../../../src/common/agent/events';
import { runAgent, type AgentRunInput } from '../../../../src/common/agent/loop';
import { CancelledError } from '../../../../src/common/errors';
import { emptyUsage } from '../../../../src/common/providers/types';
import { collectingLogger } from '../../node/providers/support';
import { call, CollectingSink, FixedApprover, fixedClock, MemoryWorkspace, RecordingShell, ScriptedClient, testSpec, type ScriptStep } from './fakes';

function setup(script: ScriptStep[], overrides: Partial<AgentRunInput> = {}) {
  const client = new ScriptedClient(script);
  const workspace = MemoryWorkspace.of({ 'src/a.ts': 'const x = 1;\nexport { x };\n', 'README.md': '# demo\n' });
  const shell = new RecordingShell();
  const approver = new FixedApprover(true, 'once');
  const sink = new CollectingSink();
  const events: AgentEvent[] = [];
  const input: AgentRunInput = {
    task: 'Make x two',
    plan: '1. Read src/a.ts 2. Change x to 2',
    client,
    nativeTools: true,
    workspace,
    shell,
    approver,
    clock: fixedClock,
    calls: sink,
    auctionId: 'auc-1',
    onEvent: (e) => events.push(e),
    ...overrides,
  };
  return { client, workspace, shell, approver, sink, events, input };
}

describe('runAgent', () => {
  it('follows tool calls, stages the edit and finishes with a summary', async () => {
    const t = setup([
      { toolCalls: [call('read_file', { path: 'src/a.ts' }, 'r1')] },
      { toolCalls: [call('propose_edit', { path: 'src/a.ts', edits: [{ search: 'const x = 1;', replace: 'const x = 2;' }] }, 'e1')] },
      { toolCalls: [call('finish', { summary: 'x is now 2' }, 'f1')] },
    ]);
    const r = await runAgent(t.input);
    assert.deepEqual(r.outcome, { status: 'finished', summary: 'x is now 2' });
    assert.equal(r.steps, 3);
    assert.equal(r.changeSet.file('src/a.ts').proposedContent, 'const x = 2;\nexport { x };\n');
    // Nothing was written to the workspace.
    assert.equal(t.workspace.files.get('src/a.ts'), 'const x = 1;\nexport { x };\n');
    // The plan is the roadmap in the system prompt; the read result went back as a tool message.
    assert.match(t.client.requests[0]?.system ?? '', /Change x to 2/);
    assert.equal(t.client.requests[0]?.tools?.length, 8);
    // The run reasons at the provider's default: the auction's reasoning effort is for bids and the jury only.
    assert.ok(t.client.requests.every((q) => !('reasoningEffort' in q)));
    const toolMsg = t.client.requests[1]?.messages.find((m) => m.role === 'tool');
    assert.ok(toolMsg && toolMsg.role === 'tool' && toolMsg.toolCallId === 'r1' && toolMsg.content.includes('const x = 1;'));
    // Every call reached the ledger sink as an execution call with dollars from the price.
    assert.equal(t.sink.calls.length, 3);
    assert.ok(t.sink.calls.every((c) => c.phase === 'execution' && c.auctionId === 'auc-1' && c.ok));
    assert.equal(t.sink.calls[0]?.dollars, (100 * 1 + 10 * 2) / 1e6);
    assert.ok(Math.abs((r.dollars ?? 0) - 3 * 120e-6) < 1e-12);
    const types = t.events.map((e) => e.type);
    for (const ty of ['stepStarted', 'toolCall', 'fileRead', 'editStaged', 'usage', 'finished']) assert.ok(types.includes(ty as AgentEvent['type']), ty);
    // Events are plain data.
    assert.deepEqual(JSON.parse(JSON.stringify(t.events)), t.events);
  });

  it('stops at the step limit', async () => {
    const t = setup(Array.from({ length: 10 }, () => ({ toolCalls: [call('list_dir', {})] })), { limits: { maxSteps: 3 } });
    const r = await runAgent(t.input);
    assert.deepEqual(r.outcome, { status: 'limit', limit: 'steps' });
    assert.equal(t.client.requests.length, 3);
  });

  it('stops at the token limit', async () => {
    // 2100 tokens a call. Before each call the loop checks that the call's worst case (its input bound plus at
    // least 256 tokens of output) fits what is left of the 10000; it stops before the call that would not fit.
    const t = setup(Array.from({ length: 10 }, () => ({ toolCalls: [call('list_dir', {})], inputTokens: 2000, outputTokens: 100 })), {
      limits: { maxTotalTokens: 10_000 },
    });
    const r = await runAgent(t.input);
    assert.deepEqual(r.outcome, { status: 'limit', limit: 'tokens' });
    assert.ok(r.steps >= 2 && r.totalTokens <= 10_000, `${r.steps} steps, ${r.totalTokens} tokens`);
    assert.ok(t.client.requests.every((q) => q.maxTokens !== undefined && q.maxTokens >= 256));
  });

  it('stops at the dollar limit', async () => {
    // 1000 in x $1/M + 500 out x $2/M = $0.002 per call.
    const t = setup(Array.from({ length: 10 }, () => ({ toolCalls: [call('list_dir', {})], inputTokens: 1000, outputTokens: 500 })), {
      limits: { maxDollars: 0.005 },
    });
    const r = await runAgent(t.input);
    assert.deepEqual(r.outcome, { status: 'limit', limit: 'dollars' });
    // Two calls ($0.004); the third's worst case (input bound + a lowered cap) no longer fits the $0.001 left.
    assert.equal(r.steps, 2);
    assert.ok((r.dollars ?? 0) <= 0.005);
  });

  it('reports the run\'s cost as unknown, not as a smaller sum, once a priced model reports no usage', async () => {
    const logger = collectingLogger();
    const t = setup(
      [
        { toolCalls: [call('list_dir', {})] },
        { toolCalls: [call('list_dir', {})], unreported: true },
        { toolCalls: [call('finish', { summary: 'done' })] },
      ],
      { logger },
    );
    const r = await runAgent(t.input);
    assert.equal(r.outcome.status, 'finished');
    assert.equal(r.dollars, undefined);
    assert.equal(r.usage.unreported, true);
    assert.deepEqual(t.sink.calls.map((c) => c.dollars), [120e-6, undefined, 120e-6]);
    const usage = t.events.flatMap((e) => (e.type === 'usage' ? [[e.dollars, e.priceKnown]] : []));
    assert.deepEqual(usage, [[120e-6, true], [null, false], [null, false]]);
    assert.equal(logger.lines.filter((l) => /did not report token usage: the run's cost is unknown/.test(l)).length, 1, 'said once');
  });

  it('still stops at the dollar limit on the calls that reported usage', async () => {
    // $0.002 per reported call; every other call reports nothing. After the known $0.004 (calls 1 and 3), the
    // worst case of a fourth call no longer fits the $0.005 limit.
    const steps = Array.from({ length: 10 }, (_, i) => ({ toolCalls: [call('list_dir', {})], inputTokens: 1000, outputTokens: 500, unreported: i % 2 === 1 }));
    const r = await runAgent(setup(steps, { limits: { maxDollars: 0.005 } }).input);
    assert.deepEqual(r.outcome, { status: 'limit', limit: 'dollars' });
    assert.equal(r.steps, 3);
    assert.equal(r.dollars, undefined);
  });

  it('keeps a free model at $0 whether or not it reports usage', async () => {
    const client = new ScriptedClient([{ toolCalls: [call('list_dir', {})], unreported: true }, { toolCalls: [call('finish', { summary: 'done' })] }], {
      ...testSpec,
      price: { inputPerMTok: 0, outputPerMTok: 0, source: 'local' },
    });
    const r = await runAgent(setup([], { client }).input);
    assert.equal(r.dollars, 0);
  });

  it('answers a malformed tool call with an error result and carries on', async () => {
    const t = setup([
      { toolCalls: [call('read_file', '{"path": "src/a.ts"', 'bad1')] },
      { toolCalls: [call('read_file', { startLine: 'x' }, 'bad2'), call('no_such_tool', {}, 'bad3')] },
      { toolCalls: [call('finish', { summary: 'gave up politely' })] },
    ]);
    const r = await runAgent(t.input);
    assert.equal(r.outcome.status, 'finished');
    const second = t.client.requests[1]?.messages.at(-1);
    assert.ok(second?.role === 'tool' && second.isError === true && /not valid JSON/.test(second.content));
    const third = t.client.requests[2]?.messages.slice(-2);
    assert.ok(third?.every((m) => m.role === 'tool' && m.isError === true));
    assert.match(third?.[1]?.role === 'tool' ? third[1].content : '', /Unknown tool/);
  });

  it('parses text-format tool calls for models without native tools', async () => {
    const edit = [
      'I will change it.',
      '```xml',
      '<tool name="propose_edit">',
      '<path>src/a.ts</path>',
      '<search>',
      'const x = 1;',
      '</search>',
      '<replace>',
      'const x = 2;',
      '</replace>',
      '</tool>',
      '```',
    ].join('\n');
    const t = setup([{ text: edit }, { text: "<tool name='finish'><summary>done</summary></tool>" }], { nativeTools: false });
    const r = await runAgent(t.input);
    assert.deepEqual(r.outcome, { status: 'finished', summary: 'done' });
    assert.equal(r.changeSet.file('src/a.ts').proposedContent, 'const x = 2;\nexport { x };\n');
    assert.equal(t.client.requests[0]?.tools, undefined);
    assert.match(t.client.requests[0]?.system ?? '', /<tool name="read_file">/);
    const result = t.client.requests[1]?.messages.at(-1);
    assert.ok(result?.role === 'user' && result.content.includes('<tool_result name="propose_edit" status="ok">'));
  });

  it('answers a malformed text-format call with an error block instead of finishing', async () => {
    const t = setup([{ text: '<tool name="read_file">{"path": </tool>' }, { text: '<tool name="finish"><summary>ok</summary></tool>' }], { nativeTools: false });
    const r = await runAgent(t.input);
    assert.deepEqual(r.outcome, { status: 'finished', summary: 'ok' });
    const feedback = t.client.requests[1]?.messages.at(-1);
    assert.ok(feedback?.role === 'user' && /not valid JSON/.test(feedback.content));
  });

  it('sends a search/replace miss back to the model as an error', async () => {
    const t = setup([
      { toolCalls: [call('propose_edit', { path: 'src/a.ts', edits: [{ search: 'const y = 1;', replace: 'z' }] }, 'e1')] },
      { toolCalls: [call('finish', { summary: 'ok' })] },
    ]);
    const r = await runAgent(t.input);
    assert.equal(r.changeSet.has('src/a.ts'), false);
    const msg = t.client.requests[1]?.messages.at(-1);
    assert.ok(msg?.role === 'tool' && msg.isError && /not found/.test(msg.content));
  });

  it('runs no command in an untrusted workspace and never asks', async () => {
    const approver = new FixedApprover(false, 'once');
    const t = setup([{ toolCalls: [call('run_command', { command: 'npm test' })] }, { toolCalls: [call('finish', { summary: 's' })] }], { approver });
    await runAgent(t.input);
    assert.equal(t.shell.ran.length, 0);
    assert.equal(approver.asked.length, 0);
    const msg = t.client.requests[1]?.messages.at(-1);
    assert.ok(msg?.role === 'tool' && msg.isError && /not trusted/.test(msg.content));
  });

  it('does not run a denied command', async () => {
    const approver = new FixedApprover(true, 'deny');
    const t = setup([{ toolCalls: [call('run_command', { command: 'rm -rf build' })] }, { toolCalls: [call('finish', { summary: 's' })] }], { approver });
    await runAgent(t.input);
    assert.deepEqual(approver.asked, ['rm -rf build']);
    assert.equal(t.shell.ran.length, 0);
    assert.ok(t.events.some((e) => e.type === 'commandAwaitingApproval'));
    assert.ok(t.events.some((e) => e.type === 'commandDenied' && e.reason === 'user'));
  });

  it('runs a command only on an explicit yes: any other answer (undefined, "no", "Deny", "") is a denial', async () => {
    for (const answer of [undefined, null, 'no', 'Deny', 'DENY', 'yes', '', 'once ', {}]) {
      const approver = new FixedApprover(true, answer as 'once');
      const t = setup([{ toolCalls: [call('run_command', { command: 'rm -rf build' })] }, { toolCalls: [call('finish', { summary: 's' })] }], { approver });
      await runAgent(t.input);
      assert.deepEqual(approver.asked, ['rm -rf build']);
      assert.equal(t.shell.ran.length, 0, `answer ${JSON.stringify(answer)} must not run the command`);
      assert.ok(t.events.some((e) => e.type === 'commandDenied' && e.reason === 'user'));
    }
  });

  it('asks once for a command approved "always"', async () => {
    const approver = new FixedApprover(true, 'always');
    const run = call('run_command', { command: 'npm test' });
    const t = setup([{ toolCalls: [run] }, { toolCalls: [{ ...run, id: 'again' }] }, { toolCalls: [call('finish', { summary: 's' })] }], { approver });
    await runAgent(t.input);
    assert.equal(approver.asked.length, 1);
    assert.equal(t.shell.ran.length, 2);
  });

  it('is cancelled mid-run: during a tool call, and the model call is not repeated', async () => {
    const controller = new AbortController();
    const approver = {
      trusted: true,
      approve: async () => {
        controller.abort(); // the user cancels while the approval prompt is open
        await Promise.resolve();
        return 'once' as const;
      },
    };
    const t = setup([{ toolCalls: [call('run_command', { command: 'make' })] }, { toolCalls: [call('finish', { summary: 'never' })] }], {
      approver,
      signal: controller.signal,
    });
    const r = await runAgent(t.input);
    assert.deepEqual(r.outcome, { status: 'cancelled' });
    assert.equal(t.shell.ran.length, 0);
    assert.equal(t.client.requests.length, 1);
    assert.equal(t.events.at(-1)?.type, 'cancelled');
  });

  it('is cancelled during a model call and records the failed call', async () => {
    const controller = new AbortController();
    const t = setup(
      [
        () => {
          controller.abort();
          throw new CancelledError();
        },
      ],
      { signal: controller.signal },
    );
    const r = await runAgent(t.input);
    assert.deepEqual(r.outcome, { status: 'cancelled' });
    assert.equal(t.sink.calls.length, 1);
    assert.equal(t.sink.calls[0]?.ok, false);
  });

  it('fails (without throwing) when the model errors', async () => {
    const t = setup([
      () => {
        throw new Error('connection reset');
      },
    ]);
    const r = await runAgent(t.input);
    assert.equal(r.outcome.status, 'failed');
    assert.deepEqual(t.sink.calls[0]?.usage, emptyUsage());
  });

  it('nudges a reply without tool calls, then takes a second one as the summary', async () => {
    const t = setup([{ text: 'Thinking about it.' }, { text: 'All done: x is 2.' }]);
    const r = await runAgent(t.input);
    assert.deepEqual(r.outcome, { status: 'finished', summary: 'All done: x is 2.' });
    const nudge = t.client.requests[1]?.messages.at(-1);
    assert.ok(nudge?.role === 'user' && /No tool call/.test(nudge.content));
  });

  it('shows the agent its own staged text when it re-reads an edited file', async () => {
    const t = setup([
      { toolCalls: [call('create_file', { path: 'src/b.ts', content: 'export const b = 1;\n' })] },
      { toolCalls: [call('read_file', { path: 'src/b.ts' }, 'rb')] },
      { toolCalls: [call('finish', { summary: 's' })] },
    ]);
    await runAgent(t.input);
    const msg = t.client.requests[2]?.messages.at(-1);
    assert.ok(msg?.role === 'tool' && msg.content.includes('export const b = 1;') && /staged version/.test(msg.content));
  });

  it('refuses paths outside the workspace or in .git with an error result', async () => {
    const t = setup([
      { toolCalls: [call('read_file', { path: '../secret' }), call('read_file', { path: '/etc/passwd' }), call('create_file', { path: '.git/hooks/pre-commit', content: 'x' })] },
      { toolCalls: [call('finish', { summary: 's' })] },
    ]);
    const r = await runAgent(t.input);
    const results = t.client.requests[1]?.messages.filter((m) => m.role === 'tool') ?? [];
    assert.equal(results.length, 3);
    assert.ok(results.every((m) => m.role === 'tool' && m.isError && /Path refused/.test(m.content)));
    assert.equal(r.changeSet.files().length, 0);
  });
});
