import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CapabilityCache, capabilityKey } from '../../../../src/common/providers/capabilities';
import type { ModelCapabilities } from '../../../../src/common/providers/types';

const spec = { provider: 'openai-compatible' as const, baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen3:8b' };
const caps = (probedAt: string): ModelCapabilities => ({ streaming: true, tools: true, structuredOutput: false, logprobs: true, embeddings: false, probedAt });

describe('CapabilityCache', () => {
  it('probes once even when asked concurrently, and stores the result', async () => {
    const store = new Map<string, ModelCapabilities>();
    const cache = new CapabilityCache(store, { now: () => Date.parse('2026-01-02T00:00:00Z') });
    let probes = 0;
    const probe = () => (probes++, Promise.resolve(caps('2026-01-01T00:00:00Z')));
    const [a, b] = await Promise.all([cache.get(spec, probe), cache.get(spec, probe)]);
    assert.equal(probes, 1);
    assert.deepEqual(a, b);
    assert.deepEqual(store.get(capabilityKey(spec)), a);
    await cache.get(spec, probe);
    assert.equal(probes, 1);
  });

  it('probes again when the result is stale, when forced, or after a failed probe', async () => {
    const store = new Map<string, ModelCapabilities>([[capabilityKey(spec), caps('2025-01-01T00:00:00Z')]]);
    const cache = new CapabilityCache(store, { now: () => Date.parse('2026-01-01T00:00:00Z'), maxAgeMs: 24 * 3600 * 1000 });
    assert.equal(cache.peek(spec), undefined);
    let probes = 0;
    await cache.get(spec, () => (probes++, Promise.resolve(caps('2026-01-01T00:00:00Z'))));
    await cache.get(spec, () => (probes++, Promise.resolve(caps('2026-01-01T00:00:00Z'))), true);
    assert.equal(probes, 2);
    const other = { ...spec, model: 'other' };
    await assert.rejects(cache.get(other, () => Promise.reject(new Error('down'))));
    assert.equal(cache.peek(other), undefined);
  });

  it('keys by endpoint and model, so the same name on another server is probed apart', () => {
    assert.notEqual(capabilityKey(spec), capabilityKey({ ...spec, baseUrl: 'http://127.0.0.1:1234/v1' }));
  });
});
