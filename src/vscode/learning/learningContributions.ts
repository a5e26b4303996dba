import * as vscode from 'vscode';
import type { Logger } from '../../common/log';
import { readJournal } from '../../node/memory/journalRead';
import type { Config } from '../config';
import type { MemoryService } from '../memory/memoryService';
import { FIT_WEIGHTS_COMMAND, registerFitWeightsCommands, type FitWeightsDeps } from './fitWeightsCommand';
import { INSIGHTS_MAX_AUCTIONS, RoutingInsightsPanel } from './insightsPanel';
import { FitLog, adoptionHistory, currentWeights, weightsFromWorkspace } from './weightsState';

export const SHOW_INSIGHTS_COMMAND = 'sale.showRoutingInsights';

/** What learning from outcomes uses: the memory, the weight settings and their adoption history. */
export interface LearningDeps extends FitWeightsDeps {
  extensionUri: vscode.Uri;
  memory: Pick<MemoryService, 'store' | 'onDidChange'>;
  config: Pick<Config, 'get' | 'onDidChange'>;
  log: Logger;
}

/** Learning from outcomes: "Fit Auction Weights…", "Reset Auction Weights" and "Show Routing Insights". */
export function registerLearningContributions(s: LearningDeps): vscode.Disposable[] {
  const fitLog = new FitLog();
  const panel = new RoutingInsightsPanel(
    s.extensionUri,
    {
      scope: vscode.workspace.name ?? vscode.l10n.t('this workspace'),
      journal: async () => {
        const journal = await readJournal(await s.memory.store(), { max: INSIGHTS_MAX_AUCTIONS });
        if (!journal) throw new Error('the memory read was cancelled');
        return journal;
      },
      weightsInForce: () => currentWeights(s.config),
      weightsFromWorkspace,
      adoptions: () => adoptionHistory(s.workspaceState),
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
