import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entryFor, mergePoolScopes, parsePriceInput, priceChoices, proposedId, uniqueId, withAdded, withPatched, withRemoved } from '../../../../src/common/onboarding/poolEdits';
import { baseUrlProblem, keyNeed, PROVIDER_PRESETS, suggestV1, type ProviderPreset } from '../../../../src/common/onboarding/providerPresets';
import { parsePool } from '../../../../src/common/providers/poolSchema';

const preset = (id: ProviderPreset['id']): ProviderPreset => {
  const p = PROVIDER_PRESETS.find((x) => x.id === id);
  assert.ok(p);
  return p;
};

describe('Add Model: providers and base URLs', () => {
  it('offers the eight kinds of endpoint, each speaking a wire format the pool accepts', () => {
    assert.deepEqual(PROVIDER_PRESETS.map((p) => p.name), ['OpenAI', 'Anthropic', 'OpenRouter', 'Ollama', 'LM Studio', 'llama.cpp server', 'vLLM', 'OpenAI-compatible']);
    for (const p of PROVIDER_PRESETS.filter((x) => x.baseUrl)) assert.equal(baseUrlProblem(p.baseUrl), undefined, p.name);
  });

  it('validates base URLs', () => {
    assert.equal(baseUrlProblem('  '), 'empty');
    assert.equal(baseUrlProblem('localhost:11434'), 'not-http');
    assert.equal(baseUrlProblem('ftp://example.com/v1'), 'not-http');
    assert.equal(baseUrlProblem('http://127.0.0.1:8000/v1?x=1'), 'has-query');
    assert.equal(baseUrlProblem('https://my-proxy.example.com/openai/v1/'), undefined);
  });

  it('asks for a key only where one can matter', () => {
    assert.equal(keyNeed(preset('openai'), preset('openai').baseUrl), 'required');
    assert.equal(keyNeed(preset('ollama'), 'http://127.0.0.1:11434/v1'), 'none');
    assert.equal(keyNeed(preset('ollama'), 'http://gpu-box.lan:11434/v1'), 'optional', 'a local kind over the network may sit behind a proxy');
    assert.equal(keyNeed(preset('vllm'), 'http://localhost:8000/v1'), 'none');
    assert.equal(keyNeed(preset('other'), 'https://llm.example.com/v1'), 'optional');
  });

  it('suggests /v1 for an OpenAI-compatible server given by its root', () => {
    assert.equal(suggestV1(preset('other'), 'http://10.0.0.5:8000/'), 'http://10.0.0.5:8000/v1');
    assert.equal(suggestV1(preset('other'), 'http://10.0.0.5:8000/v1'), undefined);
    assert.equal(suggestV1(preset('anthropic'), 'https://api.anthropic.com'), undefined);
  });
});

