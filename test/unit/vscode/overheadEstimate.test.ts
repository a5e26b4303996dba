import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_EXECUTION_ESTIMATE, expectedExecutionUsd, sharedPrefix } from '../../../src/common/auction';
import { emptyUsage, type ModelSpec } from '../../../src/common/providers/types';
import { estimateExecutionUsd } from '../../../src/vscode/auction/overheadEstimate';

const spec = (id: string, input: number | undefined, output = (input ?? 0) * 4): ModelSpec => ({
  id,
  provider: 'openai',
  model: id,
  ...(input === undefined ? {} : { price: { inputPerMTok: input, outputPerMTok: output, source: 'settings' as const } }),
  roles: ['bidder'],
  enabled: true,
  local: false,
});

describe('estimateExecutionUsd (host prior for the overhead cap)', () => {
  it('is the median over priced bidders of the expected execution of a prior bid; undefined without a price', () => {
    const task = 'Fix the parser';
    const usage = { ...emptyUsage(), inputTokens: Math.ceil(sharedPrefix(task, undefined).length / 4), outputTokens: 400 };
    const each = [1, 3, 10].map((p) => expectedExecutionUsd(usage, spec('x', p).price, DEFAULT_EXECUTION_ESTIMATE)!);
    const specs = [spec('a', 1), spec('b', 3), spec('c', 10), spec('u', undefined)];
    assert.equal(estimateExecutionUsd(specs, task, undefined, DEFAULT_EXECUTION_ESTIMATE), each[1]);
    assert.equal(estimateExecutionUsd(specs.slice(0, 2), task, undefined, DEFAULT_EXECUTION_ESTIMATE), (each[0]! + each[1]!) / 2);
    assert.equal(estimateExecutionUsd([spec('u', undefined)], task, undefined, DEFAULT_EXECUTION_ESTIMATE), undefined);
  });
});
