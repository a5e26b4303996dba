import * as vscode from 'vscode';
import type { z } from 'zod';
import { DisposableStore } from '../common/lifecycle';
import type { Logger } from '../common/log';
import { parseMessage } from '../common/protocol/panel';
import { renderWebviewHtml, webviewResourceRoots } from './webviewHtml';

/** What an editor webview (the cost report, the routing insights) is made of. */
export interface EditorPanelSpec<ToView, ToHost extends { type: string }> {
  viewType: string;
  /** The editor tab's title. */
  title: string;
  /** Bundled script and stylesheets (in cascade order) under dist/webview. */
  script: string;
  style: string | readonly string[];
  protocolVersion: number;
  toView: z.ZodType<ToView>;
  toHost: z.ZodType<ToHost>;
  /** Called when the view says `ready` (first load, or a reload after it was hidden). */
  onReady(): void;
  /** Every other valid message from the view. */
  onMessage(message: Exclude<ToHost, { type: 'ready' }>): void;
  /** The protocol's status line message, for what the panel reports itself (an export saved or failed). */
  status(level: 'info' | 'error', text: string): ToView;
}

/** What an export writes: CSV or JSON, named `<baseName>-<today>.<format>`, the save dialog's title, the text (made when saved). */
export interface ExportSpec {
  format: 'csv' | 'json';
  baseName: string;
  title: string;
  /** What the log calls it: "Exported <what> to <file>". */
  what: string;
  text: () => Promise<string>;
}

/**
 * One editor-column webview with the handshake every SALE editor view uses: nothing is posted until the view says
 * `ready` (with its protocol version); messages both ways are validated against the protocol's schemas (an invalid
 * one from the view is logged and dropped, an invalid one to the view is a bug and throws); a hidden view that
 * reloads says `ready` again. One panel per instance: `show()` reveals it when open.
 */
export class WebviewEditorPanel<ToView, ToHost extends { type: string }> implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables = new DisposableStore();
  private viewReady = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly spec: EditorPanelSpec<ToView, ToHost>,
    private readonly log: Logger,
  ) {}

  /** Whether the panel is open and its view has said `ready`: posts reach it. */
  get ready(): boolean {
    return this.panel !== undefined && this.viewReady;
  }

  /** Opens the panel in the active editor column, or reveals it when it is open. */
  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(this.spec.viewType, this.spec.title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: webviewResourceRoots(this.extensionUri),
    });
    this.panel = panel;
    this.viewReady = false;
    this.panelDisposables = new DisposableStore();
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri, { title: this.spec.title, script: this.spec.script, style: this.spec.style });
    this.panelDisposables.add(panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    // A hidden webview is torn down and reloads when shown again; it says `ready` again.
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

  /** Posts to the view when it is ready; dropped otherwise (the view asks again with `ready`). */
  post(message: ToView): void {
    if (!this.panel || !this.viewReady) return;
    this.spec.toView.parse(message);
    void this.panel.webview.postMessage(message);
  }

  /**
   * Asks where to save an export and writes it, then says so on the view's status line (or that it failed, the
   * cause in the log). Never throws.
   */
  async export(spec: ExportSpec): Promise<void> {
    try {
      const fileName = `${spec.baseName}-${new Date().toISOString().slice(0, 10)}.${spec.format}`;
      const filters = spec.format === 'csv' ? { [vscode.l10n.t('CSV')]: ['csv'] } : { JSON: ['json'] };
      const saved = await saveExport(fileName, filters, spec.title, spec.text);
      if (saved === undefined) return;
      this.log.info(`Exported ${spec.what} to ${saved}`);
      this.post(this.spec.status('info', vscode.l10n.t('Saved {0}', saved)));
    } catch (e) {
      this.log.error(e instanceof Error ? e : String(e));
      this.post(this.spec.status('error', vscode.l10n.t('Export failed. See the SALE log for details.')));
    }
  }

  private receive(raw: unknown): void {
    const parsed = parseMessage(this.spec.toHost, raw);
    if (!parsed.ok) {
      this.log.warn(`Dropped an invalid message from ${this.spec.viewType}: ${parsed.error}`);
      return;
    }
    const msg = parsed.value;
    if (msg.type === 'ready') {
      const version = (msg as { protocolVersion?: unknown }).protocolVersion;
      if (version !== this.spec.protocolVersion) this.log.warn(`${this.spec.viewType} protocol ${String(version)} differs from host protocol ${this.spec.protocolVersion}`);
      this.viewReady = true;
      this.spec.onReady();
      return;
    }
    this.spec.onMessage(msg as Exclude<ToHost, { type: 'ready' }>);
  }

  dispose(): void {
    this.panel?.dispose();
    this.panelDisposables.dispose();
  }
}

/** Asks where to save an export (in the first workspace folder by default) and writes it; the saved file's name, or undefined when cancelled. */
async function saveExport(fileName: string, filters: Record<string, string[]>, title: string, text: () => Promise<string>): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
    filters,
    saveLabel: vscode.l10n.t('Export'),
    title,
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(await text()));
  return target.path.split('/').pop() ?? fileName;
}
