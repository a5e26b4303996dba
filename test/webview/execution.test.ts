import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { reviewFiles } from '../../src/common/panel/executionView';
import type { ExecutionView } from '../../src/common/protocol/executionView';
import type { PanelState } from '../../src/common/protocol/panel';
import { recordedExecution, type RecordedExecution } from '../unit/common/panel/executionStates';
import { WebviewHarness } from '../harness/webviewPage';

const RESULTS = path.resolve(import.meta.dirname, '../../test-results');
const task = { id: 'task_1', text: 'Shout two lines and add a file', source: 'palette' as const, receivedAt: '2026-11-26T10:00:00.000Z' };
const stateWith = (execution: ExecutionView): PanelState => ({ task, pool: [], auction: null, notice: null, budget: null, contextFiles: [], execution });
const type = (m: unknown) => (m as { type?: string }).type;

describe('execution and review in the side panel', () => {
  let harness: WebviewHarness;
  let run: RecordedExecution;
  before(async () => {
    fs.mkdirSync(RESULTS, { recursive: true });
    harness = await WebviewHarness.launch();
    run = await recordedExecution();
  });
  after(async () => {
    await harness?.close();
  });

  it('shows the steps as they happen, the command awaiting approval, and cancels', async () => {
    const waiting = run.views.find((v) => v.awaitingApproval !== null);
    assert.ok(waiting);
    const view = await harness.open({ view: 'panel', theme: 'dark', hostMessages: [{ type: 'state', state: stateWith(run.views[0] ?? waiting) }] });
    try {
      await view.page.waitForSelector('#execution-status');
      await view.postToView({ type: 'state', state: stateWith(waiting) });
      await view.page.waitForSelector('.approval');
      assert.match(await view.page.locator('.approval').innerText(), /npm test/);
      assert.equal(await view.page.locator('.step[data-kind="read"]').count(), 1);
      assert.match(await view.page.locator('.step[data-kind="read"]').innerText(), /src\/a\.txt[\s\S]*lines 1–10 of 20/);
      assert.match(await view.page.locator('#execution-cost').innerText(), /tokens · \$/);
      await view.page.screenshot({ path: path.join(RESULTS, 'panel-execution.png'), fullPage: true });
      await view.page.locator('#cancel-execution').click();
      assert.deepEqual(await view.waitForPosted((m) => type(m) === 'cancelExecution'), { type: 'cancelExecution' });
      const last = run.views.at(-1);
      assert.ok(last);
      await view.postToView({ type: 'state', state: stateWith(last) });
      await view.page.waitForSelector('#execution-status[data-status="finished"]');
      assert.equal(await view.page.locator('#cancel-execution').count(), 0, 'no cancel once the run ended');
      assert.equal(await view.page.locator('.step[data-kind="edit"]').count(), 3);
      assert.match(await view.page.locator('.step.denied').innerText(), /rm -rf/);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('posts per-hunk and per-file decisions, diff, apply; renders model text as inert text', async () => {
    const view = await harness.open({ view: 'panel', theme: 'light', viewport: { width: 520, height: 1400 }, hostMessages: [{ type: 'state', state: stateWith(run.reviewing) }] });
    try {
      const a = view.page.locator('.review-file[data-path="src/a.txt"]');
      await a.waitFor();
      assert.equal(await a.locator('.hunk').count(), 2);
      assert.match(await a.locator('.hunk').first().locator('.hunk-header').innerText(), /^@@ -\d+,\d+ \+\d+,\d+ @@$/);
      assert.match(await a.locator('.hunk').first().locator('.counts').innerText(), /\+1\s+−1/);
      assert.equal(await view.page.locator('#apply-accepted').isDisabled(), true, 'nothing accepted yet');

      await a.getByRole('button', { name: 'Accept hunk 1 of src/a.txt' }).click();
      assert.deepEqual((await view.waitForRequest('reviewDecision')).params, { path: 'src/a.txt', hunk: 0, decision: 'accepted' });
      await view.page.getByRole('button', { name: 'Reject all of src/b.txt' }).click();
      assert.deepEqual((await view.waitForRequest('reviewDecision', 1)).params, { path: 'src/b.txt', decision: 'rejected' });
      await view.page.getByRole('button', { name: 'Open diff of src/new.txt' }).click();
      assert.deepEqual((await view.waitForRequest('openDiff')).params, { path: 'src/new.txt' });
      await view.page.getByRole('button', { name: 'Edit the proposal for src/a.txt' }).click();
      assert.deepEqual((await view.waitForRequest('editProposal')).params, { path: 'src/a.txt' });
      await view.page.getByRole('button', { name: 'Accept all', exact: true }).click();
      assert.deepEqual((await view.waitForRequest('reviewAll')).params, { decision: 'accepted' });

      // The host answers with the decided state.
      const cs = run.changeSet;
      cs.setAllDecisions('pending');
      cs.setHunkDecision('src/a.txt', 0, 'accepted');
      cs.setHunkDecision('src/a.txt', 1, 'rejected');
      cs.setFileDecision('src/b.txt', 'rejected');
      cs.setFileDecision('src/new.txt', 'accepted');
      await view.postToView({ type: 'state', state: stateWith({ ...run.reviewing, files: reviewFiles(cs.files()) }) });
      await view.page.waitForSelector('.review-file[data-path="src/a.txt"].partial');
      assert.equal(await a.getByRole('button', { name: 'Accept hunk 1 of src/a.txt' }).getAttribute('aria-pressed'), 'true');
      assert.equal(await a.getByRole('button', { name: 'Reject hunk 2 of src/a.txt' }).getAttribute('aria-pressed'), 'true');
      assert.match(await view.page.locator('#apply-accepted').innerText(), /Apply accepted \(2\)/);

      // Model text: the summary and the hunks hold markup that must stay text.
      assert.match(await view.page.locator('#execution-summary').innerText(), /<img src=x onerror=/);
      assert.match(await view.page.locator('.review-file[data-path="src/b.txt"] .hunk-text').innerText(), /<script>window.__pwned = 3<\/script>/);
      assert.match(await a.locator('.hunk-text').first().innerText(), /LINE <b>TWO<\/b>/);
      assert.equal(await view.page.locator('.execution img, .execution script, .execution b').count(), 0);
      await view.page.waitForTimeout(100);
      assert.equal(await view.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      await view.page.screenshot({ path: path.join(RESULTS, 'panel-review.png'), fullPage: true });

      await view.page.locator('#apply-accepted').click();
      const apply = await view.waitForRequest('applyAccepted');
      assert.deepEqual(apply.params, {});
      // The host refuses (the review was closed meanwhile): the panel says why, in sight.
      await view.reply(apply.id, { error: 'This run\'s review is closed: a newer run replaced it.' });
      await view.page.locator('#action-failure', { hasText: 'a newer run replaced it' }).waitFor();
      assert.equal(await view.page.locator('#action-failure').getAttribute('role'), 'alert');
      await view.page.getByRole('button', { name: 'Dismiss' }).click();
      await view.page.locator('#action-failure').waitFor({ state: 'detached' });
      assert.deepEqual(await view.cspViolations(), []);
      assert.deepEqual(view.errors, []);
    } finally {
      await view.close();
    }
  });

  it('shows the outcome with conflicts after apply, and undoes from the keyboard', async () => {
    const cs = run.changeSet;
    const files = reviewFiles(cs.files(), new Map([['src/b.txt', 'src/b.txt changed after the agent read it; your newer text was kept.']]), new Set(['src/a.txt', 'src/new.txt']));
    const applied: ExecutionView = { ...run.reviewing, files, review: 'applied', outcome: 'Applied 2 file(s). Refused 1 file(s) changed on disk since the agent read them.' };
    const view = await harness.open({ view: 'panel', theme: 'high-contrast', hostMessages: [{ type: 'state', state: stateWith(applied) }] });
    try {
      await view.page.waitForSelector('#undo');
      assert.match(await view.page.locator('#review-outcome').innerText(), /Applied 2 file/);
      assert.match(await view.page.locator('.review-file[data-path="src/b.txt"] .conflict').innerText(), /your newer text was kept/);
      assert.equal(await view.page.locator('#apply-accepted').count(), 0, 'no second apply');
      assert.equal(await view.page.getByRole('button', { name: 'Accept hunk 1 of src/a.txt' }).isDisabled(), true, 'decisions are closed');
      await view.page.locator('#undo').focus();
      await view.page.keyboard.press('Enter');
      const undo = await view.waitForRequest('undoLastAuction');
      await view.reply(undo.id, { value: { restored: ['src/a.txt', 'src/new.txt'] } });
      await view.page.locator('#run-tests').click();
      assert.deepEqual((await view.waitForRequest('runTests')).params, {});
      assert.equal(await view.page.locator('#action-failure').count(), 0, 'an answered undo shows no failure');
      await view.page.screenshot({ path: path.join(RESULTS, 'panel-review-applied.png'), fullPage: true });
    } finally {
      await view.close();
    }
  });
});
