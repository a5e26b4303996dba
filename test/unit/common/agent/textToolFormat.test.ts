import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTextToolCalls } from '../../../../src/common/agent/textToolFormat';
import { toolArgs } from '../../../../src/common/agent/tools';

describe('parseTextToolCalls', () => {
  it('parses tag arguments with raw multi-line values', () => {
    const r = parseTextToolCalls('<tool name="propose_edit">\n<path>a.ts</path>\n<search>\n  if (a) {\n</search>\n<replace>\n  if (a && b) {\n</replace>\n</tool>');
    assert.deepEqual(r, { calls: [{ name: 'propose_edit', args: { path: 'a.ts', edits: [{ search: '  if (a) {\n', replace: '  if (a && b) {\n' }] } }], errors: [] });
  });

  it('pairs repeated search/replace blocks in order', () => {
    const r = parseTextToolCalls('<tool name=propose_edit><path>a</path><search>1</search><replace>one</replace><search>2</search><replace>two</replace></tool>');
    assert.deepEqual(r.calls[0]?.args.edits, [
      { search: '1', replace: 'one' },
      { search: '2', replace: 'two' },
    ]);
  });

  it('tolerates fences, single quotes, tag case, name variants and a missing closing tag', () => {
    const r = parseTextToolCalls("Sure.\n```xml\n<TOOL name='Read-File'>\n<Path> src/a.ts </Path>\n<startline>3</startline>\n```");
    assert.deepEqual(r.calls, [{ name: 'read_file', args: { path: 'src/a.ts', startLine: '3' } }]);
    // "3" becomes a number through the argument schema.
    assert.deepEqual(toolArgs.read_file.parse(r.calls[0]?.args), { path: 'src/a.ts', startLine: 3 });
  });

  it('unwraps a code fence inside a content value', () => {
    const r = parseTextToolCalls('<tool name="create_file"><path>x.py</path><content>\n```python\nprint(1)\n```\n</content></tool>');
    assert.equal(r.calls[0]?.args.content, 'print(1)\n');
  });

  it('accepts a JSON body inside the tag and loose JSON calls without tags', () => {
    assert.deepEqual(parseTextToolCalls('<tool name="list_dir">{"path": "src"}</tool>').calls, [{ name: 'list_dir', args: { path: 'src' } }]);
    const loose = parseTextToolCalls('I will read it:\n```json\n{"tool": "read_file", "arguments": {"path": "a {b}.ts"}}\n```');
    assert.deepEqual(loose.calls, [{ name: 'read_file', args: { path: 'a {b}.ts' } }]);
    const stringArgs = parseTextToolCalls('{"name": "finish", "arguments": "{\\"summary\\": \\"ok\\"}"}');
    assert.deepEqual(stringArgs.calls, [{ name: 'finish', args: { summary: 'ok' } }]);
  });

  it('parses several calls in one reply, in order', () => {
    const r = parseTextToolCalls('<tool name="read_file"><path>a</path></tool> then <tool name="read_file"><path>b</path></tool>');
    assert.deepEqual(r.calls.map((c) => c.args.path), ['a', 'b']);
  });

  it('reports unknown tools, nameless blocks and bad JSON instead of guessing', () => {
    const r = parseTextToolCalls('<tool name="format_disk"><x>1</x></tool><tool><path>a</path></tool><tool name="read_file">{"path": </tool>');
    assert.equal(r.calls.length, 0);
    assert.equal(r.errors.length, 3);
    assert.match(r.errors[0] ?? '', /Unknown tool "format_disk"/);
  });

  it('finds nothing in plain prose', () => {
    assert.deepEqual(parseTextToolCalls('I think the bug is in {the parser}.'), { calls: [], errors: [] });
  });

  it('leaves a search without a replace to fail validation rather than delete text', () => {
    const r = parseTextToolCalls('<tool name="propose_edit"><path>a</path><search>x</search></tool>');
    assert.equal(toolArgs.propose_edit.safeParse(r.calls[0]?.args).success, false);
  });
});
