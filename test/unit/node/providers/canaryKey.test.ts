import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { toCallRecord } from '../../../../src/common/providers/callRecord';
import { createModelClient } from '../../../../src/node/providers/createModelClient';
import type { ModelSpec } from '../../../../src/common/providers/types';
import { LoopbackServer } from '../../../fixtures/loopback/server';
import type { Reply } from '../../../fixtures/loopback/types';
import { anthropicSpec, collectingLogger, noRetry, openaiSpec, recordingClock } from './support';

// No provider-like prefix, so only exact redaction of the key in use can hide it (the shape-based net cannot).
const CANARY = 'canary7f3a9c1e5b2d4a60e8';

/** Faults whose replies echo the key back, as real providers partly do ("Incorrect API key provided: …"). */
const faults: { name: string; reply: Reply; stream: boolean }[] = [
  { name: '401 echoing the key', reply: { kind: 'error', status: 401, message: `Incorrect API key provided: ${CANARY}` }, stream: false },
  { name: '500 echoing the key', reply: { kind: 'error', status: 500, message: `upstream said ${CANARY}` }, stream: false },
  { name: '429 echoing the key', reply: { kind: 'error', status: 429, message: `key ${CANARY} over quota`, headers: { 'retry-after': '999' } }, stream: false },
  { name: 'stream error event echoing the key', reply: { kind: 'stream-error', reply: { kind: 'chat', text: 'a b' }, message: `bad key ${CANARY}` }, stream: true },
  { name: 'malformed stream line holding the key', reply: { kind: 'malformed-json', text: `{"broken": "${CANARY}` }, stream: true },
  { name: 'non-JSON 200 holding the key', reply: { kind: 'non-json', body: `<html>${CANARY}</html>` }, stream: false },
];

describe('a canary API key never leaks', () => {
  let server: LoopbackServer;
  before(async () => {
    server = await LoopbackServer.start();
  });
  after(() => server.close());

  const makers = [
    { provider: 'openai', make: (s: LoopbackServer) => openaiSpec(s.openaiBaseUrl) },
    { provider: 'anthropic', make: (s: LoopbackServer) => anthropicSpec(s.url) },
  ];
  for (const { provider, make } of makers) {
    for (const f of faults) {
      it(`${f.name} (${provider})`, async () => {
        server.reset();
        server.setDefault(f.reply);
        const logger = collectingLogger();
        const spec: ModelSpec = make(server);
        const client = createModelClient(spec, () => Promise.resolve(CANARY), { logger, retry: noRetry, clock: recordingClock() });
        const error = await client.chat({ messages: [{ role: 'user', content: 'x' }], ...(f.stream ? { onText: () => undefined } : {}) }).catch((e: unknown) => e);
        assert.ok(error instanceof Error);
        // The key really went over the wire, so the test would see a leak if there were one.
        assert.equal(server.requests[0]?.headers.authorization, `Bearer ${CANARY}`);
        const surfaces = [
          error.message,
          String(error.stack),
          JSON.stringify(error),
          inspect(error, { depth: 10, showHidden: true }),
          JSON.stringify(toCallRecord(spec, { phase: 'probe' }, { error })),
          ...logger.lines,
        ];
        for (const text of surfaces) assert.ok(!text.includes(CANARY), `leaked in: ${text.slice(0, 300)}`);
      });
    }
  }
});
