import * as vscode from 'vscode';
import { DisposableStore } from '../../common/lifecycle';
import type { Logger } from '../../common/log';
import type { CommandHandlers, RequestHandlers } from '../../common/protocol/channel';
import { panelProtocol, type PanelProtocol } from '../../common/protocol/panel';
import { WebviewChannel } from '../webviewChannel';
import { renderWebviewHtml, webviewResourceRoots } from '../webviewHtml';
import type { PanelModel } from './panelModel';

export const PANEL_VIEW_ID = 'sale.panel';

/** What the panel's buttons do: a handler per command and per request of the panel's protocol. */
export interface PanelHandlers {
  commands: CommandHandlers<PanelProtocol>;
  requests: RequestHandlers<PanelProtocol>;
}

/**
 * Hosts the SALE side panel over the typed webview channel: the host posts nothing until the view says `ready` (its
 * script has loaded and its listener is attached); then it sends the whole state, and every change after that.
 * Each button's request is answered with its outcome or a message the panel shows.
 */
export class PanelViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private viewDisposables = new DisposableStore();
  private readonly channel: WebviewChannel<PanelProtocol>;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly model: PanelModel,
    log: Logger,
    handlers: PanelHandlers,
  ) {
    this.channel = this.disposables.add(new WebviewChannel({ protocol: panelProtocol, commands: handlers.commands, requests: handlers.requests, onReady: () => this.postState(), log }));
    this.disposables.add(model.onDidChange(() => this.postState()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewDisposables.dispose();
    this.viewDisposables = new DisposableStore();
    view.webview.options = { enableScripts: true, localResourceRoots: webviewResourceRoots(this.extensionUri) };
    this.channel.attach(view.webview);
    view.webview.html = renderWebviewHtml(view.webview, this.extensionUri, {
      title: vscode.l10n.t('SALE auction'),
      script: 'panel.js',
      style: 'panel.css',
    });
    this.viewDisposables.add(view.onDidDispose(() => this.channel.detach()));
  }

  /** Resolves once a view is visible and has completed the ready handshake. */
  whenReady(): Promise<void> {
    return this.channel.whenReady();
  }

  private postState(): void {
    // Only once a view listens: the whole state is sent at its `ready` anyway.
    if (this.channel.ready) this.channel.notify({ type: 'state', state: this.model.state });
  }

  dispose(): void {
    this.viewDisposables.dispose();
    this.disposables.dispose();
  }
}
