import * as vscode from 'vscode';
import type { AuctionWeights } from '../../common/auction/weights';
import { candidatesAt } from '../../common/learning/weightHistory';
import { isCancellation } from '../../common/errors';
import { fitAuctionOf, type FitAuction } from '../../common/learning/weightFeatures';
import { fitWeights, WeightFitError, type WeightFitResult } from '../../common/learning/weightFit';
import { weightFitMarkdown } from '../../common/learning/weightFitReport';
import { jurorCalibration, modelRates } from '../../common/learning/insights';
import { observationsOfAuction, type Observation } from '../../common/learning/observations';
import { replayWeights, type WeightReplay } from '../../common/learning/weightReplay';
import { readJournal } from '../../node/memory/journalRead';
import { SETTINGS_SECTION } from '../settingsSchema';
import { HISTORY_KEY, WEIGHT_KEYS, adoptionHistory, currentWeights, type FitLog } from './weightsState';
import type { Logger } from '../../common/log';
import type { Config } from '../config';
import type { MemoryService } from '../memory/memoryService';

export const FIT_WEIGHTS_COMMAND = 'sale.fitWeights';
export const RESET_WEIGHTS_COMMAND = 'sale.resetAuctionWeights';
const SCHEME = 'sale-weight-fit';
/** Auctions read at most (the most recent), for the fit and the replay. */
const MAX_READ = 500;

/**
 * What the command did, returned to its caller (tests, automation). `adopt` in the argument answers the
 * "Use These Weights" question without asking.
 */
export type FitWeightsOutcome =
  | { status: 'fitted'; adopted: boolean; fit: WeightFitResult; replay: WeightReplay; document: string }
  | { status: 'too-few'; usable: number; needed: number }
  | { status: 'cancelled' }
  | { status: 'failed'; message: string };

/** What the weight fit uses: the memory's auctions, the weight settings and their adoption history. */
export interface FitWeightsDeps {
  memory: Pick<MemoryService, 'store'>;
  config: Pick<Config, 'get'>;
  /** The workspace's state: the history of adopted and reset weights. */
  workspaceState: vscode.Memento;
  log: Logger;
}

