import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RoutingInsights } from '../../src/common/protocol/insights';
import type { FitWeightsOutcome } from '../../src/vscode/learning/fitWeightsCommand';
import { MemoryStore } from '../../src/node/memory/memoryStore';
import { accepted, ran, recorded, rejected, type BidSpec } from '../unit/common/learning/fitBuilders';
import { activateSale } from './helpers';

/**
 * Ten remembered auctions with real verdicts, written to the workspace's memory file the way the journal writes
 * them (default weights). In the first six a cheap bid won and was accepted; in the last four it won and was
 * rejected while a dearer bid the jury liked better never ran.
 */
function history(tag: string): { line: ReturnType<typeof recorded>['line']; outcomes: ReturnType<typeof recorded>['outcomes'] }[] {
  const out = [];
  for (let i = 0; i < 10; i++) {
    const good = i < 6;
    const specs: BidSpec[] = [
      { id: `${tag}-${i}-cheap`, model: 'fit-cheap', usd: 1, jury: { 'fit-juror': 4 }, outcomes: [ran(0.05), good ? accepted : rejected] },
      { id: `${tag}-${i}-dear`, model: 'fit-dear', usd: 10, jury: { 'fit-juror': good ? 3 : 4.3 } },
    ];
    out.push(recorded(`${tag}-${i}`, specs, {}, `2026-01-${10 + i}T10:00:00Z`));
  }
  return out;
}

describe('Fit Auction Weights to This Workspace', () => {
  it('says how many verdicts are missing when there are too few, then fits, replays, adopts and resets the weights', async () => {
    const api = await activateSale();
    const tooFew = await vscode.commands.executeCommand<FitWeightsOutcome>('sale.fitWeights', { adopt: false });
    assert.equal(tooFew.status, 'too-few');

    const tag = `fit${Date.now()}`;
    const auctions = history(tag);
    const store = await MemoryStore.open({ localPath: path.join(api.storageDir, 'memory.jsonl') });
    try {
      for (const a of auctions) {
        await store.recordAuction(a.line);
        for (const o of a.outcomes) await store.recordOutcomeLine(o);
      }
      const result = await vscode.commands.executeCommand<FitWeightsOutcome>('sale.fitWeights', { adopt: true });
      assert.equal(result.status, 'fitted');
      if (result.status !== 'fitted') return;
      assert.ok(result.fit.auctions.length >= 10);
      // With the weights in force the replay reproduces what happened: the cheap bid, its verdict, its real dollars.
      const mine = result.replay.rows.filter((r) => r.auctionId.startsWith(tag));
      assert.equal(mine.length, 10);
      for (const r of mine) {
        assert.equal(r.current.bidId, r.recordedWinnerBidId);
        assert.deepEqual(r.current.dollars, { basis: 'measured', usd: 0.05 });
      }
      assert.deepEqual(mine.map((r) => r.current.outcome), ['good', 'good', 'good', 'good', 'good', 'good', 'bad', 'bad', 'bad', 'bad']);
      // The fitted weights leave the rejected cheap bids for the dear ones the jury preferred, whose outcome is unknown.
      for (const r of mine.slice(6)) assert.deepEqual([r.fitted.modelId, r.fitted.outcome], ['fit-dear', 'unknown']);
      assert.match(result.document, /# Auction weights fitted to this workspace/);
      // Adopted: the workspace settings now hold the fitted weights.
      const config = vscode.workspace.getConfiguration('sale');
      assert.equal(config.inspect('auction.weights.cost')?.workspaceValue, result.fit.weights.cost);
      assert.deepEqual(config.inspect('auction.weights.jurors')?.workspaceValue, result.fit.weights.jurors);
      assert.notEqual(result.fit.weights.cost, 0.4);

      // Routing insights: these verdicts, the adopted weights and the replay of the adoption against what it replaced.
      const adopted = await vscode.commands.executeCommand<RoutingInsights>('sale.showRoutingInsights', { open: false });
      const cheap = adopted.models.find((m) => m.modelId === 'fit-cheap');
      assert.ok(cheap && cheap.success.successes >= 6 && cheap.success.n - cheap.success.successes >= 4, 'the cheap model\'s successes and failures');
      assert.ok(adopted.jurors.some((j) => j.jurorId === 'fit-juror'));
      assert.equal(adopted.weights.fromWorkspace, true);
      assert.equal(adopted.weights.inForce.cost, result.fit.weights.cost);
      assert.equal(adopted.replay?.kind, 'adoption');
      assert.ok(adopted.replay.rows.filter((r) => r.auctionId.startsWith(tag) && r.changed).length >= 4, 'the adoption moved the rejected picks');

      await vscode.commands.executeCommand('sale.resetAuctionWeights');
      const after = vscode.workspace.getConfiguration('sale');
      assert.equal(after.inspect('auction.weights.cost')?.workspaceValue, undefined);
      assert.equal(after.inspect('auction.weights.jurors')?.workspaceValue, undefined);
      const reset = await vscode.commands.executeCommand<RoutingInsights>('sale.showRoutingInsights', { open: false });
      assert.equal(reset.replay?.kind, 'reset', 'a reset is replayed as a reset, not as an adoption');
      assert.equal(reset.replay.proposed.cost, 0.4);

      // A fit not adopted: the insights replay it against the weights in force, what adopting it would change.
      const notAdopted = await vscode.commands.executeCommand<FitWeightsOutcome>('sale.fitWeights', { adopt: false });
      assert.equal(notAdopted.status, 'fitted');
      const pending = await vscode.commands.executeCommand<RoutingInsights>('sale.showRoutingInsights', {});
      assert.equal(pending.replay?.kind, 'fit');
      assert.equal(pending.weights.fromWorkspace, false);
      assert.equal(pending.replay.baseline.cost, 0.4);
      // The workbench lists the new tab a moment after the panel is created.
      const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
      for (let i = 0; i < 50 && !tabs().some((t) => t.label === 'SALE Routing Insights'); i++) await new Promise((r) => setTimeout(r, 100));
      const tab = tabs().find((t) => t.label === 'SALE Routing Insights');
      assert.ok(tab, `the insights view opened in an editor tab (tabs: ${tabs().map((t) => t.label).join(', ')})`);
      await vscode.window.tabGroups.close(tab);
    } finally {
      for (const a of auctions) await store.delete(a.line.id);
      store.dispose();
    }
  });
});
