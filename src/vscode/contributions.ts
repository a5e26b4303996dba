import path from 'node:path';
import * as vscode from 'vscode';
import { registerShadowRuns, type ShadowRunner } from './execution/shadowRun';
import { registerAuctionTaskCommand } from './commands/auctionTask';
import { panelHandlers, reauction } from './panel/panelHandlers';
import { PANEL_VIEW_ID, PanelViewProvider } from './panel/panelViewProvider';
import { registerExecutionContributions } from './execution/executionCommands';
import { registerProviderContributions } from './providers/providerContributions';
import { registerMemoryContributions } from './memory/memoryContributions';
import { registerReportContributions } from './report/reportContributions';
import { registerLearningContributions } from './learning/learningContributions';
import { registerOnboardingContributions } from './onboarding/onboardingContributions';
import type { CoreApi } from './api';
import type { Services } from './services';
import { registerEach, type Contribution } from '../common/lifecycle';
import { SessionStore } from '../node/session/sessionStore';

/**
 * Every contribution of the extension, each registered in isolation (`registerEach`: one that throws is logged
 * and the others still activate), and the API `activate()` returns.
 */
export function registerContributions(s: Services): { disposables: vscode.Disposable[]; api: CoreApi; failed: string[] } {
  let execution: ReturnType<typeof registerExecutionContributions> | undefined;
  let memory: ReturnType<typeof registerMemoryContributions> | undefined;
  let shadow: ShadowRunner | undefined;
  const auctionTaskDeps = { panel: s.panelModel, config: s.config, auctions: s.auctions, log: s.log };
  const handlers = panelHandlers({ ...auctionTaskDeps, sessions: s.sessions, execution: () => execution?.panel });
  const panel = new PanelViewProvider(s.context.extensionUri, s.panelModel, s.log.topic('panel'), handlers);
  const testMode = s.context.extensionMode === vscode.ExtensionMode.Test;
  const showLogs = () => s.channel.show();
  const contributions: Contribution[] = [
    { name: 'panel', register: () => [panel, vscode.window.registerWebviewViewProvider(PANEL_VIEW_ID, panel, { webviewOptions: { retainContextWhenHidden: false } })] },
    {
      name: 'auction commands',
      register: () => [
        registerAuctionTaskCommand(auctionTaskDeps),
        // Resolves when the auction ends.
        vscode.commands.registerCommand('sale.reauction', async () => {
          await (await reauction({ ...auctionTaskDeps, sessions: s.sessions }))?.done;
        }),
        vscode.commands.registerCommand('sale.cancelAuction', () => s.auctions.cancel()),
      ],
    },
    { name: 'logs', register: () => [vscode.commands.registerCommand('sale.showLogs', showLogs)] },
    { name: 'providers', register: () => registerProviderContributions({ keys: s.keys, pool: s.pool, log: s.log }) },
    {
      name: 'cost report',
      register: () => registerReportContributions({ extensionUri: s.context.extensionUri, ledger: s.ledger, pool: s.pool, config: s.config, panel: s.panelModel, log: s.log }),
    },
    {
      name: 'learning',
      register: () => registerLearningContributions({ extensionUri: s.context.extensionUri, memory: s.memory, config: s.config, workspaceState: s.context.workspaceState, log: s.log }),
    },
    {
      name: 'shadow runs',
      register: () => {
        shadow = registerShadowRuns({ sessions: s.sessions, journal: s.journal, pool: s.pool, calls: s.ledger.sink, config: s.config, host: s.agentHost, log: s.log }).runner;
        return [shadow];
      },
    },
    { name: 'onboarding', register: () => registerOnboardingContributions({ keys: s.keys, pool: s.pool, panel: s.panelModel, testMode, log: s.log }) },
    {
      name: 'memory',
      register: () => {
        memory = registerMemoryContributions({ memory: s.memory, log: s.log });
        return memory.disposables;
      },
    },
    {
      name: 'execution',
      register: () => {
        execution = registerExecutionContributions({
          sessions: s.sessions,
          journal: s.journal,
          pool: s.pool,
          calls: s.ledger.sink,
          ledger: s.ledger,
          config: s.config,
          panel: s.panelModel,
          host: s.agentHost,
          log: s.log,
          showLogs,
          checkpointsDir: path.join(s.storageDir, 'checkpoints'),
          testMode,
        });
        return execution.disposables;
      },
    },
  ];
  const { disposables, failed } = registerEach(contributions, s.log);
  const api: CoreApi = {
    storageDir: s.storageDir,
    whenPanelReady: () => panel.whenReady(),
    panelState: () => s.panelModel.state,
    lastAuctionResult: () => s.auctions.result,
    memoryAuctions: async () => {
      const store = await s.memory.store();
      await store.refresh();
      return store.list().map((v) => ({ id: v.head.id, task: v.head.task, winnerModelId: v.head.winner?.modelId, bids: v.head.bidCount, label: v.label }));
    },
    memoryEmbedder: () => s.embedders.current()?.model,
    ledgerLines: () => s.ledger.readAll().then((lines) => [...lines]),
    languageModelPoolEntries: async () => (s.pool.lm ? s.pool.lm.poolEntries(new Set((await s.pool.snapshot()).models.map((m) => m.id))) : []),
    memoryBrowserItems: async () =>
      (await (memory ?? notRegistered('memory')).tree.getChildren()).map((i) => ({ id: i.view.head.id, label: typeof i.label === 'string' ? i.label : (i.label?.label ?? ''), description: typeof i.description === 'string' ? i.description : '' })),
    memoryOutcomes: async (auctionId) => (await (await s.memory.store()).outcomes(auctionId)).map((o) => o.fact),
    failedContributions: () => [...failed],
    reloadSessions: async () => {
      // What this window has handed to the log is on disk first, as when a window closes after its last write.
      await s.sessionLog.flush();
      // A reader of its own over the same folder, exactly as a new window starts with.
      const restored = new SessionStore(s.storageDir, s.log.topic('sessions')).restore();
      s.sessions.clear();
      s.sessions.restore(restored);
      await s.sessions.whenRestored();
      return (await restored).map((x) => x.id);
    },
    approveShadowTests: (command) => (shadow ?? notRegistered('shadow runs')).approveTests(command),
    shadowRunsIdle: () => (shadow ?? notRegistered('shadow runs')).idle(),
  };
  return { disposables, api, failed };
}

function notRegistered(name: string): never {
  throw new Error(`The ${name} contribution did not register (see the SALE log)`);
}
