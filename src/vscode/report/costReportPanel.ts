import * as vscode from 'vscode';
import type { ReportExporter } from '../../common/ledger/export';
import { DisposableStore } from '../../common/lifecycle';
import type { Logger } from '../../common/log';
import {
  type CostReport,
  type ExportFormat,
  REPORT_PROTOCOL_VERSION,
  ReportHostToView,
  ReportViewToHost,
  parseMessage,
} from '../../common/protocol/report';
import { renderWebviewHtml, webviewResourceRoots } from '../webviewHtml';

export const COST_REPORT_VIEW_TYPE = 'sale.costReport';

/**
 * The "SALE: Show Cost Report" editor panel. It posts nothing until the view says `ready` (the handshake), then the
 * report; `refresh` rebuilds it from the provider; `export` writes CSV or JSON through a save dialog. One panel per
 * instance: `show()` reveals it when it is already open.
 */
export class CostReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables = new DisposableStore();
  private viewReady = false;
  private lastReport: CostReport | undefined;

  /**
   * @param getReport builds the report from the ledger (called on `ready`, on `refresh` and by `refresh()`).
   * @param exportText produces the exported file's text, e.g. `ledgerExporter(() => ledgerStore.readAll())`.
   */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly getReport: () => Promise<CostReport>,
    private readonly exportText: ReportExporter,
    private readonly log: Logger,
  ) {}

  /** Opens the panel in the active editor column, or reveals it when it is open. */
  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(COST_REPORT_VIEW_TYPE, vscode.l10n.t('SALE Cost Report'), vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: webviewResourceRoots(this.extensionUri),
    });
    this.panel = panel;
    this.viewReady = false;
    this.panelDisposables = new DisposableStore();
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri, {
      title: vscode.l10n.t('SALE cost report'),
      script: 'report.js',
      style: 'report.css',
    });
    this.panelDisposables.add(panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    // A hidden webview is torn down and reloads when shown again; it says `ready` again, and then gets the report.
    this.panelDisposables.add(
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.viewReady = false;
      }),
    );
    this.panelDisposables.add(
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.viewReady = false;
        this.panelDisposables.dispose();
      }),
    );
  }

  /** Rebuilds the report and posts it, when the panel is open and ready (call it when the ledger changes). */
  async refresh(): Promise<void> {
    if (!this.panel || !this.viewReady) return;
    try {
      this.lastReport = await this.getReport();
      this.post({ type: 'report', report: this.lastReport });
    } catch (e) {
      this.log.error(e instanceof Error ? e : String(e));
      this.post({ type: 'status', level: 'error', text: vscode.l10n.t('Could not read the ledger. See the SALE log for details.') });
    }
  }

  private receive(raw: unknown): void {
    const parsed = parseMessage(ReportViewToHost, raw);
    if (!parsed.ok) {
      this.log.warn(`Dropped an invalid message from the cost report: ${parsed.error}`);
      return;
    }
    const msg = parsed.value;
    switch (msg.type) {
      case 'ready':
        if (msg.protocolVersion !== REPORT_PROTOCOL_VERSION) {
          this.log.warn(`Cost report protocol ${msg.protocolVersion} differs from host protocol ${REPORT_PROTOCOL_VERSION}`);
        }
        this.viewReady = true;
        void this.refresh();
        return;
      case 'refresh':
        void this.refresh();
        return;
      case 'export':
        this.export(msg.format).catch((e: unknown) => {
          this.log.error(e instanceof Error ? e : String(e));
          this.post({ type: 'status', level: 'error', text: vscode.l10n.t('Export failed. See the SALE log for details.') });
        });
        return;
    }
  }

  private async export(format: ExportFormat): Promise<void> {
    const report = this.lastReport ?? (await this.getReport());
    const day = new Date().toISOString().slice(0, 10);
    const fileName = `sale-cost-report-${day}.${format}`;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
      filters: format === 'csv' ? { [vscode.l10n.t('CSV')]: ['csv'] } : { JSON: ['json'] },
      saveLabel: vscode.l10n.t('Export'),
      title: format === 'csv' ? vscode.l10n.t('Export every model call as CSV') : vscode.l10n.t('Export the cost report as JSON'),
    });
    if (!target) return;
    const text = await this.exportText(format, report);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    this.log.info(`Exported the cost report to ${target.toString()}`);
    this.post({ type: 'status', level: 'info', text: vscode.l10n.t('Saved {0}', target.path.split('/').pop() ?? fileName) });
  }

  private post(message: ReportHostToView): void {
    if (!this.panel || !this.viewReady) return;
    ReportHostToView.parse(message);
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
    this.panelDisposables.dispose();
  }
}
