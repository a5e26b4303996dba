// The agent's spend under a hostile server: one that always generates as much as it may (or, without a cap,
// a huge reply). Every call must carry a cap, and before each call the loop checks that the call's worst case
// fits what is left of the run's dollar and token limits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runAgent, type AgentRunInput } from '../../../../src/common/agent/loop';
import { emptyUsage, type ChatRequest, type ChatResponse, type ModelSpec } from '../../../../src/common/providers/types';
import { call, CollectingSink, FixedApprover, fixedClock, MemoryWorkspace, RecordingShell, ScriptedClient, testSpec } from './fakes';

/** What a server without a cap produced in the measurement (2.6 million tokens). */
const UNCAPPED_OUTPUT = 2_600_000;

const pricey: ModelSpec = { ...testSpec, price: { inputPerMTok: 3, outputPerMTok: 15, source: 'settings' } };

/** Characters of everything a request sends (what a tokenizer would see). */
function requestChars(r: ChatRequest): number {
  return (r.system ?? '').length + r.messages.reduce((n, m) => n + m.content.length + JSON.stringify('toolCalls' in m ? (m.toolCalls ?? []) : []).length, 0) + JSON.stringify(r.tools ?? []).length;
}

/** A hostile model: always uses the whole cap (or a huge reply without one), keeps reading a file so the run goes on. */
function hostile(request: ChatRequest): ChatResponse {
  const outputTokens = request.maxTokens ?? UNCAPPED_OUTPUT;
  return {
    text: '',
    toolCalls: [call('read_file', { path: 'big.txt' })],
    finishReason: 'tool_calls',
    usage: { ...emptyUsage(), inputTokens: Math.ceil(requestChars(request) / 4), outputTokens },
    latencyMs: 1,
    model: 'm',
  };
}

function run(limits: AgentRunInput['limits'], spec: ModelSpec = pricey) {
  const client = new ScriptedClient(Array.from({ length: 60 }, () => hostile), spec);
  const sink = new CollectingSink();
  const input: AgentRunInput = {
    task: 'Summarise big.txt',
    plan: '1. Read big.txt',
    client,
    nativeTools: true,
    workspace: MemoryWorkspace.of({ 'big.txt': 'lorem ipsum dolor sit amet\n'.repeat(400) }),
    shell: new RecordingShell(),
    approver: new FixedApprover(true, 'deny'),
    clock: fixedClock,
    calls: sink,
    limits,
  };
  return { client, sink, result: runAgent(input) };
}

describe('agent output caps and worst-case checks', () => {
  it('every call carries an output cap by default, never above the model’s own maximum', async () => {
    const a = run({ maxSteps: 3 });
    await a.result;
    assert.ok(a.client.requests.length === 3 && a.client.requests.every((r) => typeof r.maxTokens === 'number' && r.maxTokens > 0));
    const b = run({ maxSteps: 2 }, { ...pricey, maxOutputTokens: 1000 });
    await b.result;
    assert.ok(b.client.requests.every((r) => r.maxTokens !== undefined && r.maxTokens <= 1000));
  });

  it('a dollar limit holds against a model that always generates its whole cap', async () => {
    for (const maxDollars of [0.01, 0.05, 0.5]) {
      const { result, sink } = run({ maxDollars, maxSteps: 60 });
      const r = await result;
      const spent = sink.calls.reduce((n, c) => n + (c.dollars ?? 0), 0);
      console.log(`maxDollars $${maxDollars}: ${sink.calls.length} calls, spent $${spent.toFixed(4)}, outcome ${JSON.stringify(r.outcome)}`);
      assert.ok(spent <= maxDollars + 1e-9, `spent $${spent} over the $${maxDollars} limit`);
      assert.deepEqual(r.outcome, { status: 'limit', limit: 'dollars' });
    }
  });

  it('a token limit holds against a model that always generates its whole cap', async () => {
    const { result } = run({ maxTotalTokens: 40_000, maxSteps: 60 });
    const r = await result;
    assert.ok(r.totalTokens <= 40_000, `${r.totalTokens} tokens over the 40000 limit`);
    assert.deepEqual(r.outcome, { status: 'limit', limit: 'tokens' });
  });
});
