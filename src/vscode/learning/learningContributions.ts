import * as vscode from 'vscode';
import { readJournal } from '../../node/memory/journalRead';
import type { Services } from '../services';
import { FIT_WEIGHTS_COMMAND, registerFitWeightsCommands } from './fitWeightsCommand';
import { INSIGHTS_MAX_AUCTIONS, RoutingInsightsPanel } from './insightsPanel';
import { FitLog, adoptionHistory, currentWeights, weightsFromWorkspace } from './weightsState';

export const SHOW_INSIGHTS_COMMAND = 'sale.showRoutingInsights';

/** Learning from outcomes: "Fit Auction Weights…", "Reset Auction Weights" and "Show Routing Insights". */
export function registerLearningContributions(s: Services): vscode.Disposable[] {
  const fitLog = new FitLog();
  const panel = new RoutingInsightsPanel(
    s.context.extensionUri,
    {
      scope: vscode.workspace.name ?? vscode.l10n.t('this workspace'),
      journal: async () => {
        const journal = await readJournal(await s.memory.store(), { max: INSIGHTS_MAX_AUCTIONS });
        if (!journal) throw new Error('the memory read was cancelled');
        return journal;
      },
      weightsInForce: () => currentWeights(s.config),
      weightsFromWorkspace,
      adoptions: () => adoptionHistory(s.context.workspaceState),
      lastFit: () => fitLog.last,
      fitWeights: () => vscode.commands.executeCommand(FIT_WEIGHTS_COMMAND),
    },
    s.log.topic('insights'),
  );
  const refresh = () => void panel.refresh();
  return [
    ...registerFitWeightsCommands(s, fitLog),
    fitLog,
    panel,
    s.memory.onDidChange(refresh),
    fitLog.onDidChange(refresh),
    s.config.onDidChange((keys) => {
      if (keys.some((k) => k.startsWith('auction.'))) refresh();
    }),
    // Given an argument (tests, automation) it also returns the insights; `{ open: false }` only builds them.
    vscode.commands.registerCommand(SHOW_INSIGHTS_COMMAND, (arg?: { open?: boolean }) => {
      if (arg?.open !== false) panel.show();
      return arg === undefined ? undefined : panel.snapshot();
    }),
  ];
}
