import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import type { LoopbackScript } from '../../../fixtures/loopback/types';

const post = async (url: string, body: unknown) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

describe('loopback server fixture', () => {
  it('answers float embeddings when asked for floats', async () => {
    const s = await LoopbackServer.start({ models: { emb: [{ kind: 'embedding', vectors: [[0.1, 0.2]] }] } });
    try {
      const r = await post(`${s.openaiBaseUrl}/embeddings`, { model: 'emb', input: ['x'], encoding_format: 'float' });
      assert.deepEqual((r.json.data as { embedding: unknown }[])[0]?.embedding, [0.1, 0.2]);
    } finally {
      await s.close();
    }
  });

  it('says plainly when a model has no scripted reply', async () => {
    const s = await LoopbackServer.start();
    try {
      const r = await post(`${s.openaiBaseUrl}/chat/completions`, { model: 'nobody', messages: [] });
      assert.equal(r.status, 404);
      assert.match(JSON.stringify(r.json), /no scripted reply for model nobody/);
    } finally {
      await s.close();
    }
  });

  it('runs as a separate process from a script file, prints its port and takes more script over HTTP', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopback-'));
    const file = path.join(dir, 'script.json');
    const script: LoopbackScript = { models: { 'a-model': [{ kind: 'chat', text: 'from file' }] }, listModels: ['listed'] };
    fs.writeFileSync(file, JSON.stringify(script));
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/loopback/cli.ts', '--script', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const { url, openaiBaseUrl } = JSON.parse(line) as { url: string; openaiBaseUrl: string };
      const first = await post(`${openaiBaseUrl}/chat/completions`, { model: 'a-model', messages: [] });
      assert.equal((first.json.choices as { message: { content: string } }[])[0]?.message.content, 'from file');
      await post(`${url}/__loopback`, { action: 'script', script: { default: { kind: 'chat', text: 'posted default' } } });
      const second = await post(`${url}/v1/messages`, { model: 'other', max_tokens: 5, messages: [] });
      assert.deepEqual(second.json.content, [{ type: 'text', text: 'posted default' }]);
      const models = (await (await fetch(`${openaiBaseUrl}/models`)).json()) as { data: { id: string }[] };
      assert.deepEqual(models.data.map((m) => m.id).sort(), ['a-model', 'listed']);
      const recorded = await post(`${url}/__loopback`, { action: 'requests' });
      assert.deepEqual((recorded.json.requests as { path: string }[]).map((r) => r.path), ['/v1/chat/completions', '/v1/messages', '/v1/models']);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
