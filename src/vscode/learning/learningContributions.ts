import * as vscode from 'vscode';
import type { Logger } from '../../common/log';
import { readJournal } from '../../node/memory/journalRead';
import type { Config } from '../config';
import type { MemoryService } from '../memory/memoryService';
import { registerFitWeightsCommands, type FitWeightsDeps, type FitWeightsOutcome } from './fitWeightsCommand';
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
  const weightFit = registerFitWeightsCommands(s, fitLog);
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
      fitWeights: async () => fitReply(await weightFit.fit()),
    },
    s.log.topic('insights'),
  );
  const refresh = () => void panel.refresh();
  return [
    ...weightFit.disposables,
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

/** How a fit started from the Routing insights view ended, in a line for its status; a failure is thrown with its words. */
function fitReply(outcome: FitWeightsOutcome): { status: 'fitted' | 'adopted' | 'too-few' | 'cancelled'; message: string } {
  switch (outcome.status) {
    case 'fitted':
      return outcome.adopted
        ? { status: 'adopted', message: vscode.l10n.t('The fitted weights are now the weights of this workspace.') }
        : { status: 'fitted', message: vscode.l10n.t('The weights were fitted and not adopted; the replay shows what they would change.') };
    case 'too-few':
      return { status: 'too-few', message: vscode.l10n.t('Too few auctions with a verdict to fit the weights: {0} of {1}.', outcome.usable, outcome.needed) };
    case 'cancelled':
      return { status: 'cancelled', message: vscode.l10n.t('The weight fit was cancelled.') };
    case 'failed':
      throw new Error(vscode.l10n.t('The weight fit failed: {0}', outcome.message));
  }
}