describe('Add Model: ids, prices and the entry written', () => {
  it('proposes a unique id, prefixed for routers and local servers', () => {
    assert.equal(proposedId(preset('openai'), 'gpt-5-mini', new Set()), 'gpt-5-mini');
    assert.equal(proposedId(preset('ollama'), 'qwen3:8b', new Set(['ollama/qwen3:8b'])), 'ollama/qwen3:8b-2');
    assert.equal(uniqueId('a', new Set(['a', 'a-2'])), 'a-3');
  });

  it('prefills the dated table price when the table knows the model, free for a server on this machine', () => {
    const openai = priceChoices(preset('openai'), 'gpt-4.1-mini-2025-04-14', preset('openai').baseUrl);
    assert.equal(openai.recommended, 'table');
    assert.equal(openai.table?.inputPerMTok, 0.4);
    assert.equal(openai.table?.outputPerMTok, 1.6);
    assert.equal(priceChoices(preset('ollama'), 'qwen3:8b', 'http://127.0.0.1:11434/v1').recommended, 'free');
    const router = priceChoices(preset('openrouter'), 'gpt-4.1-mini', preset('openrouter').baseUrl);
    assert.equal(router.table, undefined, 'a router may bill the same name differently');
    assert.equal(router.recommended, 'custom');
  });

  it('reads a typed price', () => {
    assert.deepEqual(parsePriceInput('0.4, 1.6'), { inputPerMTok: 0.4, outputPerMTok: 1.6 });
    assert.deepEqual(parsePriceInput('$3 / $15'), { inputPerMTok: 3, outputPerMTok: 15 });
    assert.equal(parsePriceInput('3'), undefined);
    assert.equal(parsePriceInput('-1 2'), undefined);
    assert.equal(parsePriceInput('a b'), undefined);
  });

  it('writes an entry the pool parser accepts, with only what differs from the defaults', () => {
    const cases = [
      [entryFor({ preset: preset('openai'), baseUrl: preset('openai').baseUrl, model: 'gpt-5-mini', id: 'gpt-5-mini', price: { kind: 'table', price: { inputPerMTok: 0.25, outputPerMTok: 2, source: 'default-table' } } }), { id: 'gpt-5-mini', provider: 'openai', model: 'gpt-5-mini' }],
      [entryFor({ preset: preset('ollama'), baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen3:8b', id: 'ollama/qwen3:8b', price: { kind: 'free' } }), { id: 'ollama/qwen3:8b', provider: 'openai-compatible', model: 'qwen3:8b', baseUrl: 'http://127.0.0.1:11434/v1' }],
      [entryFor({ preset: preset('openrouter'), baseUrl: preset('openrouter').baseUrl, model: 'x/y', id: 'openrouter/x/y', price: { kind: 'custom', inputPerMTok: 1, outputPerMTok: 2 } }), { id: 'openrouter/x/y', provider: 'openai-compatible', model: 'x/y', baseUrl: 'https://openrouter.ai/api/v1', price: { inputPerMTok: 1, outputPerMTok: 2 } }],
      [entryFor({ preset: preset('vllm'), baseUrl: 'http://gpu.lan:8000/v1', model: 'm', id: 'vllm/m', price: { kind: 'free' }, keyless: true }), { id: 'vllm/m', provider: 'openai-compatible', model: 'm', baseUrl: 'http://gpu.lan:8000/v1', price: { inputPerMTok: 0, outputPerMTok: 0 }, local: true }],
      [entryFor({ preset: preset('anthropic'), baseUrl: 'http://127.0.0.1:9/', model: 'claude-x', id: 'c', price: { kind: 'unknown' } }), { id: 'c', provider: 'anthropic', model: 'claude-x', baseUrl: 'http://127.0.0.1:9/' }],
    ] as const;
    for (const [entry, expected] of cases) {
      assert.deepEqual(entry, expected);
      const parsed = parsePool([entry]);
      assert.deepEqual(parsed.problems, [], JSON.stringify(entry));
    }
    // The table price is what the pool then shows for the OpenAI model, dated.
    assert.equal(parsePool([cases[0][0]]).models[0]?.price?.source, 'default-table');
    assert.equal(parsePool([cases[1][0]]).models[0]?.price?.source, 'local');
  });
});

describe('Manage Models: editing one scope without touching the rest', () => {
  const user = [{ id: 'a', provider: 'openai', model: 'gpt-5', note: 'kept' }, { id: 'b', provider: 'openai', model: 'gpt-5-mini', enabled: false }];
  const workspace = [{ id: 'b', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1', model: 'local-b' }, { id: 'c', provider: 'anthropic', model: 'claude-sonnet-4-5' }];

  it('joins the user\'s and the workspace\'s lists, the workspace winning an id', () => {
    const merged = mergePoolScopes(user, workspace);
    assert.deepEqual(merged.map((e) => `${e.scope}:${e.id}:${e.index}`), ['user:a:0', 'workspace:b:0', 'workspace:c:1']);
    assert.deepEqual(mergePoolScopes(undefined, 'nonsense').length, 0);
  });

  it('enables, disables, re-roles and removes by id, keeping unknown fields and the order', () => {
    assert.deepEqual(withPatched(user, 'b', { enabled: true })[1], { id: 'b', provider: 'openai', model: 'gpt-5-mini' });
    assert.deepEqual(withPatched(user, 'a', { enabled: false })[0], { id: 'a', provider: 'openai', model: 'gpt-5', note: 'kept', enabled: false });
    assert.deepEqual(withPatched(user, 'a', { roles: ['juror'] })[0], { id: 'a', provider: 'openai', model: 'gpt-5', note: 'kept', roles: ['juror'] });
    assert.deepEqual(withRemoved(user, 'a'), [user[1]]);
    assert.deepEqual(withAdded(undefined, { id: 'z', provider: 'openai', model: 'gpt-5' }), [{ id: 'z', provider: 'openai', model: 'gpt-5' }]);
    assert.equal(user[0]?.note, 'kept', 'the input list is not mutated');
    assert.equal(user.length, 2);
  });
});
