// Every model call of every phase carries an output cap on the wire: capability probe, bids, jury, refinement
// and the agent's calls, through the real SDK clients, as the loopback server records the request bodies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runAuction } from '../../../../src/common/auction';
import { runAgent } from '../../../../src/common/agent/loop';
import { FsWorkspace } from '../../../../src/node/agent/fsWorkspace';
import { NodeShell } from '../../../../src/node/agent/shell';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import type { RecordedRequest } from '../../../fixtures/loopback/types';
import { MARKET, marketScript } from '../../../fixtures/market';
import { marketClients } from '../../../fixtures/marketClients';
import { CollectingSink, FixedApprover, fixedClock } from '../../common/agent/fakes';
import { removeTempDirs, tempDir } from '../agent/tempDir';

/** The cap a chat request carries, whichever name its wire format uses; undefined when it carries none. */
function capOf(r: RecordedRequest): number | undefined {
  const body = r.body ?? {};
  const cap = body.max_tokens ?? body.max_completion_tokens;
  return typeof cap === 'number' && cap > 0 ? cap : undefined;
}

describe('output caps on the wire', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await LoopbackServer.start(marketScript());
  });
  after(async () => {
    await server?.close();
    await removeTempDirs();
  });

  it('probe, bid, jury and agent requests of all three wire formats all carry max_tokens / max_completion_tokens', async () => {
    const { clients, capabilities } = await marketClients(server);
    const result = await runAuction(
      { auctionId: 'caps-1', task: 'Add input validation to parseConfig and a test for it', pool: MARKET.map((m) => m.id), refinement: { enabled: false } },
      { clients, capabilities: (id) => capabilities.get(id), calls: { record: () => undefined }, now: () => Date.now() },
    );
    assert.equal(result.status, 'completed');
    const root = await tempDir('caps');
    const workspace = await FsWorkspace.open(root);
    for (const client of clients) {
      // Each model, as the winner, runs one agent step that finishes at once.
      server.script(client.spec.model, { kind: 'chat', toolCalls: [{ id: 'f1', name: 'finish', arguments: '{"summary":"done"}' }], usage: { input: 500, output: 20 } });
      const run = await runAgent({
        task: 't',
        plan: 'p',
        client,
        nativeTools: capabilities.get(client.spec.id)?.tools === true,
        workspace,
        shell: new NodeShell({ root }),
        approver: new FixedApprover(true, 'deny'),
        clock: fixedClock,
        calls: new CollectingSink(),
      });
      assert.equal(run.outcome.status, 'finished', JSON.stringify(run.outcome));
    }
    const chats = server.requests.filter((r) => r.api === 'openai-chat' || r.api === 'anthropic-messages');
    const uncapped = chats.filter((r) => capOf(r) === undefined);
    const agentCalls = chats.filter((r) => r.rawBody.includes('"finish"') || r.rawBody.includes('finish('));
    console.log(`chat requests on the wire: ${chats.length}, without an output cap: ${uncapped.length}`);
    assert.ok(agentCalls.length >= 3, 'the agent calls were recorded');
    assert.ok(chats.some((r) => r.api === 'anthropic-messages') && chats.some((r) => r.api === 'openai-chat'));
    assert.deepEqual(
      uncapped.map((r) => `${r.api} ${r.model ?? '?'} ${r.rawBody.slice(0, 80)}`),
      [],
      'every chat request carries an output cap',
    );
    // OpenAI's own API gets max_completion_tokens (its reasoning models reject max_tokens); other
    // OpenAI-format servers (Ollama, LM Studio, llama.cpp, vLLM) get max_tokens, which all of them know.
    for (const r of chats.filter((c) => c.api === 'openai-chat')) {
      const official = r.model === 'gpt-small-loop';
      assert.equal(official ? r.body?.max_completion_tokens !== undefined : r.body?.max_tokens !== undefined, true, `${r.model ?? '?'} cap field`);
    }
  });
});
