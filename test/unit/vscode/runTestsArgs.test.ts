import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runTestsOptionsFromCommand } from '../../../src/vscode/execution/runTestsArgs';

describe('sale.runTests arguments', () => {
  it('never skips the confirmation for an ordinary caller (another extension), whatever it passes', () => {
    for (const args of [{ skipConfirmation: true }, { skipConfirmation: 'true' }, undefined, null, 'skip', [true]]) {
      assert.deepEqual(runTestsOptionsFromCommand(args, false), { skipConfirmation: false }, JSON.stringify(args));
    }
  });
  it('honours skipConfirmation: true only under the extension test harness', () => {
    assert.deepEqual(runTestsOptionsFromCommand({ skipConfirmation: true }, true), { skipConfirmation: true });
    assert.deepEqual(runTestsOptionsFromCommand({ skipConfirmation: 1 }, true), { skipConfirmation: false });
  });
});
