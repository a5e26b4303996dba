import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeSet, type FileBase } from '../../../../src/common/agent/changeSet';
import { ConflictError, SearchMissError, StagingError } from '../../../../src/common/agent/errors';
import { applySearchReplace } from '../../../../src/common/agent/searchReplace';

const lines = (n: number, f: (i: number) => string = (i) => `line ${i}`) => Array.from({ length: n }, (_, i) => `${f(i + 1)}\n`).join('');
const base = (content: string, fingerprint = 'fp-1'): FileBase => ({ exists: true, content, fingerprint });

describe('applySearchReplace', () => {
  it('applies blocks in order, each against the previous result', () => {
    assert.equal(applySearchReplace('f', 'a b c', [{ search: 'a', replace: 'x' }, { search: 'x b', replace: 'y' }]), 'y c');
  });
  it('refuses a block that matches nothing or several places, applying nothing', () => {
    assert.throws(() => applySearchReplace('f', 'a b', [{ search: 'a', replace: 'z' }, { search: 'q', replace: 'r' }]), (e) => e instanceof SearchMissError && e.editIndex === 1 && e.matches === 0);
    assert.throws(() => applySearchReplace('f', 'a a', [{ search: 'a', replace: 'z' }]), (e) => e instanceof SearchMissError && e.matches === 2);
  });
  it('matches LF blocks in a CRLF file and keeps CRLF', () => {
    assert.equal(applySearchReplace('f', 'one\r\ntwo\r\n', [{ search: 'one\ntwo', replace: '1\n2' }]), '1\r\n2\r\n');
  });
});

describe('ChangeSet', () => {
  it('computes hunks and builds the final text from per-hunk decisions', () => {
    const cs = new ChangeSet();
    const text = lines(40);
    cs.proposeSearchReplace('a.ts', [{ search: 'line 2\n', replace: 'two\n' }, { search: 'line 35\n', replace: 'thirty-five\n' }], base(text));
    const f = cs.file('a.ts');
    assert.equal(f.kind, 'modify');
    assert.equal(f.hunks.length, 2);
    assert.deepEqual(f.decisions, ['pending', 'pending']);
    cs.setHunkDecision('a.ts', 0, 'rejected');
    cs.setHunkDecision('a.ts', 1, 'accepted');
    assert.equal(cs.finalText('a.ts'), text.replace('line 35\n', 'thirty-five\n'));
    assert.deepEqual(cs.resolve(), [{ path: 'a.ts', finalContent: text.replace('line 35\n', 'thirty-five\n'), baseFingerprint: 'fp-1', existedAtBase: true }]);
  });

  it('applies later search/replace blocks to the latest proposal, keeping the first base', () => {
    const cs = new ChangeSet();
    cs.proposeSearchReplace('a.ts', [{ search: 'one', replace: 'two' }], base('one\n', 'fp-A'));
    cs.proposeSearchReplace('a.ts', [{ search: 'two', replace: 'three' }]);
    const f = cs.file('a.ts');
    assert.equal(f.proposedContent, 'three\n');
    assert.equal(f.baseContent, 'one\n');
    assert.equal(f.baseFingerprint, 'fp-A');
  });

  it('leaves the set unchanged when a search block misses', () => {
    const cs = new ChangeSet();
    cs.proposeSearchReplace('a.ts', [{ search: 'one', replace: 'two' }], base('one\n'));
    assert.throws(() => cs.proposeSearchReplace('a.ts', [{ search: 'nope', replace: 'x' }]), SearchMissError);
    assert.equal(cs.file('a.ts').proposedContent, 'two\n');
  });

  it('holds creations and deletions with file-level decisions', () => {
    const cs = new ChangeSet();
    cs.proposeCreate('new.ts', 'export {};\n', { exists: false });
    cs.proposeDelete('old.ts', base('gone\n', 'fp-old'));
    assert.equal(cs.file('new.ts').kind, 'create');
    assert.equal(cs.file('old.ts').kind, 'delete');
    assert.equal(cs.finalText('new.ts'), undefined, 'pending creation is not applied');
    cs.setAllDecisions('accepted');
    assert.equal(cs.finalText('new.ts'), 'export {};\n');
    assert.equal(cs.finalText('old.ts'), undefined);
    assert.throws(() => cs.proposeCreate('x.ts', 'a', base('exists')), StagingError);
  });

  it('drops a creation the agent deletes again', () => {
    const cs = new ChangeSet();
    cs.proposeCreate('tmp.ts', 'x', { exists: false });
    cs.proposeDelete('tmp.ts');
    assert.equal(cs.has('tmp.ts'), false);
  });

  it('lets the user replace the proposal before accepting', () => {
    const cs = new ChangeSet();
    cs.proposeContent('a.ts', 'agent text\n', base('old\n'));
    cs.setFileDecision('a.ts', 'accepted');
    cs.replaceProposal('a.ts', 'user text\n');
    const f = cs.file('a.ts');
    assert.equal(f.editedByUser, true);
    assert.deepEqual(f.decisions, ['pending'], 'decisions start over for new text');
    cs.setFileDecision('a.ts', 'accepted');
    assert.equal(cs.finalText('a.ts'), 'user text\n');
  });

  it('detects a conflict when the file changed on disk after it was read', () => {
    const cs = new ChangeSet();
    cs.proposeContent('a.ts', 'new\n', base('old\n', 'fp-1'));
    cs.proposeCreate('b.ts', 'b\n', { exists: false });
    assert.doesNotThrow(() => cs.checkConflict('a.ts', 'fp-1'));
    assert.throws(
      () => cs.checkConflict('a.ts', 'fp-2'),
      (e) => e instanceof ConflictError && e.path === 'a.ts' && e.baseFingerprint === 'fp-1' && e.currentFingerprint === 'fp-2' && e.nextStep?.kind === 'retry',
    );
    assert.throws(() => cs.checkConflict('a.ts', undefined), ConflictError);
    assert.doesNotThrow(() => cs.checkConflict('b.ts', undefined));
    assert.throws(() => cs.checkConflict('b.ts', 'fp-someone-created-it'), ConflictError);
  });
});
