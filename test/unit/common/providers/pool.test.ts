import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePool } from '../../../../src/common/providers/poolSchema';
import { DEFAULT_PRICES_AS_OF, resolvePrice, tablePrice } from '../../../../src/common/providers/priceTable';
import { providerKeyLabel, providerKeyOf } from '../../../../src/common/providers/providerKey';

describe('parsePool', () => {
  it('turns valid entries into specs with defaults, local detection and resolved prices', () => {
    const { models, problems } = parsePool([
      { id: 'mini', provider: 'openai', model: 'gpt-4.1-mini-2025-04-14' },
      { id: 'qwen', provider: 'openai-compatible', baseUrl: 'http://localhost:11434/v1/', model: 'qwen3:8b', roles: ['bidder'] },
      { id: 'router', provider: 'openai-compatible', baseUrl: 'https://openrouter.ai/api/v1', model: 'openai/gpt-4o' },
      { id: 'sonnet', provider: 'anthropic', model: 'claude-sonnet-4-5', price: { inputPerMTok: 2, outputPerMTok: 10 }, enabled: false },
    ]);
    assert.deepEqual(problems, []);
    const [mini, qwen, router, sonnet] = models;
    assert.deepEqual(mini?.price, { inputPerMTok: 0.4, outputPerMTok: 1.6, cachedInputPerMTok: 0.1, source: 'default-table', asOf: DEFAULT_PRICES_AS_OF });
    assert.deepEqual(mini?.roles, ['bidder', 'juror', 'executor']);
    assert.equal(mini?.enabled, true);
    assert.equal(qwen?.local, true);
    assert.equal(qwen?.baseUrl, 'http://localhost:11434/v1');
    assert.deepEqual(qwen?.price, { inputPerMTok: 0, outputPerMTok: 0, source: 'local' });
    assert.equal(router?.local, false);
    assert.equal(router?.price, undefined, 'an unknown price stays unknown, never $0');
    assert.deepEqual(sonnet?.price, { inputPerMTok: 2, outputPerMTok: 10, source: 'settings' });
    assert.equal(sonnet?.enabled, false);
  });

  it('reports each bad entry with its index, id and field, and keeps the good ones', () => {
    const { models, problems } = parsePool([
      { id: 'ok', provider: 'openai', model: 'gpt-4o' },
      { id: 'bad-provider', provider: 'gemini', model: 'x' },
      { id: 'no-url', provider: 'openai-compatible', model: 'x' },
      { id: 'ok', provider: 'openai', model: 'gpt-4o-mini' },
      { id: 'neg', provider: 'openai', model: 'x', price: { inputPerMTok: -1, outputPerMTok: 1 } },
      { id: 'typo', provider: 'openai', model: 'x', bseUrl: 'http://x' },
      'not an object',
    ]);
    assert.deepEqual(models.map((m) => m.id), ['ok']);
    assert.deepEqual(problems.map((p) => [p.index, p.id]), [
      [1, 'bad-provider'],
      [2, 'no-url'],
      [3, 'ok'],
      [4, 'neg'],
      [5, 'typo'],
      [6, undefined],
    ]);
    assert.match(problems[0]?.message ?? '', /^provider:/);
    assert.match(problems[3]?.message ?? '', /^price\.inputPerMTok:/);
    assert.match(problems[4]?.message ?? '', /bseUrl/);
  });

  it('treats a missing setting as an empty pool and a non-array as one problem', () => {
    assert.deepEqual(parsePool(undefined), { models: [], problems: [] });
    assert.equal(parsePool({}).problems.length, 1);
  });
});

describe('prices', () => {
  it('matches dated snapshots by the longest prefix', () => {
    assert.equal(tablePrice('openai', 'gpt-4o-mini-2024-07-18')?.inputPerMTok, 0.15);
    assert.equal(tablePrice('openai', 'gpt-4o-2024-08-06')?.inputPerMTok, 2.5);
    assert.equal(tablePrice('anthropic', 'claude-opus-4-1-20250805')?.outputPerMTok, 75);
    assert.equal(tablePrice('anthropic', 'claude-opus-4-20250514')?.outputPerMTok, 75);
    assert.equal(tablePrice('openai', 'gpt-4oo'), undefined);
    assert.equal(tablePrice('openai-compatible', 'gpt-4o'), undefined);
  });

  it('resolves settings over the table over local zero over unknown', () => {
    assert.equal(resolvePrice('openai', 'gpt-4o', false, { inputPerMTok: 1, outputPerMTok: 1 })?.source, 'settings');
    assert.equal(resolvePrice('openai', 'gpt-4o', false)?.source, 'default-table');
    assert.equal(resolvePrice('openai-compatible', 'llama', true)?.source, 'local');
    assert.equal(resolvePrice('openai-compatible', 'llama', false), undefined);
  });
});

describe('providerKeyOf', () => {
  it('keys secrets per endpoint and labels them', () => {
    assert.equal(providerKeyOf({ provider: 'openai' }), 'openai:https://api.openai.com/v1');
    assert.equal(providerKeyOf({ provider: 'openai', baseUrl: 'https://api.openai.com/v1/' }), 'openai:https://api.openai.com/v1');
    assert.notEqual(providerKeyOf({ provider: 'openai-compatible', baseUrl: 'https://openrouter.ai/api/v1' }), providerKeyOf({ provider: 'openai' }));
    assert.equal(providerKeyLabel(providerKeyOf({ provider: 'anthropic' })), 'Anthropic');
    assert.equal(providerKeyLabel(providerKeyOf({ provider: 'openai-compatible', baseUrl: 'https://openrouter.ai/api/v1' })), 'openai-compatible (openrouter.ai)');
  });
});