/** "SALE: Fit Auction Weights to This Workspace…" and "SALE: Reset Auction Weights". */
export function registerFitWeightsCommands(s: FitWeightsDeps, fitLog: FitLog): { disposables: vscode.Disposable[]; fit: (arg?: { adopt?: boolean }) => Promise<FitWeightsOutcome> } {
  const log = s.log.topic('weights');
  const pages = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = { onDidChange: changed.event, provideTextDocumentContent: (uri) => pages.get(uri.path) ?? '' };

  const weightsInForce = (): AuctionWeights => currentWeights(s.config);

  const read = async (token: vscode.CancellationToken, progress: vscode.Progress<{ message?: string; increment?: number }>): Promise<{ auctions: FitAuction[]; observations: Observation[] } | undefined> => {
    const journal = await readJournal(await s.memory.store(), {
      max: MAX_READ,
      cancelled: () => token.isCancellationRequested,
      progress: (i, n) => progress.report({ message: vscode.l10n.t('Reading auction {0} of {1}', i, n) }),
    });
    if (!journal) return undefined;
    const history = adoptionHistory(s.workspaceState);
    const current = weightsInForce();
    // The same lines give the calibration section of the page: each executed bid with a verdict.
    const out = journal.auctions.map((line) => fitAuctionOf(line, journal.outcomes.get(line.id) ?? [], candidatesAt(line.time, history, current)));
    const observations = journal.auctions.flatMap((line) => observationsOfAuction(line, journal.outcomes.get(line.id) ?? []));
    return { auctions: out, observations };
  };

  const adopt = async (fitted: AuctionWeights, before: AuctionWeights): Promise<void> => {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const target = vscode.ConfigurationTarget.Workspace;
    await config.update('auction.weights.cost', fitted.cost, target);
    await config.update('auction.weights.entropy', fitted.entropy, target);
    await config.update('auction.weights.jury', fitted.jury, target);
    await config.update('auction.weights.jurors', fitted.jurors && Object.keys(fitted.jurors).length ? fitted.jurors : undefined, target);
    const history = adoptionHistory(s.workspaceState);
    await s.workspaceState.update(HISTORY_KEY, [...history, { time: new Date().toISOString(), before, after: fitted, kind: 'adopt' as const }].slice(-20));
    log.info(`Fitted weights adopted in the workspace settings: ${JSON.stringify(fitted)} (were ${JSON.stringify(before)})`);
  };

  const reset = async (): Promise<void> => {
    const before = weightsInForce();
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    for (const key of WEIGHT_KEYS) await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
    const after = weightsInForce();
    const history = adoptionHistory(s.workspaceState);
    await s.workspaceState.update(HISTORY_KEY, [...history, { time: new Date().toISOString(), before, after, kind: 'reset' as const }].slice(-20));
    log.info(`Workspace auction weights reset: now ${JSON.stringify(after)}`);
    fitLog.historyChanged();
    void vscode.window.showInformationMessage(vscode.l10n.t('SALE: the auction weights of this workspace were removed; the user or default weights apply again.'));
  };

  const run = async (arg?: { adopt?: boolean }): Promise<FitWeightsOutcome> => {
    if (!vscode.workspace.workspaceFolders?.length) {
      const message = vscode.l10n.t('Open a folder first: fitted weights are workspace settings, learned from that workspace\'s auctions.');
      void vscode.window.showWarningMessage(message);
      return { status: 'failed', message };
    }
    const current = weightsInForce();
    let result: { fit: WeightFitResult; replay: WeightReplay; observations: Observation[] } | undefined;
    try {
      result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('SALE: Fitting auction weights'), cancellable: true }, async (progress, token) => {
        const read_ = await read(token, progress);
        if (!read_ || token.isCancellationRequested) return undefined;
        const { auctions, observations } = read_;
        progress.report({ message: vscode.l10n.t('Solving the min-max program over {0} auctions', auctions.length) });
        // Let the notification paint before the solver (synchronous, bounded by its time limit) takes the thread.
        await new Promise((r) => setTimeout(r, 0));
        const fit = fitWeights(auctions, current);
        if (token.isCancellationRequested) return undefined;
        return { fit, replay: replayWeights(auctions, current, fit.weights), observations };
      });
    } catch (e) {
      if (e instanceof WeightFitError && e.code === 'too-few-auctions') {
        const memory = vscode.l10n.t('Open Auction Memory');
        void vscode.window
          .showInformationMessage(
            vscode.l10n.t('SALE can fit the auction weights once {0} auctions have an executed bid with a verdict and another bid to compare it with; this workspace has {1}. Next: run auctions, then accept or reject the work (or run the tests after applying it); each verdict counts.', e.needed, e.usable),
            memory,
          )
          .then((choice) => (choice === memory ? vscode.commands.executeCommand('sale.memory.focus') : undefined));
        return { status: 'too-few', usable: e.usable, needed: e.needed };
      }
      if (isCancellation(e)) return { status: 'cancelled' };
      const message = e instanceof Error ? e.message : String(e);
      log.error(e instanceof Error ? e : message);
      void vscode.window.showErrorMessage(vscode.l10n.t('SALE could not fit the auction weights: {0}', message));
      return { status: 'failed', message };
    }
    if (!result) return { status: 'cancelled' };
    const { fit, replay, observations } = result;
    const markdown = weightFitMarkdown(fit, replay, current, { jurors: jurorCalibration(observations), models: modelRates(observations) });
    const path = `/weight-fit-${Date.now()}.md`;
    pages.set(path, markdown);
    const uri = vscode.Uri.from({ scheme: SCHEME, path });
    log.info(`Weight fit: worst loss ${fit.worstLoss} (in force ${fit.currentWorstLoss}), ${fit.status} by ${fit.method}; replay changes ${replay.changed} of ${replay.rows.length} picks`);
    // Beside, not over, what is open: the fit is often started from the Routing Insights view, which stays in sight.
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri).then(undefined, async () => {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true, viewColumn: vscode.ViewColumn.Beside });
    });
    let use = arg?.adopt;
    if (use === undefined) {
      const yes = vscode.l10n.t('Use These Weights');
      const no = vscode.l10n.t('Keep Current Weights');
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t('Fitted weights: worst loss {0} (now {1}). In the replay they change {2} of {3} picks: {4} known failure(s) avoided, {5} known success(es) given up. Use them in this workspace?', fmt(fit.worstLoss), fmt(fit.currentWorstLoss), replay.changed, replay.rows.length, replay.avoidedFailures, replay.lostSuccesses),
        yes,
        no,
      );
      use = choice === yes;
    }
    const fittedAt = new Date().toISOString();
    if (use) await adopt(fit.weights, current);
    // After the adoption is in the history, so a view refreshed by this sees both.
    fitLog.record({ time: fittedAt, baseline: current, fitted: fit.weights, adopted: use });
    if (use) {
      const undo = vscode.l10n.t('Reset Auction Weights');
      if (arg?.adopt === undefined) {
        void vscode.window
          .showInformationMessage(vscode.l10n.t('SALE: the fitted weights are now this workspace\'s sale.auction.weights.* settings. "SALE: Reset Auction Weights" removes them again.'), undo)
          .then((c) => (c === undo ? reset() : undefined));
      }
    }
    return { status: 'fitted', adopted: use, fit, replay, document: markdown };
  };

  const disposables = [
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    vscode.commands.registerCommand(FIT_WEIGHTS_COMMAND, run),
    vscode.commands.registerCommand(RESET_WEIGHTS_COMMAND, reset),
  ];
  return { disposables, fit: run };
}

function fmt(x: number): string {
  return Number(x.toPrecision(3)).toString();
}
