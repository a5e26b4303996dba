import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBidReply } from '../../../../src/common/auction/bidParser';
import { parseJudgementReply } from '../../../../src/common/auction/jury';

const reply = (text: string, extra: { parsed?: unknown; finishReason?: 'stop' | 'length' | 'content_filter' } = {}) => ({ text, finishReason: extra.finishReason ?? ('stop' as const), parsed: extra.parsed });

describe('parseBidReply', () => {
  it('takes validated structured output first', () => {
    const parsed = { summary: 'S', steps: ['a', 'b'], files: ['x.ts'], risks: [], verification: ['tests'] };
    const r = parseBidReply(reply('ignored', { parsed }));
    assert.ok(r.ok);
    assert.equal(r.via, 'structured');
    assert.deepEqual(r.content.steps, ['a', 'b']);
    assert.match(r.planText, /1\. a\n2\. b/);
    assert.match(r.planText, /`x.ts`/);
  });

  it('reads JSON inside a fence with prose around it', () => {
    const r = parseBidReply(reply('Here is my bid:\n```json\n{"summary":"fix it","steps":["one","two"],"files":[],"risks":["r"],"verification":[]}\n```\nThanks'));
    assert.ok(r.ok);
    assert.equal(r.via, 'json');
    assert.equal(r.content.summary, 'fix it');
  });

  it('repairs loose JSON (trailing commas, bare keys, smart quotes) and maps key aliases', () => {
    const r = parseBidReply(reply('{summary: \u201Cdo it\u201D, plan: ["a", "b",], files_to_touch: "src/x.ts\\nsrc/y.ts", pitfalls: ["p"], testing: ["npm test"],}'));
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.via, 'loose-json');
    assert.deepEqual(r.content.steps, ['a', 'b']);
    assert.deepEqual(r.content.files, ['src/x.ts', 'src/y.ts']);
    assert.deepEqual(r.content.risks, ['p']);
    assert.deepEqual(r.content.verification, ['npm test']);
  });

  it('reads markdown sections when there is no JSON', () => {
    const text = 'I will refactor the parser.\n\n## Steps\n1. Read parser.ts\n2. Extract a function\n\n**Files:**\n- `src/parser.ts`\n\nRisks:\n- breaking callers\n\n### Verification\n- run the unit tests';
    const r = parseBidReply(reply(text));
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.via, 'markdown');
    assert.deepEqual(r.content.steps, ['Read parser.ts', 'Extract a function']);
    assert.deepEqual(r.content.files, ['src/parser.ts']);
    assert.deepEqual(r.content.risks, ['breaking callers']);
    assert.deepEqual(r.content.verification, ['run the unit tests']);
    assert.equal(r.content.summary, 'I will refactor the parser.');
  });

  it('falls back to the text when structured output failed validation', () => {
    const r = parseBidReply(reply('{"summary":"s","steps":["a"]}', { parsed: { wrong: true } }));
    assert.ok(r.ok);
    assert.equal(r.via, 'json');
  });

  it('fails an empty reply with its reason', () => {
    const r = parseBidReply(reply('   '));
    assert.deepEqual(r, { ok: false, code: 'empty-reply', reason: 'the model returned an empty reply' });
  });

  it('fails prose without steps as unparseable, quoting the start of the reply', () => {
    const r = parseBidReply(reply('I cannot help with that request.'));
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.code === 'unparseable' && r.reason.includes('I cannot help'));
  });

  it('fails a reply cut off at the token limit as truncated', () => {
    const r = parseBidReply(reply('{"summary": "s", "steps": ["a', { finishReason: 'length' }));
    assert.ok(!r.ok && r.code === 'truncated');
  });

  it('fails a JSON object with no steps', () => {
    const r = parseBidReply(reply('{"summary":"s","steps":[]}'));
    assert.ok(!r.ok && r.code === 'unparseable');
  });

  it('fails a filtered reply', () => {
    assert.ok(!parseBidReply(reply('x', { finishReason: 'content_filter' })).ok);
  });
});

describe('parseJudgementReply', () => {
  it('reads structured output', () => {
    const r = parseJudgementReply(reply('', { parsed: { score: 4, rationale: ' good ', fit: 3 } }));
    assert.deepEqual(r, { ok: true, score: 4, rationale: 'good', criteria: { fit: 3 } });
  });
  it('reads JSON in the text', () => {
    const r = parseJudgementReply(reply('```json\n{"correctness": 4, "fit": 5, "risk": 3, "verifiability": 4, "score": 4.5, "rationale": "ok"}\n```'));
    assert.ok(r.ok);
    assert.equal(r.score, 4.5);
    assert.deepEqual(r.criteria, { correctness: 4, fit: 5, risk: 3, verifiability: 4 });
  });
  it('uses the mean of the criteria when the overall score is missing', () => {
    const r = parseJudgementReply(reply('{"correctness": 4, "fit": 2, "rationale": "x"}'));
    assert.ok(r.ok);
    assert.equal(r.score, 3);
  });
  it('reads a "Score: 4/5" line', () => {
    const r = parseJudgementReply(reply('The plan is sound.\nOverall score: 4/5'));
    assert.ok(r.ok);
    assert.equal(r.score, 4);
  });
  it('rejects a score outside 0..5 instead of clamping it', () => {
    const r = parseJudgementReply(reply('{"score": 8, "rationale": "great"}'));
    assert.ok(!r.ok && r.code === 'invalid');
  });
  it('rejects a reply without a score', () => {
    const r = parseJudgementReply(reply('Looks fine to me.'));
    assert.ok(!r.ok && r.code === 'unparseable');
  });
});
