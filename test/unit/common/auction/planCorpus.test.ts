import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseBidReply } from '../../../../src/common/auction/bidParser';

const dir = path.resolve(import.meta.dirname, '../../../fixtures/plans');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, { steps: number; first: string; files: string[] }>;

describe('plans as real models write them (test/fixtures/plans)', () => {
  it('the corpus has every file listed', () => {
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort(), Object.keys(expected).sort());
  });
  for (const [file, want] of Object.entries(expected)) {
    it(`parses ${file}`, () => {
      const r = parseBidReply({ text: fs.readFileSync(path.join(dir, file), 'utf8'), finishReason: 'stop' });
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.content.steps.length, want.steps, JSON.stringify(r.content.steps));
      assert.equal(r.content.steps[0], want.first);
      for (const f of want.files) assert.ok(r.content.files.includes(f), `${f} in ${JSON.stringify(r.content.files)}`);
    });
  }
  it('still refuses a reply with no plan in it', () => {
    for (const text of ['OK', 'I cannot help with that.', '```\n\n```']) {
      const r = parseBidReply({ text, finishReason: 'stop' });
      assert.equal(r.ok, false, text);
    }
  });
});
