import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DATA_DIR, MODEL_NAMES } from '../../../bench/market/data';
import { overheadResponder } from '../../../bench/overheadMarket';
import { deriveExecution, executionUsd, medianRun, ratio, recordedRuns, within, type RecordedRun } from '../../../bench/overheadModel';
import { costOf } from '../../../src/common/providers/pricing';
import { tablePrice } from '../../../src/common/providers/priceTable';
import type { RecordedRequest } from '../../fixtures/loopback/types';

const read = (f: string) => fs.readFileSync(path.join(DATA_DIR, f), 'utf8');
const run = (costUsd: number, apiCalls = 40, id = `t-${costUsd}`): RecordedRun => ({ instanceId: id, costUsd, apiCalls, problemChars: 2_000 });
const sonnet = tablePrice('anthropic', 'claude-sonnet-4-5')!;

describe('auction overhead bench: pure parts', () => {
  it('the median run is an actual run: the lower middle by cost', () => {
    assert.equal(medianRun([run(3), run(1), run(2)]).costUsd, 2);
    assert.equal(medianRun([run(4), run(1), run(3), run(2)]).costUsd, 2);
    assert.throws(() => medianRun([]));
  });

  it('reads the real data: 500 Sonnet runs, and the median has as many runs below it as at or above it, less one', () => {
    const runs = recordedRuns(read('outcomes.csv'), read('tasks.csv'), MODEL_NAMES.sonnet!);
    assert.equal(runs.length, 500);
    const m = medianRun(runs);
    assert.equal(runs.filter((r) => r.costUsd < m.costUsd).length, 249);
    assert.ok(m.apiCalls > 0 && m.problemChars > 0);
  });

  it('the derived execution costs exactly the recorded dollars at the recorded model price', () => {
    for (const r of [run(0.46, 48), run(1.2, 90), run(0.1, 12)]) {
      const e = deriveExecution(r, sonnet);
      assert.ok(e.consistent);
      assert.ok(Math.abs(costOf(e.usage, sonnet)! - r.costUsd) < 1e-5, `${r.costUsd}: token counts are whole, so within a thousandth of a cent`);
      assert.equal(e.usage.outputTokens, r.apiCalls * 250);
      assert.ok(e.usage.cachedInputTokens < e.usage.inputTokens);
    }
  });

  it('a run too cheap for its assumed output is flagged inconsistent, its growth clamped to the reply', () => {
    const e = deriveExecution(run(0.01, 48), sonnet);
    assert.equal(e.consistent, false);
    assert.equal(e.growthTokensPerCall, 250);
  });

  it('prices the same execution at another model: cheaper model, fewer dollars; a local model, none', () => {
    const e = deriveExecution(run(0.46, 48), sonnet);
    const mini = executionUsd(e, tablePrice('openai', 'gpt-5-mini'))!;
    assert.ok(mini > 0 && mini < executionUsd(e, sonnet)!);
    assert.equal(executionUsd(e, { inputPerMTok: 0, outputPerMTok: 0, source: 'local' }), 0);
    assert.equal(executionUsd(e, undefined), undefined);
  });

  it('ratios and targets: no ratio against a free execution, and an absent figure fails', () => {
    assert.equal(ratio(1, 4), 0.25);
    assert.equal(ratio(1, 0), undefined);
    assert.equal(within(0.05, 0.05), true);
    assert.equal(within(0.0501, 0.05), false);
    assert.equal(within(undefined, 0.05), false);
    assert.equal(within(Number.NaN, 0.05), false);
  });

  it('the responder judges every plan a prompt names, under its label, and leaves probes to the script', () => {
    const req = (user: string, model = 'gpt-4.1', system = 'You are a juror scoring plans.'): RecordedRequest => {
      const body = { model, messages: [...(system ? [{ role: 'system', content: system }] : []), { role: 'user', content: user }] };
      return { method: 'POST', path: '/v1/chat/completions', headers: {}, body, rawBody: JSON.stringify(body), model, api: 'openai-chat' };
    };
    const one = overheadResponder(req('## Proposed plan\nsummary (plan-by-sonnet) ...'));
    assert.equal(one?.kind === 'chat' && (JSON.parse(one.text!) as { score: number }).score, 4.5);
    const many = overheadResponder(req('## Proposed plans\n2 plans.\n\n### Plan A\n... (plan-by-qwen-local) ...\n\n### Plan B\n... (plan-by-gpt-5-mini-refined) ...'));
    const parsed = many?.kind === 'chat' ? (JSON.parse(many.text!) as { judgements: { label: string; score: number }[] }) : undefined;
    assert.deepEqual(parsed?.judgements.map((j) => [j.label, j.score]), [['A', 2.5], ['B', 4.5]]);
    assert.equal(overheadResponder(req('Reply with the single word: ready', 'gpt-4.1', '')), undefined);
    assert.equal(overheadResponder(req('You are bidding', 'someone-else', '')), undefined);
  });
});
