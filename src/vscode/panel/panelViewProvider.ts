import * as vscode from 'vscode';
import { DisposableStore } from '../../common/lifecycle';
import type { Logger } from '../../common/log';
import { isExecutionCommand, type ExecutionCommand } from '../../common/protocol/executionView';
import { HostToView, PROTOCOL_VERSION, ViewToHost, parseMessage } from '../../common/protocol/panel';
import { renderWebviewHtml, webviewResourceRoots } from '../webviewHtml';
import type { PanelModel } from './panelModel';

export const PANEL_VIEW_ID = 'sale.panel';

/** What the panel's buttons ask the host to do. */
export interface PanelActions {
  submitTask(text: string): Promise<void>;
  cancelAuction(): void;
  reauction(): Promise<void>;
  runBid(bidId: string, auctionId?: string): Promise<void>;
  runCommand(command: Extract<ViewToHost, { type: 'runCommand' }>['command']): Promise<void>;
  addContextFiles(): Promise<void>;
  removeContextFile(path: string): void;
  /** Cancel, review decisions, diff, apply and undo of the winner's run. */
  execution(command: ExecutionCommand): Promise<void>;
}

/**
 * Hosts the SALE side panel. The host posts nothing until the view says `ready` (its script has loaded and its
 * listener is attached); then it sends the whole state, and every change after that.
 */
export class PanelViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private viewDisposables = new DisposableStore();
  private view: vscode.WebviewView | undefined;
  private viewReady = false;
  private readonly readyWaiters: (() => void)[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly model: PanelModel,
    private readonly log: Logger,
    private readonly actions: PanelActions,
  ) {
    this.disposables.add(model.onDidChange(() => this.postState()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewDisposables.dispose();
    this.viewDisposables = new DisposableStore();
    this.view = view;
    this.viewReady = false;
    view.webview.options = { enableScripts: true, localResourceRoots: webviewResourceRoots(this.extensionUri) };
    view.webview.html = renderWebviewHtml(view.webview, this.extensionUri, {
      title: vscode.l10n.t('SALE auction'),
      script: 'panel.js',
      style: 'panel.css',
    });
    this.viewDisposables.add(view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this.viewDisposables.add(
      view.onDidDispose(() => {
        this.view = undefined;
        this.viewReady = false;
      }),
    );
  }

  /** Resolves once a view is visible and has completed the ready handshake. */
  whenReady(): Promise<void> {
    if (this.viewReady) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private receive(raw: unknown): void {
    const parsed = parseMessage(ViewToHost, raw);
    if (!parsed.ok) {
      this.log.warn(`Dropped an invalid message from the panel: ${parsed.error}`);
      return;
    }
    const msg = parsed.value;
    if (isExecutionCommand(msg)) {
      this.handle(this.actions.execution(msg));
      return;
    }
    switch (msg.type) {
      case 'ready':
        if (msg.protocolVersion !== PROTOCOL_VERSION) {
          this.log.warn(`Panel protocol ${msg.protocolVersion} differs from host protocol ${PROTOCOL_VERSION}`);
        }
        this.viewReady = true;
        this.postState();
        for (const w of this.readyWaiters.splice(0)) w();
        return;
      case 'submitTask':
        this.handle(this.actions.submitTask(msg.text));
        return;
      case 'cancelAuction':
        this.actions.cancelAuction();
        return;
      case 'reauction':
        this.handle(this.actions.reauction());
        return;
      case 'runBid':
        this.handle(this.actions.runBid(msg.bidId, msg.auctionId));
        return;
      case 'runCommand':
        this.handle(this.actions.runCommand(msg.command));
        return;
      case 'addContextFiles':
        this.handle(this.actions.addContextFiles());
        return;
      case 'removeContextFile':
        this.actions.removeContextFile(msg.path);
        return;
    }
  }

  private handle(p: Promise<void>): void {
    p.catch((e: unknown) => this.log.error(e instanceof Error ? e : String(e)));
  }

  private postState(): void {
    if (!this.view || !this.viewReady) return;
    const message = parseMessage(HostToView, { type: 'state', state: this.model.state });
    if (!message.ok) {
      // A bug, not user input: log it and keep the view as it was rather than throwing into the auction's events.
      this.log.error(`Panel state failed validation and was not sent: ${message.error}`);
      return;
    }
    void this.view.webview.postMessage(message.value);
  }

  dispose(): void {
    this.viewDisposables.dispose();
    this.disposables.dispose();
  }
}
