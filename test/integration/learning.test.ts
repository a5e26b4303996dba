// Learning from outcomes inside a real VS Code: two loopback models bid on six tasks; one model's work is accepted
// every time, the other's rejected. The next auction's bids then carry predicted chances of success that differ as
// those outcomes say (read from the workspace memory by the track-record port), the panel's cards show them and
// each model's record, and the dearer but reliable model wins: under the score because its record counts in the
// value (with `sale.auction.weights.record: 0` the score picks the cheap one), and under
// `sale.auction.rule: expected-utility` in cost per success.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ExecutionView } from '../../src/common/protocol/executionView';
import type { SaleApi } from '../../src/vscode/api';
import { LoopbackServer } from '../fixtures/loopback/server';
import type { ChatReply } from '../fixtures/loopback/types';
import { activateSale, scriptProbe, waitFor, withSettings } from './helpers';

const BID = JSON.stringify({ summary: 'Write a note', steps: ['Create the note', 'Finish'], files: ['notes/learn.md'], risks: ['none'], verification: ['read it'] });
const tools = (name: string, args: unknown, id: string): ChatReply => ({ kind: 'chat', when: { tools: true }, toolCalls: [{ id, name, arguments: JSON.stringify(args) }], usage: { input: 400, output: 60 } });

describe('learning from outcomes: the next auction predicts success from this workspace', function () {
  this.timeout(240_000);
  let api: SaleApi;
  let server: LoopbackServer;
  let restore: (() => Promise<void>) | undefined;
  const stamp = Date.now();
  const wire = { 'learn-good': `learn-good-${stamp}`, 'learn-bad': `learn-bad-${stamp}` } as const;

  before(async () => {
    api = await activateSale();
    server = await LoopbackServer.start();
    for (const model of Object.values(wire)) scriptProbe(server, model);
    server.setDefault({ kind: 'chat', text: BID, usage: { input: 200, output: 120 } });
    restore = await withSettings({
      'localServers.detect': false,
      'auction.jury.mode': 'none',
      'auction.refinement.enabled': false,
      'auction.rule': 'score',
      'auction.weights.record': 2,
      // The reliable model costs 1.5× the other per token: without a jury and without the record the score picks
      // the cheap one.
      models: [
        { id: 'learn-good', provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, model: wire['learn-good'], price: { inputPerMTok: 1.5, outputPerMTok: 3 }, roles: ['bidder', 'executor'] },
        { id: 'learn-bad', provider: 'openai-compatible', baseUrl: server.openaiBaseUrl, model: wire['learn-bad'], price: { inputPerMTok: 1, outputPerMTok: 2 }, roles: ['bidder', 'executor'] },
      ],
    });
  });

  after(async () => {
    await restore?.();
    await server?.close();
    // The accepted notes were applied to the sample workspace: remove them, and the folder if this test made it,
    // so later suites find the sample as it was.
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (folder) {
      const notes = path.join(folder, 'notes');
      for (let i = 0; i < 6; i++) fs.rmSync(path.join(notes, `learn-${stamp}-${i}.md`), { force: true });
      if (fs.existsSync(notes) && fs.readdirSync(notes).length === 0) fs.rmdirSync(notes);
    }
  });

  async function auction(task: string) {
    await vscode.commands.executeCommand('sale.auctionTask', { task });
    return waitFor(`the auction "${task}" to end with two bids`, () => {
      const a = api.panelState().auction;
      const r = api.lastAuctionResult();
      return a?.status === 'completed' && a.task === task && r?.task === task && r.bids.length === 2 ? { view: a, result: r } : undefined;
    });
  }

  it('accepted and rejected work recorded in memory change the next ranking', async () => {
    for (let i = 0; i < 6; i++) {
      const modelId = i % 2 === 0 ? 'learn-good' : 'learn-bad';
      const { result } = await auction(`Write learning note number ${i}`);
      const bid = result.bids.find((b) => b.modelId === modelId);
      assert.ok(bid, `${modelId} bid on task ${i}`);
      server.script(wire[modelId], tools('create_file', { path: `notes/learn-${stamp}-${i}.md`, content: `note ${i}\n` }, `c${i}`), tools('finish', { summary: `wrote note ${i}` }, `f${i}`));
      const run = await vscode.commands.executeCommand<ExecutionView | undefined>('sale.runBid', { auctionId: result.auctionId, bidId: bid.id });
      assert.equal(run?.files.length, 1, JSON.stringify(run?.log.slice(-3)));
      await vscode.commands.executeCommand('sale.review.decideAll', { decision: modelId === 'learn-good' ? 'accepted' : 'rejected' });
      await vscode.commands.executeCommand('sale.applyAccepted');
      const outcomes = await waitFor(`the review of task ${i} in memory`, async () => {
        const facts = await api.memoryOutcomes(result.auctionId);
        return facts.some((f) => f.type === 'review') ? facts : undefined;
      });
      assert.ok(outcomes.length >= 1);
    }

    // The score rule: predictions are shown, and each model's record here counts in the value: the reliable model wins.
    const byScore = await auction('Write learning note number 7');
    const p = (id: string) => byScore.result.ranking.find((b) => b.modelId === id)?.prediction;
    const good = p('learn-good');
    const bad = p('learn-bad');
    assert.ok(good && bad, `every bid has a prediction: ${JSON.stringify(byScore.result.ranking.map((b) => [b.modelId, b.prediction]))}`);
    assert.ok(good.p > bad.p, `accepted work predicts success: ${good.p} > ${bad.p}`);
    assert.ok(good.outcomes >= 3 && bad.outcomes >= 3, `the predictions rest on this workspace's outcomes: ${good.outcomes}, ${bad.outcomes}`);
    assert.equal(byScore.result.winner?.modelId, 'learn-good', byScore.result.why);
    const card = byScore.view.cards.find((c) => c.modelId === 'learn-good');
    const badCard = byScore.view.cards.find((c) => c.modelId === 'learn-bad');
    assert.equal(card?.prediction?.p, good.p, 'the panel card carries the prediction');
    assert.equal(byScore.view.decision.rule, 'score');
    assert.ok(card?.record && badCard?.record, 'the panel cards carry the records');
    assert.ok(card.record.rate > badCard.record.rate && card.record.outcomes >= 3 && card.record.weight === 2, JSON.stringify([card.record, badCard.record]));
    assert.equal(card.signals.record, true);
    assert.match(byScore.view.why ?? '', /its record here \(an estimated \d+% from \d+ runs here and its prior\)/);

    // With the record's weight at 0 the score ignores the outcomes again: the cheap model wins.
    await vscode.workspace.getConfiguration('sale').update('auction.weights.record', 0, vscode.ConfigurationTarget.Global);
    const withoutRecord = await auction('Write learning note number 7b');
    assert.equal(withoutRecord.result.winner?.modelId, 'learn-bad', withoutRecord.result.why);
    assert.equal(withoutRecord.view.cards.find((c) => c.modelId === 'learn-good')?.signals.record, false);
    await vscode.workspace.getConfiguration('sale').update('auction.weights.record', 2, vscode.ConfigurationTarget.Global);

    // One setting switches the rule: the reliable model wins in cost per success, and "why" says so.
    await vscode.workspace.getConfiguration('sale').update('auction.rule', 'expected-utility', vscode.ConfigurationTarget.Global);
    const byUtility = await auction('Write learning note number 8');
    assert.equal(byUtility.result.winner?.modelId, 'learn-good', byUtility.result.why);
    assert.equal(byUtility.view.decision.rule, 'expected-utility');
    assert.equal(byUtility.view.decision.ruleFellBack, false);
    assert.match(byUtility.view.why ?? '', /learn-good won .*per success/);
    assert.ok(byUtility.view.cards.every((c) => c.prediction !== null && c.costPerSuccessUsd !== null));
  });
});
