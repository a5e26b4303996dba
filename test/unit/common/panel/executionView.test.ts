import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangeSet } from '../../../../src/common/agent/changeSet';
import { applyAgentEvent, emptyExecutionView, maxHunkChars, maxLogLines, reviewDecisions, reviewFiles } from '../../../../src/common/panel/executionView';
import { ExecutionView } from '../../../../src/common/protocol/executionView';
import { panelProtocol } from '../../../../src/common/protocol/panel';
import { hostileSummary, recordedExecution } from './executionStates';

describe('execution view reducer', () => {
  it('folds a real run into steps: model text, reads, approved and denied commands, edits, usage, summary', async () => {
    const { views, reviewing } = await recordedExecution();
    const last = views.at(-1);
    assert.ok(last);
    assert.equal(last.status, 'finished');
    assert.equal(last.summary, hostileSummary);
    assert.equal(last.steps, 4);
    assert.equal(last.tokens, 4 * 110, 'tokens as the provider reported them');
    assert.ok(last.dollars !== null && last.dollars > 0);
    assert.equal(last.awaitingApproval, null);
    const kinds = last.log.map((l) => `${l.kind}:${l.label}:${l.status}`);
    assert.ok(kinds.includes('text:model:done'));
    assert.ok(kinds.includes('read:src/a.txt:done'));
    assert.ok(kinds.includes('command:npm test:done'), 'the approved command ran');
    assert.ok(kinds.includes('command:rm -rf /:denied'), 'the denied one is shown as denied');
    assert.deepEqual(last.log.filter((l) => l.kind === 'edit').map((l) => l.label), ['src/a.txt', 'src/b.txt', 'src/new.txt']);
    assert.equal(last.log.find((l) => l.kind === 'read')?.detail, 'lines 1–10 of 20');
    const waiting = views.find((v) => v.awaitingApproval !== null);
    assert.deepEqual(waiting?.awaitingApproval, { command: 'npm test', cwd: '.' }, 'a command awaiting approval is shown while it waits');
    for (const v of [...views, reviewing]) ExecutionView.parse(v);
  });

  it('lists the changed files with per-hunk decisions, counts and headers', async () => {
    const { reviewing, changeSet } = await recordedExecution();
    assert.deepEqual(reviewing.files.map((f) => [f.path, f.kind, f.decision]), [
      ['src/a.txt', 'modify', 'pending'],
      ['src/b.txt', 'modify', 'pending'],
      ['src/new.txt', 'create', 'pending'],
    ]);
    const a = reviewing.files[0];
    assert.equal(a?.hunks.length, 2);
    assert.match(a.hunks[0]?.header ?? '', /^@@ -\d+,\d+ \+\d+,\d+ @@$/);
    assert.deepEqual(a.hunks.map((h) => [h.added, h.removed]), [[1, 1], [1, 0]]);
    assert.equal(a.added, 2);
    changeSet.setHunkDecision('src/a.txt', 0, 'accepted');
    changeSet.setHunkDecision('src/a.txt', 1, 'rejected');
    changeSet.setFileDecision('src/new.txt', 'accepted');
    const files = reviewFiles(changeSet.files(), new Map([['src/b.txt', 'changed on disk']]), new Set(['src/a.txt']));
    assert.deepEqual(files.map((f) => f.decision), ['partial', 'pending', 'accepted']);
    assert.equal(files[1]?.conflict, 'changed on disk');
    assert.deepEqual(files.map((f) => f.applied), [true, false, false]);
    assert.deepEqual(reviewDecisions(files), [
      { path: 'src/a.txt', decision: 'partial', hunks: [{ index: 0, accepted: true }, { index: 1, accepted: false }] },
      { path: 'src/b.txt', decision: 'rejected' },
      { path: 'src/new.txt', decision: 'accepted' },
    ]);
  });

  it('keeps the last lines only, and records limits, failures and cancellation', () => {
    let v = emptyExecutionView({ runId: 'r', auctionId: null, bidId: 'b', modelId: 'm', startedAt: 't' });
    for (let i = 0; i < maxLogLines + 20; i++) v = applyAgentEvent(v, { type: 'assistantText', text: `t${i}`, time: 0, step: i });
    assert.equal(v.log.length, maxLogLines);
    assert.equal(v.log.at(-1)?.detail, `t${maxLogLines + 19}`);
    assert.equal(applyAgentEvent(v, { type: 'limitReached', limit: 'dollars', time: 0, step: 1 }).limit, 'dollars');
    const failed = applyAgentEvent(v, { type: 'failed', code: 'rate-limit', message: 'slow down', time: 0, step: 1 });
    assert.deepEqual([failed.status, failed.error], ['failed', { code: 'rate-limit', message: 'slow down' }]);
    assert.equal(applyAgentEvent(v, { type: 'cancelled', time: 0, step: 1 }).status, 'cancelled');
    const unpriced = applyAgentEvent(v, { type: 'usage', usage: { inputTokens: 5, outputTokens: 5, cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0 }, totalTokens: 10, dollars: null, priceKnown: false, time: 0, step: 1 });
    assert.deepEqual([unpriced.tokens, unpriced.dollars], [10, null]);
  });

  it('cuts a huge hunk for the panel but keeps its counts', () => {
    const cs = new ChangeSet();
    const big = Array.from({ length: 5000 }, (_, i) => `added line ${i}\n`).join('');
    cs.proposeCreate('big.txt', big, { exists: false });
    const [file] = reviewFiles(cs.files());
    assert.equal(file?.added, 5000);
    assert.ok((file.hunks[0]?.text.length ?? 0) <= maxHunkChars + 1);
  });

  it('labels a rewrite too different to diff line by line as one replaced block', () => {
    const cs = new ChangeSet();
    const text = (tag: string) => Array.from({ length: 3000 }, (_, i) => `${tag} ${i}\n`).join('');
    cs.proposeSearchReplace('big.txt', [{ search: text('old'), replace: text('new') }], { exists: true, content: text('old'), fingerprint: 'fp' });
    const [file] = reviewFiles(cs.files());
    assert.equal(file?.hunks.length, 1);
    assert.match(file.hunks[0]?.header ?? '', /^@@ -1,3000 \+1,3000 @@ replaced as one block \(too different to diff line by line\)$/);
    assert.equal(file.added, 3000);
    assert.equal(file.removed, 3000);
  });

  it('validates the review requests from the view', () => {
    const { reviewDecision, reviewAll, openDiff, applyAccepted } = panelProtocol.requests;
    assert.ok(reviewDecision.params.safeParse({ path: 'src/a.txt', hunk: 1, decision: 'accepted' }).success);
    assert.ok(reviewDecision.params.safeParse({ path: 'src/a.txt', decision: 'rejected' }).success);
    assert.ok(applyAccepted.params.safeParse({}).success);
    assert.ok(applyAccepted.result.safeParse({ written: ['src/a.txt'], conflicts: [] }).success);
    assert.equal(reviewDecision.params.safeParse({ path: 'src/a.txt', hunk: -1, decision: 'accepted' }).success, false);
    assert.equal(reviewDecision.params.safeParse({ path: '', decision: 'accepted' }).success, false);
    assert.equal(reviewAll.params.safeParse({ decision: 'pending' }).success, false);
    assert.equal(openDiff.params.safeParse({}).success, false);
  });
});
