import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokens, tokensCompact, usd } from '../../../../src/common/protocol/format';

describe('money and token figures, one way everywhere', () => {
  it('dollars: cents, up to four decimals under a dollar, two significant digits under a cent, grouped above', () => {
    const cases: [number, string][] = [
      [0, '$0.00'],
      [0.5, '$0.50'],
      [0.0334, '$0.0334'],
      [0.123, '$0.123'],
      [0.3667, '$0.3667'],
      [0.95, '$0.95'],
      [0.0012, '$0.0012'],
      [0.001, '$0.001'],
      [0.005, '$0.005'],
      [1, '$1.00'],
      [12.3, '$12.30'],
      [1234.5, '$1,234.50'],
      [-0.25, '−$0.25'],
    ];
    for (const [n, text] of cases) assert.equal(usd(n), text, String(n));
  });
  it('an absent figure is unknown, never $0', () => {
    assert.equal(usd(undefined), 'unknown');
    assert.equal(usd(null), 'unknown');
    assert.equal(usd(Number.NaN), 'unknown');
  });
  it('tokens in full for the panel, compact for tables and charts', () => {
    assert.equal(tokens(12345), '12,345');
    assert.equal(tokens(null), '—');
    assert.equal(tokensCompact(9999), '9,999');
    assert.equal(tokensCompact(45_400), '45k');
    assert.equal(tokensCompact(1_250_000), '1.3M');
  });
});
