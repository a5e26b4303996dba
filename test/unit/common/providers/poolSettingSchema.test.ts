import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { poolEntrySchema } from '../../../../src/common/providers/poolSchema';

const pkg = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { items?: { properties: Record<string, { enum?: string[]; properties?: Record<string, unknown> }> } }> } };
};

describe('the sale.models JSON schema in package.json', () => {
  const items = pkg.contributes.configuration.properties['sale.models']?.items;

  it('declares exactly the fields parsePool accepts', () => {
    assert.deepEqual(Object.keys(items?.properties ?? {}).sort(), Object.keys(poolEntrySchema.shape).sort());
    assert.deepEqual(Object.keys(items?.properties.price?.properties ?? {}).sort(), Object.keys(poolEntrySchema.shape.price.unwrap().shape).sort());
  });

  it('offers the same providers', () => {
    assert.deepEqual(items?.properties.provider?.enum, poolEntrySchema.shape.provider.options);
  });
});

describe('the price of a sale.models entry', () => {
  const price = pkg.contributes.configuration.properties['sale.models']?.items?.properties.price as { anyOf?: { required: string[] }[] } | undefined;
  const entry = (p: unknown) => ({ id: 'm', provider: 'vscode-lm', model: 'gpt-4.1', price: p });

  it('is per token or per request in both schemas', () => {
    assert.deepEqual(price?.anyOf, [{ required: ['inputPerMTok', 'outputPerMTok'] }, { required: ['perRequest'] }]);
    assert.equal(poolEntrySchema.safeParse(entry({ perRequest: 0.04, multiplier: 1 })).success, true);
    assert.equal(poolEntrySchema.safeParse(entry({ inputPerMTok: 1, outputPerMTok: 2 })).success, true);
    assert.equal(poolEntrySchema.safeParse(entry({ inputPerMTok: 1 })).success, false, 'half a token price is neither');
    assert.equal(poolEntrySchema.safeParse(entry({ multiplier: 3 })).success, false, 'a multiplier without a per-request price is no price');
  });
});
