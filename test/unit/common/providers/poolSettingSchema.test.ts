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
