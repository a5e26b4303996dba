import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lmPoolEntries, withLmFacts, type LmModelInfo } from '../../../../src/common/providers/lmPool';
import { parsePool } from '../../../../src/common/providers/poolSchema';
import { COPILOT_REQUEST_PRICES_AS_OF, copilotRequestPrice } from '../../../../src/common/providers/priceTable';

const info = (id: string, vendor = 'copilot', family = id): LmModelInfo => ({ id, vendor, family, name: id, version: '1', maxInputTokens: 64_000 });

describe('models of VS Code\'s Language Model API in the pool', () => {
  it('are listed as sale.models entries with unique ids', () => {
    const entries = lmPoolEntries([info('gpt-4.1'), info('gpt-4.1', 'other'), info('gpt-4.1')], new Set(['copilot-gpt-4.1']));
    assert.deepEqual(entries.map((e) => e.id), ['copilot-gpt-4.1-2', 'other-gpt-4.1', 'copilot-gpt-4.1-3']);
    assert.ok(entries.every((e) => e.provider === 'vscode-lm' && e.model === 'gpt-4.1'));
    assert.equal(parsePool(entries).problems.length, 0, 'every listed entry is a valid sale.models entry');
  });

  it('take the dated Copilot request price for a known Copilot family, and no price otherwise', () => {
    const [spec] = parsePool([{ id: 'c', provider: 'vscode-lm', model: 'claude-sonnet-4.5' }]).models;
    assert.ok(spec);
    assert.equal(spec.price, undefined, 'unknown until VS Code says which model it is');
    const known = withLmFacts(spec, [info('claude-sonnet-4.5')]);
    assert.deepEqual(known.price, { inputPerMTok: 0, outputPerMTok: 0, perRequest: 0.04, multiplier: 6, source: 'default-table', asOf: COPILOT_REQUEST_PRICES_AS_OF });
    assert.equal(known.lm?.vendor, 'copilot');
    assert.equal(withLmFacts(spec, [info('claude-sonnet-4.5', 'someone-else')]).price, undefined, 'another vendor bills differently');
    assert.equal(withLmFacts(spec, []).lm, undefined, 'a model VS Code does not offer has no facts');
    assert.equal(copilotRequestPrice('copilot', 'gpt-5.1-codex-mini')?.multiplier, 0.33, 'the longest family prefix wins');
  });

  it('keep a price the user set, and refuse a baseUrl', () => {
    const { models, problems } = parsePool([
      { id: 'c', provider: 'vscode-lm', model: 'gpt-4.1', price: { perRequest: 0.05 } },
      { id: 'd', provider: 'vscode-lm', model: 'x', baseUrl: 'http://localhost:1/v1' },
    ]);
    assert.equal(problems[0]?.id, 'd');
    const c = withLmFacts(models[0]!, [info('gpt-4.1')]);
    assert.equal(c.price?.perRequest, 0.05);
    assert.equal(c.price?.multiplier, 1);
    assert.equal(c.price?.source, 'settings');
  });
});
