import * as vscode from 'vscode';
import { DisposableStore } from '../common/lifecycle';
import type { Logger } from '../common/log';
import type { CommandHandlers, NotificationOf, Protocol, RequestHandlers } from '../common/protocol/channel';
import type { ExportReply } from '../common/protocol/report';
import { WebviewChannel } from './webviewChannel';
import { renderWebviewHtml, webviewResourceRoots } from './webviewHtml';

/** What an editor webview (the cost report, the routing insights) is made of. */
export interface EditorPanelSpec<P extends Protocol> {
  viewType: string;
  /** The editor tab's title. */
  title: string;
  /** Bundled script and stylesheets (in cascade order) under dist/webview. */
  script: string;
  style: string | readonly string[];
  protocol: P;
  commands: CommandHandlers<P>;
  requests: RequestHandlers<P>;
  /** Called when the view says `ready` (first load, or a reload after it was hidden). */
  onReady(): void;
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
 * One editor-column webview over the typed channel every SALE view uses (`WebviewChannel`): nothing is posted until
 * the view says `ready` with its protocol version; messages both ways are validated (an invalid one is logged and
 * dropped); each request is answered; a hidden view that reloads says `ready` again. One panel per instance:
 * `show()` reveals it when open.
 */
export class WebviewEditorPanel<P extends Protocol> implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables = new DisposableStore();
  private readonly channel: WebviewChannel<P>;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly spec: EditorPanelSpec<P>,
    private readonly log: Logger,
  ) {
    this.channel = new WebviewChannel({ protocol: spec.protocol, commands: spec.commands, requests: spec.requests, onReady: () => spec.onReady(), log });
  }

  /** Whether the panel is open and its view has said `ready`: notifications reach it. */
  get ready(): boolean {
    return this.panel !== undefined && this.channel.ready;
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
    this.panelDisposables = new DisposableStore();
    this.channel.attach(panel.webview);
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri, { title: this.spec.title, script: this.spec.script, style: this.spec.style });
    // A hidden webview is torn down and reloads when shown again; it says `ready` again.
    this.panelDisposables.add(
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.channel.expectReload();
      }),
    );
    this.panelDisposables.add(
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.channel.detach();
        this.panelDisposables.dispose();
      }),
    );
  }

  /** Sends a notification when the view is ready (or holds the latest of its type until it is). */
  notify(message: NotificationOf<P>): void {
    this.channel.notify(message);
  }

  /**
   * Asks where to save an export and writes it: the saved file's name, or null when the user cancelled. A failure
   * is logged with its cause and thrown with words for the view's status line.
   */
  async export(spec: ExportSpec): Promise<ExportReply> {
    try {
      const fileName = `${spec.baseName}-${new Date().toISOString().slice(0, 10)}.${spec.format}`;
      const filters = spec.format === 'csv' ? { [vscode.l10n.t('CSV')]: ['csv'] } : { JSON: ['json'] };
      const saved = await saveExport(fileName, filters, spec.title, spec.text);
      if (saved === undefined) return null;
      this.log.info(`Exported ${spec.what} to ${saved}`);
      return { saved };
    } catch (e) {
      this.log.error(e instanceof Error ? e : String(e));
      throw new Error(vscode.l10n.t('Export failed. See the SALE log for details.'), { cause: e });
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.panelDisposables.dispose();
    this.channel.dispose();
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
