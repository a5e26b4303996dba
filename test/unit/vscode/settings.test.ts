import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_LIMITS, DEFAULT_WEIGHTS } from '../../../src/common/auction';
import { SETTINGS_SECTION, settingDefaults } from '../../../src/vscode/settingsSchema';

const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown; markdownDescription?: string; description?: string }> } };
};
const declared = pkg.contributes.configuration.properties;

describe('settings', () => {
  it('declares in package.json exactly the settings the code reads', () => {
    const inCode = Object.keys(settingDefaults).map((k) => `${SETTINGS_SECTION}.${k}`).sort();
    assert.deepEqual(Object.keys(declared).sort(), inCode);
  });
  it('documents every setting with a markdownDescription', () => {
    for (const [key, p] of Object.entries(declared)) assert.ok((p.markdownDescription ?? '').length > 20, `${key} has a description`);
  });
  it('uses the same defaults in package.json and in code', () => {
    for (const [k, v] of Object.entries(settingDefaults)) assert.deepEqual(declared[`${SETTINGS_SECTION}.${k}`]?.default, v, k);
  });
  it('defaults the auction weights to the engine defaults', () => {
    assert.equal(settingDefaults['auction.weights.cost'], DEFAULT_WEIGHTS.cost);
    assert.equal(settingDefaults['auction.weights.entropy'], DEFAULT_WEIGHTS.entropy);
    assert.equal(settingDefaults['auction.weights.jury'], DEFAULT_WEIGHTS.jury);
    assert.equal(settingDefaults['auction.jury.concurrency'], DEFAULT_LIMITS.juryConcurrency);
  });
});
