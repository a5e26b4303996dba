import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BinaryFileError, FileNotFoundError, FileTooLargeError, InvalidQueryError, PathRefusedError, WrongKindError } from '../../../../src/common/agent/errors';
import { FsWorkspace } from '../../../../src/node/agent/fsWorkspace';
import { removeTempDirs, tempDir, writeFiles } from './tempDir';

const refused = (reason: PathRefusedError['reason']) => (e: unknown) => e instanceof PathRefusedError && e.reason === reason;

describe('FsWorkspace', () => {
  let root: string;
  let outside: string;
  let ws: FsWorkspace;
  after(removeTempDirs);

  before(async () => {
    root = await tempDir('ws');
    outside = await tempDir('outside');
    await writeFiles(outside, { 'secret.txt': 'top secret\n' });
    await writeFiles(root, {
      'src/a.ts': 'const a = 1;\nconst b = 2;\nconst c = 3;\n',
      'src/crlf.ts': 'x\r\ny\r\n',
      'src/bom.txt': '\uFEFFhello\n',
      'README.md': '# Demo\nneedle here\n',
      '.git/config': '[core] needle\n',
      'node_modules/dep/index.js': 'needle\n',
      'big.txt': 'x'.repeat(2048),
      'image.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      'latin1.txt': new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]),
    });
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(root, 'link-out.txt'));
    await fs.symlink(outside, path.join(root, 'dir-out'));
    await fs.symlink(path.join(root, '.git'), path.join(root, 'gitlink'));
    await fs.symlink(path.join(root, 'src/a.ts'), path.join(root, 'link-in.ts'));
    ws = await FsWorkspace.open(root, { maxReadBytes: 1024 });
  });

  it('reads a file whole or by line range, with a content fingerprint', async () => {
    const whole = await ws.readFile('src/a.ts');
    assert.equal(whole.content, 'const a = 1;\nconst b = 2;\nconst c = 3;\n');
    assert.equal(whole.totalLines, 3);
    assert.match(whole.fingerprint, /^sha256:[0-9a-f]{64}$/);
    const part = await ws.readFile('./src/a.ts', { startLine: 2, endLine: 2 });
    assert.equal(part.content, 'const b = 2;\n');
    assert.equal(part.fingerprint, whole.fingerprint, 'the fingerprint is of the whole file');
    assert.equal(await ws.fingerprint('src/a.ts'), whole.fingerprint);
    assert.equal(await ws.fingerprint('src/none.ts'), undefined);
  });

  it('keeps CRLF and a BOM, so the text maps back to the same bytes', async () => {
    assert.equal((await ws.readFile('src/crlf.ts')).content, 'x\r\ny\r\n');
    assert.equal((await ws.readFile('src/bom.txt')).content, '\uFEFFhello\n');
  });

  it('changes the fingerprint when the file changes', async () => {
    await writeFiles(root, { 'tmp.txt': 'one' });
    const a = await ws.fingerprint('tmp.txt');
    await writeFiles(root, { 'tmp.txt': 'two' });
    assert.notEqual(await ws.fingerprint('tmp.txt'), a);
  });

  it('refuses traversal, absolute paths and .git', async () => {
    await assert.rejects(ws.readFile('../outside/secret.txt'), refused('escape'));
    await assert.rejects(ws.readFile(path.join(outside, 'secret.txt')), refused('absolute'));
    await assert.rejects(ws.readFile('.git/config'), refused('git'));
    await assert.rejects(ws.listDir('.git'), refused('git'));
  });

  it('refuses symlinks that lead outside the workspace or into .git, for reading and for new files', async () => {
    await assert.rejects(ws.readFile('link-out.txt'), refused('symlink-escape'));
    await assert.rejects(ws.readFile('dir-out/secret.txt'), refused('symlink-escape'));
    await assert.rejects(ws.stat('dir-out/new-file.txt'), refused('symlink-escape'));
    await assert.rejects(ws.fingerprint('dir-out/secret.txt'), refused('symlink-escape'));
    await assert.rejects(ws.readFile('gitlink/config'), refused('git'));
    assert.equal((await ws.readFile('link-in.ts')).totalLines, 3, 'a symlink inside the workspace is fine');
  });

  it('refuses binary, non-UTF-8 and oversized files with typed errors', async () => {
    await assert.rejects(ws.readFile('image.png'), BinaryFileError);
    await assert.rejects(ws.readFile('latin1.txt'), BinaryFileError);
    await assert.rejects(ws.readFile('big.txt'), (e) => e instanceof FileTooLargeError && e.sizeBytes === 2048 && e.limitBytes === 1024);
    await assert.rejects(ws.readFile('missing.txt'), FileNotFoundError);
    await assert.rejects(ws.readFile('src'), WrongKindError);
  });

  it('lists a folder without .git', async () => {
    const names = (await ws.listDir('.')).map((e) => `${e.name}:${e.kind}`);
    assert.ok(names.includes('src:directory'));
    assert.ok(names.includes('README.md:file'));
    assert.ok(names.includes('link-out.txt:symlink'));
    assert.ok(!names.some((n) => n.startsWith('.git')));
  });

  it('searches text files, skipping .git, node_modules, binaries and oversized files', async () => {
    await writeFiles(root, { 'bin.dat': new Uint8Array([0x6e, 0x65, 0x65, 0x64, 0x6c, 0x65, 0x00]), 'huge.txt': `needle${'x'.repeat(2000)}` });
    const r = await ws.search({ query: 'NEEDLE' });
    assert.deepEqual(r.matches, [{ path: 'README.md', line: 2, text: 'needle here' }]);
    assert.equal(r.truncated, false);
    const cs = await ws.search({ query: 'NEEDLE', caseSensitive: true });
    assert.equal(cs.matches.length, 0);
  });

  it('searches with a regex, under a folder, and reports truncation', async () => {
    const r = await ws.search({ query: '^const [ab]', isRegex: true, under: 'src', maxResults: 1 });
    assert.deepEqual(r.matches, [{ path: 'src/a.ts', line: 1, text: 'const a = 1;' }]);
    assert.equal(r.truncated, true);
    await assert.rejects(ws.search({ query: '(', isRegex: true }), InvalidQueryError);
    await assert.rejects(ws.search({ query: 'x', under: '../' }), PathRefusedError);
  });
});
