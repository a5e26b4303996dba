import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeSelection, newId } from '../../../src/common/taskText';

describe('describeSelection', () => {
  it('names the file, the line range and an excerpt on one line', () => {
    assert.equal(describeSelection('src/a.ts', 3, 5, 'function f(x) {\n  return x;\n}', 80), 'src/a.ts:3-5 "function f(x) { return x; }"');
  });
  it('uses a single line number for a one-line selection', () => {
    assert.equal(describeSelection('a.ts', 7, 7, 'let x = 1;', 80), 'a.ts:7 "let x = 1;"');
  });
  it('cuts a long selection with an ellipsis within the budget', () => {
    const d = describeSelection('a.ts', 1, 1, 'x'.repeat(500), 20);
    assert.match(d, /^a\.ts:1 "x{19}…"$/);
  });
  it('leaves out the excerpt when the selection is only white space', () => {
    assert.equal(describeSelection('a.ts', 1, 2, '  \n ', 80), 'a.ts:1-2');
  });
});

describe('newId', () => {
  it('sorts by creation time and carries the prefix', () => {
    const a = newId('task', 1_000, () => 0.5);
    const b = newId('task', 2_000, () => 0.1);
    assert.ok(a.startsWith('task_'));
    assert.ok(a < b);
  });
});
