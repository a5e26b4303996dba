import * as vscode from 'vscode';
import type { ReportExporter } from '../../common/ledger/export';
import type { Logger } from '../../common/log';
import { reportProtocol, type CostReport, type ExportFormat, type ExportReply, type ReportProtocol } from '../../common/protocol/report';
import { WebviewEditorPanel } from '../webviewEditorPanel';

export const COST_REPORT_VIEW_TYPE = 'sale.costReport';

/**
 * The "SALE: Show Cost Report" editor panel. After the view says `ready` it gets the report; `refresh` rebuilds it
 * from the provider; `export` writes CSV or JSON through a save dialog. One panel per instance: `show()` reveals it.
 */
export class CostReportPanel implements vscode.Disposable {
  private readonly panel: WebviewEditorPanel<ReportProtocol>;
  private lastReport: CostReport | undefined;

  /**
   * @param getReport builds the report from the ledger (called on `ready`, on `refresh` and by `refresh()`).
   * @param exportText produces the exported file's text, e.g. `ledgerExporter(() => ledgerStore.readAll())`.
   */
  constructor(
    extensionUri: vscode.Uri,
    private readonly getReport: () => Promise<CostReport>,
    private readonly exportText: ReportExporter,
    private readonly log: Logger,
  ) {
    this.panel = new WebviewEditorPanel(
      extensionUri,
      {
        viewType: COST_REPORT_VIEW_TYPE,
        title: vscode.l10n.t('SALE Cost Report'),
        script: 'report.js',
        style: 'report.css',
        protocol: reportProtocol,
        commands: { refresh: () => this.refresh() },
        requests: { export: ({ format }) => this.export(format) },
        onReady: () => void this.refresh(),
      },
      log,
    );
  }

  /** Opens the panel in the active editor column, or reveals it when it is open. */
  show(): void {
    this.panel.show();
  }

  /** Rebuilds the report and posts it, when the panel is open and ready (call it when the ledger changes). */
  async refresh(): Promise<void> {
    if (!this.panel.ready) return;
    try {
      this.lastReport = await this.getReport();
      this.panel.notify({ type: 'report', report: this.lastReport });
    } catch (e) {
      this.log.error(e instanceof Error ? e : String(e));
      this.panel.notify({ type: 'status', level: 'error', text: vscode.l10n.t('Could not read the ledger. See the SALE log for details.') });
    }
  }

  private export(format: ExportFormat): Promise<ExportReply> {
    return this.panel.export({
      format,
      baseName: 'sale-cost-report',
      title: format === 'csv' ? vscode.l10n.t('Export every model call as CSV') : vscode.l10n.t('Export the cost report as JSON'),
      what: 'the cost report',
      text: async () => this.exportText(format, this.lastReport ?? (await this.getReport())),
    });
  }

  dispose(): void {
    this.panel.dispose();
  }
}
