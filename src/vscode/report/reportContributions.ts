import * as vscode from 'vscode';
import { ledgerExporter } from '../../common/ledger/export';
import type { PoolModel } from '../../common/ledger/entry';
import type { Logger } from '../../common/log';
import { usd } from '../../common/protocol/format';
import type { Config } from '../config';
import type { LedgerService } from '../ledger/ledgerService';
import type { PanelModel } from '../panel/panelModel';
import type { ModelPoolService } from '../providers/modelPool';
import { CostReportPanel } from './costReportPanel';

export const SHOW_COST_REPORT_COMMAND = 'sale.showCostReport';
const STATUS_REFRESH_MS = 1_000;

/** What the cost report and the spend status bar item use. */
export interface ReportContributionDeps {
  extensionUri: vscode.Uri;
  ledger: Pick<LedgerService, 'report' | 'readAll' | 'spentToday' | 'onDidAppend'>;
  /** The enabled models' prices, recorded with the report. */
  pool: Pick<ModelPoolService, 'snapshot'>;
  config: Pick<Config, 'get' | 'onDidChange'>;
  /** The panel's budget line (what was spent today against the budgets). */
  panel: Pick<PanelModel, 'setBudget'>;
  log: Logger;
}

/** "SALE: Show Cost Report" and the status bar item with this workspace's spend today. */
export function registerReportContributions(s: ReportContributionDeps): vscode.Disposable[] {
  const log = s.log.topic('report');
  const scope = vscode.workspace.name ?? vscode.l10n.t('this workspace');
  const poolPrices = async (): Promise<PoolModel[]> => {
    const snapshot = await s.pool.snapshot();
    return snapshot.models.filter((m) => m.enabled).map((m) => ({ modelId: m.id, model: m.model, ...(m.price ? { price: m.price } : {}) }));
  };
  const panel = new CostReportPanel(s.extensionUri, async () => s.ledger.report(scope, await poolPrices()), ledgerExporter(() => s.ledger.readAll()), log);

  const status = vscode.window.createStatusBarItem('sale.spendToday', vscode.StatusBarAlignment.Right, 100);
  status.name = vscode.l10n.t('SALE spend today');
  status.command = SHOW_COST_REPORT_COMMAND;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const update = async () => {
    timer = undefined;
    try {
      const today = await s.ledger.spentToday();
      status.text = `$(law) ${usd(today)}`;
      status.tooltip = vscode.l10n.t('SALE: {0} spent on models in this workspace today. Click for the cost report.', usd(today));
      status.show();
      const num = (v: number | null) => (typeof v === 'number' ? v : null);
      s.panel.setBudget({ perTask: num(s.config.get('budget.perTask')), perDay: num(s.config.get('budget.perDay')), perWorkspace: num(s.config.get('budget.perWorkspace')), spentToday: today });
    } catch (e) {
      log.warn(`Could not read the ledger for the status bar: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  void update();
  const onAppend = s.ledger.onDidAppend(() => {
    timer ??= setTimeout(() => void update(), STATUS_REFRESH_MS);
    void panel.refresh();
  });

  const onBudget = s.config.onDidChange((keys) => {
    if (keys.some((k) => k.startsWith('budget.'))) void update();
  });
  return [
    panel,
    status,
    onBudget,
    { dispose: () => (onAppend.dispose(), timer && clearTimeout(timer)) },
    vscode.commands.registerCommand(SHOW_COST_REPORT_COMMAND, () => panel.show()),
  ];
}
