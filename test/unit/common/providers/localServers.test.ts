import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectedToSpecs, detectLocalServers, isLoopbackUrl, type HttpProbe } from '../../../../src/common/providers/localServers';

/** A probe answering from a table of URLs; anything else is a closed port. */
function tableProbe(answers: Record<string, { status: number; body: string } | 'throw'>): HttpProbe & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    get: (url) => {
      asked.push(url);
      const a = answers[url];
      return a === 'throw' ? Promise.reject(new Error('boom')) : Promise.resolve(a);
    },
  };
}

describe('local server detection', () => {
  it('probes the four default ports and keeps the ones that list models', async () => {
    const probe = tableProbe({
      'http://127.0.0.1:11434/v1/models': { status: 200, body: JSON.stringify({ object: 'list', data: [{ id: 'qwen3:8b' }, { id: 'llama3.2' }] }) },
      'http://127.0.0.1:1234/v1/models': { status: 200, body: '<html>not an API</html>' },
      'http://127.0.0.1:8080/v1/models': 'throw',
      'http://127.0.0.1:8000/v1/models': { status: 401, body: '{}' },
    });
    const found = await detectLocalServers(probe);
    assert.deepEqual(probe.asked.sort(), ['http://127.0.0.1:11434/v1/models', 'http://127.0.0.1:1234/v1/models', 'http://127.0.0.1:8000/v1/models', 'http://127.0.0.1:8080/v1/models'].sort());
    assert.deepEqual(found.map((f) => [f.kind.name, f.models]), [['Ollama', ['qwen3:8b', 'llama3.2']]]);
  });

  it('offers detected models as free local pool members, skipping ids already configured', () => {
    const specs = detectedToSpecs([{ kind: { name: 'Ollama', slug: 'ollama', port: 11434 }, baseUrl: 'http://127.0.0.1:11434/v1', models: ['a', 'b'] }], new Set(['ollama/a']));
    assert.equal(specs.length, 1);
    assert.deepEqual(specs[0], {
      id: 'ollama/b',
      provider: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'b',
      price: { inputPerMTok: 0, outputPerMTok: 0, source: 'local' },
      roles: ['bidder', 'juror', 'executor'],
      enabled: false,
      local: true,
    });
  });

  it('knows loopback URLs', () => {
    assert.equal(isLoopbackUrl('http://localhost:1234/v1'), true);
    assert.equal(isLoopbackUrl('http://[::1]:8000/v1'), true);
    assert.equal(isLoopbackUrl('https://api.openai.com/v1'), false);
    assert.equal(isLoopbackUrl('not a url'), false);
  });
});
