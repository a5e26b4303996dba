import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { embeddingLine } from '../../../../src/common/memory/auctionMemory';
import { MemoryLine } from '../../../../src/common/memory/records';
import { REDACTED, TeamMemoryLeakError, assertTeamSafe, redactSecrets, sanitizeForTeam } from '../../../../src/common/memory/sanitize';
import { auction, outcome } from './builders';

describe('redactSecrets', () => {
  it('removes credentials of the usual shapes and keeps the rest of the text', () => {
    const cases = [
      'use sk-proj-abcdefghijklmnop1234 for the call',
      'the key sk-ant-api03-ABCDEFGHIJKLMNOPQRSTUV is set',
      'AWS AKIAIOSFODNN7EXAMPLE here',
      'token ghp_0123456789abcdefghijABCDEFGHIJ',
      'Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345',
      'api_key = "hunter2hunter2"',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----',
    ];
    for (const c of cases) {
      const r = redactSecrets(c);
      assert.ok(r.includes(REDACTED), c);
      assert.doesNotMatch(r, /abcdefghijklmnop1234|ABCDEFGHIJKLMNOPQRSTUV|AKIAIOSFODNN7EXAMPLE|ghp_0|abcdefghijklmnopqrstuvwxyz012345|hunter2|MIIEow/);
    }
    assert.equal(redactSecrets('Add a retry to fetchUser; keep the token refresh logic'), 'Add a retry to fetchUser; keep the token refresh logic');
    assert.equal(redactSecrets('password: swordfish99 and secret=Zm9vYmFyYmF6cXV4'), `password: ${REDACTED} and secret=${REDACTED}`);
  });

  it('leaves code and prose that only look like assignments of secrets alone', () => {
    const kept = [
      'token = getToken()',
      'const token = getTokenFromEnvironment();',
      'interface Cfg { apiKey: string; token: string }',
      'Add a `password: hashed` field',
      "apiKey: config.get('key')",
      'token: cfg.accessToken',
      'secret = secrets[index]',
      '"token": "${TOKEN}"',
      'Use sk-learn-compatible-estimators-here',
      'a CSS variable --sk-primary-color-for-the-theme',
    ];
    for (const k of kept) assert.equal(redactSecrets(k), k, k);
    // Prose about the PEM format keeps its words; a real key block goes whole.
    assert.equal(redactSecrets('Fix the parser for -----BEGIN PRIVATE KEY----- blocks. Then add tests.'), `Fix the parser for ${REDACTED} blocks. Then add tests.`);
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----';
    assert.equal(redactSecrets(`key:\n${pem}\nafter`), `key:\n${REDACTED}\nafter`);
  });
});

describe('sanitizeForTeam', () => {
  const full = auction('a1', 'Rotate the key sk-live-0123456789abcdefXYZ in config', 'big', ['small'], {
    contextFiles: ['src/secret.ts', '.env'],
    execution: { status: 'completed', summary: 'Changed const KEY = "..." in src/secret.ts', filesChanged: 2, turns: 5 },
  });

  it('keeps task, plans, scores and outcome, and drops context files, the agent summary and credentials', () => {
    const shared = sanitizeForTeam(full);
    assert.ok(shared && shared.kind === 'auction');
    assert.deepEqual(shared.contextFiles, []);
    assert.deepEqual(shared.execution, { status: 'completed', filesChanged: 2, turns: 5 });
    assert.equal(shared.task, `Rotate the key ${REDACTED} in config`);
    assert.deepEqual(shared.bids.map((b) => [b.modelId, b.score, b.won, b.jury]), full.bids.map((b) => [b.modelId, b.score, b.won, b.jury]));
    assert.doesNotThrow(() => assertTeamSafe(shared));
    assert.ok(MemoryLine.safeParse(shared).success);
  });

  it('drops test output but keeps the verdict, and never shares vectors', () => {
    const shared = sanitizeForTeam(outcome('a1', { type: 'tests', passed: false, command: 'npm test', output: 'FAIL src/secret.test.ts: expected "abc"' }));
    assert.ok(shared?.kind === 'outcome');
    assert.deepEqual(shared.fact, { type: 'tests', passed: false, command: 'npm test' });
    assert.equal(sanitizeForTeam(embeddingLine('a1', 'm', [1, 2])), undefined);
  });

  it('refuses, on its own, any line still carrying private data or an unvetted field', () => {
    assert.throws(() => assertTeamSafe(full), TeamMemoryLeakError);
    assert.throws(() => assertTeamSafe(embeddingLine('a1', 'm', [1])), TeamMemoryLeakError);
    assert.throws(() => assertTeamSafe(outcome('a1', { type: 'tests', passed: true, output: 'log' })), TeamMemoryLeakError);
    const extra = { ...sanitizeForTeam(full), fileContents: 'x' } as unknown as MemoryLine;
    assert.throws(() => assertTeamSafe(extra), /fileContents/);
  });

  it('makes every valid auction line team-safe (property)', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('sk-abcdefghijklmnopqrstu', 'password: swordfish99', 'ghp_abcdefghijklmnopqrstuvwxyz'));
    fc.assert(
      fc.property(text, fc.array(text, { maxLength: 3 }), fc.array(fc.string(), { maxLength: 3 }), fc.option(fc.string()), (task, plans, files, summary) => {
        const a = auction('p', task, 'big', plans.map((_, i) => `m${i}`), {
          contextFiles: files,
          ...(summary !== null ? { execution: { status: 'completed' as const, summary } } : {}),
        });
        a.bids.forEach((b, i) => (b.plan = plans[i - 1] ?? b.plan));
        const shared = sanitizeForTeam(a);
        assert.ok(shared);
        assertTeamSafe(shared);
        assert.ok(MemoryLine.safeParse(shared).success);
      }),
    );
  });
});
