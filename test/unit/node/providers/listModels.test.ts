// The live model list of "Add Model…", through the real `openai` and `@anthropic-ai/sdk` clients against the
// loopback server speaking each wire format: a list, pages, an empty list, a rejected key, a server error, a
// closed port, and no key at all.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthenticationError, ConnectionRefusedError, MissingApiKeyError, ServerError } from '../../../../src/common/providers/errors';
import { listModels } from '../../../../src/node/providers/listModels';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import { collectingLogger } from './support';

const KEY = 'sk-list-canary-0b1c2d3e4f';

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('listing an endpoint\'s models through the real SDKs', () => {
  let server: LoopbackServer;
  const logger = collectingLogger();

  before(async () => {
    server = await LoopbackServer.start();
  });
  after(async () => {
    await server.close();
  });

  it('OpenAI wire: GET /v1/models with the key as a bearer token', async () => {
    server.reset();
    server.load({ listModels: ['gpt-4.1-mini', 'gpt-5', 'text-embedding-3-small'] });
    const models = await listModels({ provider: 'openai', baseUrl: server.openaiBaseUrl, local: false, apiKey: KEY, logger });
    assert.deepEqual(models.map((m) => m.id), ['gpt-4.1-mini', 'gpt-5', 'text-embedding-3-small']);
    const req = server.requests.find((r) => r.api === 'models');
    assert.equal(req?.path, '/v1/models');
    assert.equal(req?.headers.authorization, `Bearer ${KEY}`);
  });

  it('Anthropic wire: the SDK follows the pages (after_id) and keeps display names', async () => {
    server.reset();
    const ids = Array.from({ length: 130 }, (_, i) => `claude-loop-${String(i).padStart(3, '0')}`);
    server.load({ listModels: ids });
    const models = await listModels({ provider: 'anthropic', baseUrl: server.url, local: false, apiKey: KEY, logger });
    assert.deepEqual(models.map((m) => m.id), ids);
    assert.equal(models[0]?.displayName, 'Loopback claude-loop-000');
    const pages = server.requests.filter((r) => r.api === 'models');
    assert.equal(pages.length, 2, 'two pages of at most 100');
    assert.ok(pages.every((r) => r.headers['anthropic-version']), 'sent in Anthropic\'s format');
  });

  it('an endpoint that lists nothing gives an empty list, not an error', async () => {
    server.reset();
    assert.deepEqual(await listModels({ provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, local: true, logger }), []);
    assert.deepEqual(await listModels({ provider: 'anthropic', baseUrl: server.url, local: false, apiKey: KEY, logger }), []);
  });

  it('a rejected key (401) is an AuthenticationError whose next step is setting the key; the key is never in the message', async () => {
    for (const provider of ['openai', 'anthropic'] as const) {
      server.reset();
      server.load({ listModelsError: { kind: 'error', status: 401, message: `invalid key ${KEY}` } });
      const baseUrl = provider === 'openai' ? server.openaiBaseUrl : server.url;
      const e = await listModels({ provider, baseUrl, local: false, apiKey: KEY, logger }).then(
        () => assert.fail('should have failed'),
        (err: unknown) => err,
      );
      assert.ok(e instanceof AuthenticationError, `${provider}: ${String(e)}`);
      assert.equal(e.nextStep?.kind, 'setApiKey');
      assert.ok(!e.message.includes(KEY));
    }
  });

  it('a server error (500) is a ServerError that says so', async () => {
    server.reset();
    server.load({ listModelsError: { kind: 'error', status: 500, message: 'database on fire' } });
    await assert.rejects(listModels({ provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, local: true, logger }), (e: unknown) => e instanceof ServerError && /500/.test(e.message) && /database on fire/.test(e.message));
    assert.equal(server.requests.filter((r) => r.api === 'models').length, 1, 'no silent retries: the user decides');
  });

  it('nothing listening at a local URL says which server to start', async () => {
    const baseUrl = `http://127.0.0.1:${await closedPort()}/v1`;
    await assert.rejects(listModels({ provider: 'openai-compatible', baseUrl, local: true, logger }), (e: unknown) => e instanceof ConnectionRefusedError && e.nextStep?.kind === 'startLocalServer');
  });

  it('a remote provider without a key fails before any request', async () => {
    server.reset();
    await assert.rejects(listModels({ provider: 'openai', baseUrl: server.openaiBaseUrl, local: false, logger }), MissingApiKeyError);
    assert.equal(server.requests.length, 0);
  });

  it('cancelling stops the fetch', async () => {
    server.reset();
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(listModels({ provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, local: true, signal: ac.signal, logger }), (e: unknown) => (e as { code?: string }).code === 'cancelled');
  });
});
