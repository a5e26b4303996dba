import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIGEST_MAX_CHARS, digestContext, outlineOf } from '../../../../src/common/auction/contextDigest';
import { runAuction } from '../../../../src/common/auction/engine';
import { renderContext } from '../../../../src/common/auction/prompts';
import type { AuctionContext } from '../../../../src/common/auction/types';
import { depsFor, ScriptedClient, spec } from './scriptedClient';

const TS = [
  "import fs from 'node:fs';",
  '',
  'export interface Options {',
  '  timeoutMs: number;',
  '}',
  '',
  'export class Parser {',
  '  private depth = 0;',
  '  parse(text: string): Node {',
  '    const body = text.trim();',
  '    return { body };',
  '  }',
  '}',
  '',
  'export async function load(path: string) {',
  '  const raw = fs.readFileSync(path, "utf8");',
  '  return raw;',
  '}',
  'const LIMIT = 3;',
].join('\n');

const PY = ['import os', '', 'class Loader:', '    def read(self, path):', '        data = open(path).read()', '        return data', '', 'def main():', '    x = 1', '    print(x)'].join('\n');
const RUST = ['use std::fs;', 'pub struct Config {', '    pub path: String,', '}', 'impl Config {', '    pub fn load() -> Self {', '        let raw = fs::read_to_string("x");', '        todo!()', '    }', '}'].join('\n');

/** The characters a digest holds: the selection's file and text, each file's path and content, the summary. */
const charsOf = (d: AuctionContext): number =>
  (d.selection ? d.selection.file.length + d.selection.text.length : 0) + (d.workspaceSummary?.length ?? 0) + (d.files ?? []).reduce((n, f) => n + f.path.length + f.content.length, 0);

describe('context digest', () => {
  it('outlines declarations with their line numbers, not bodies', () => {
    const ts = outlineOf(TS);
    for (const want of ['3: export interface Options {', '7: export class Parser {', '9:   parse(text: string): Node {', '15: export async function load(path: string) {', '19: const LIMIT = 3;']) assert.ok(ts.includes(want), `${want} in\n${ts}`);
    for (const body of ['text.trim()', 'readFileSync', 'timeoutMs']) assert.ok(!ts.includes(body), `${body} left out`);
    assert.match(ts, /^\[outline: 5 declaration lines of 19\]/);
    const py = outlineOf(PY);
    assert.ok(py.includes('3: class Loader:') && py.includes('4:     def read(self, path):') && py.includes('8: def main():'));
    assert.ok(!py.includes('open(path)') && !py.includes('print(x)'));
    const rs = outlineOf(RUST);
    assert.ok(rs.includes('2: pub struct Config {') && rs.includes('5: impl Config {') && rs.includes('6:     pub fn load() -> Self {'));
    assert.ok(!rs.includes('read_to_string'));
  });

  it('caps a long file at 40 declaration lines and says how many there were', () => {
    const many = Array.from({ length: 60 }, (_, i) => `export const c${i} = ${i};`).join('\n');
    const o = outlineOf(many);
    assert.match(o, /^\[outline: 60 declaration lines of 60, the first 40 shown\]/);
    assert.equal(o.split('\n').length, 41);
  });

  it('keeps the selection and summary (clipped), outlines files, and leaves files out past the limit, naming them', () => {
    const big = Array.from({ length: 200 }, (_, i) => `export function f${i}(a: number, b: number): number { return a + b + ${i}; }`).join('\n');
    const context: AuctionContext = {
      workspaceSummary: 'w'.repeat(5_000),
      selection: { file: 'src/a.ts', startLine: 1, endLine: 3, text: 'const selected = 1;' },
      files: [{ path: 'src/parser.ts', content: TS }, ...Array.from({ length: 6 }, (_, i) => ({ path: `src/big${i}.ts`, content: big }))],
    };
    const d = digestContext(context)!;
    assert.equal(d.selection?.text, 'const selected = 1;');
    assert.ok(d.workspaceSummary!.length < 1_100 && d.workspaceSummary!.includes('characters cut'));
    assert.equal(d.files![0]!.path, 'src/parser.ts');
    assert.match(d.files![0]!.content, /export class Parser/);
    const leftOut = d.files!.at(-1)!;
    assert.match(leftOut.path, /^\d+ more files? left out of the digest$/);
    assert.ok(leftOut.content.includes('src/big5.ts'));
    // The whole digest, headings included, stays near the limit and far under the full context.
    const rendered = renderContext(d);
    assert.ok(rendered.length < DIGEST_MAX_CHARS + 1_500, `${rendered.length}`);
    assert.ok(rendered.length < renderContext(context).length / 3);
    assert.equal(digestContext(undefined), undefined);
    assert.ok(charsOf(d) <= DIGEST_MAX_CHARS, `${charsOf(d)}`);
  });

  it('never passes the limit, however many files; a small file after one too large is still outlined', () => {
    const many: AuctionContext = { workspaceSummary: 'w'.repeat(3_000), selection: { file: 'src/a.ts', startLine: 1, endLine: 1, text: 's'.repeat(5_000) }, files: Array.from({ length: 300 }, (_, i) => ({ path: `src/module-number-${i}.ts`, content: `export const v${i} = ${i};` })) };
    const d = digestContext(many)!;
    assert.ok(charsOf(d) <= DIGEST_MAX_CHARS, `${charsOf(d)}`);
    assert.match(d.files!.at(-1)!.path, /^\d+ more files left out of the digest$/);
    assert.ok(d.selection!.text.endsWith('characters cut]'));

    const big = Array.from({ length: 40 }, (_, i) => `export function handler${i}WithAVeryLongNameIndeed(request: IncomingRequest, response: OutgoingResponse): void {}`).join('\n');
    const mixed: AuctionContext = { files: [{ path: 'src/small-a.ts', content: TS }, { path: 'src/huge.ts', content: big }, { path: 'src/big-too.ts', content: big }, { path: 'src/small-b.ts', content: TS }] };
    const m = digestContext(mixed, 6_000)!; // one outline of 4,658 characters fits, two do not
    assert.deepEqual(m.files!.map((f) => f.path.replace(/^\d+ more/, 'N more')), ['src/small-a.ts', 'src/huge.ts', 'src/small-b.ts', 'N more file left out of the digest']);
    assert.ok(charsOf(m) <= 6_000, `${charsOf(m)}`);
  });

  it('jurors read the digest by default and the whole context when asked; bidders always read it whole', async () => {
    const context: AuctionContext = { files: [{ path: 'src/parser.ts', content: TS }] };
    const prompts = async (juryContext?: 'digest' | 'full') => {
      const clients = [new ScriptedClient(spec('a', 1), {}), new ScriptedClient(spec('b', 2), {})];
      await runAuction({ auctionId: 'dg', task: 'Make the parser strict', context, pool: ['a', 'b'], refinement: { enabled: false }, jury: { mode: 'all', ...(juryContext ? { context: juryContext } : {}) } }, depsFor(clients));
      const of = (kind: string) => clients.flatMap((c) => c.requests.filter((r) => r.kind === kind).map((r) => r.request.messages[0]?.content ?? ''));
      return { bids: of('bid'), judge: of('judge') };
    };
    const digest = await prompts();
    assert.ok(digest.judge.length > 0 && digest.judge.every((p) => p.includes('7: export class Parser {') && !p.includes('readFileSync')));
    assert.ok(digest.bids.every((p) => p.includes('readFileSync')));
    const full = await prompts('full');
    assert.ok(full.judge.every((p) => p.includes('readFileSync')));
  });
});
