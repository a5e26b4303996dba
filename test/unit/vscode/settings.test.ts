import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { AUCTION_REASONING_EFFORTS, DEFAULT_LIMITS, DEFAULT_REASONING_EFFORT, DEFAULT_WEIGHTS, reasoningEffortOf } from '../../../src/common/auction';
import { auctionSettings } from '../../../src/vscode/auction/auctionSettings';
import { SETTINGS_SECTION, settingDefaults, type Settings } from '../../../src/vscode/settingsSchema';

const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown; markdownDescription?: string; description?: string; enum?: unknown[] }> } };
};
const declared = pkg.contributes.configuration.properties;

/** The settings as VS Code would return them: the defaults, with what the user wrote on top. */
const configWith = (over: Partial<Record<keyof Settings, unknown>>) => ({ get: <K extends keyof Settings>(k: K): Settings[K] => (k in over ? over[k] : settingDefaults[k]) as Settings[K] });

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
    assert.equal(settingDefaults['auction.weights.record'], DEFAULT_WEIGHTS.record);
    assert.equal(settingDefaults['auction.jury.concurrency'], DEFAULT_LIMITS.juryConcurrency);
  });
  it('puts sale.auction.weights.record into the auction\'s weights, 0 included', () => {
    assert.equal(auctionSettings(configWith({})).weights?.record, 2);
    assert.equal(auctionSettings(configWith({ 'auction.weights.record': 0 })).weights?.record, 0);
    assert.equal(auctionSettings(configWith({ 'auction.weights.record': 3.5 })).weights?.record, 3.5);
    assert.match(declared['sale.auction.weights.record']?.markdownDescription ?? '', /0` turns it off/);
  });
  it('offers the reasoning efforts the engine knows, defaulting to its default', () => {
    assert.deepEqual(declared['sale.auction.reasoningEffort']?.enum, [...AUCTION_REASONING_EFFORTS]);
    assert.equal(settingDefaults['auction.reasoningEffort'], DEFAULT_REASONING_EFFORT);
  });
  it('puts sale.auction.reasoningEffort into the auction request, where the engine resolves it', () => {
    assert.equal(auctionSettings(configWith({})).reasoningEffort, 'low');
    for (const e of ['default', 'minimal', 'medium', 'high'] as const) assert.equal(auctionSettings(configWith({ 'auction.reasoningEffort': e })).reasoningEffort, e);
    assert.equal(reasoningEffortOf(auctionSettings(configWith({ 'auction.reasoningEffort': 'default' })).reasoningEffort), undefined);
    // A hand-edited value outside the list reaches the engine as written, which asks for `low` instead.
    assert.equal(reasoningEffortOf(auctionSettings(configWith({ 'auction.reasoningEffort': 'maximum' })).reasoningEffort), 'low');
  });
});
