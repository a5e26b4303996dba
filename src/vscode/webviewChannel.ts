import type * as vscode from 'vscode';
import { HostChannel, type CommandHandlers, type NotificationOf, type Protocol, type RequestHandlers } from '../common/protocol/channel';
import type { Disposable } from '../common/lifecycle';
import type { Logger } from '../common/log';

/** The part of VS Code's `Webview` the channel uses. */
export type WebviewPort = Pick<vscode.Webview, 'postMessage' | 'onDidReceiveMessage'>;

/** What a view's host answers with. */
export interface WebviewChannelOptions<P extends Protocol> {
  protocol: P;
  commands: CommandHandlers<P>;
  requests: RequestHandlers<P>;
  /** After each `ready` of a view of this version (first load, or a reload after it was hidden): send it the whole state. */
  onReady?(): void;
  log: Logger;
}

/**
 * The host's end of one webview's typed channel (`src/common/protocol/channel.ts`) over VS Code's `Webview`, the same
 * for the side panel and every editor panel: the ready handshake, notifications held until the view is ready, every
 * message validated, each request answered. It outlives the webviews it serves: `attach` a new one (a view resolved
 * again, a panel opened again), `expectReload` when a hidden view is torn down, `detach` when it is disposed.
 */
export class WebviewChannel<P extends Protocol> implements Disposable {
  private readonly channel: HostChannel<P>;
  private webview: WebviewPort | undefined;
  private subscription: { dispose(): unknown } | undefined;

  constructor(private readonly options: WebviewChannelOptions<P>) {
    this.channel = new HostChannel({
      protocol: options.protocol,
      commands: options.commands,
      requests: options.requests,
      onReady: () => options.onReady?.(),
      log: options.log,
      transport: { post: (message) => this.post(message) },
    });
  }

  /** A view has loaded (or is about to, once its HTML is set) and says `ready` when it listens. */
  get ready(): boolean {
    return this.webview !== undefined && this.channel.ready;
  }

  /** Resolves once a view has completed the ready handshake. */
  whenReady(): Promise<void> {
    return this.channel.whenReady();
  }

  /** Serves a new webview; the last one's messages are no longer heard. Nothing is posted until it says `ready`. */
  attach(webview: WebviewPort): void {
    this.subscription?.dispose();
    this.webview = webview;
    this.channel.reset();
    this.subscription = webview.onDidReceiveMessage((raw: unknown) => this.channel.receive(raw));
  }

  /** The webview's content is torn down (hidden) and loads again when shown: hold everything until it says `ready`. */
  expectReload(): void {
    this.channel.reset();
  }

  /** The webview is disposed. */
  detach(): void {
    this.subscription?.dispose();
    this.subscription = undefined;
    this.webview = undefined;
    this.channel.reset();
  }

  /** Sends a notification when the view is ready, or holds the latest of its type until it is. */
  notify(notification: NotificationOf<P>): void {
    this.channel.notify(notification);
  }

  private post(message: unknown): void {
    const webview = this.webview;
    if (!webview) return;
    const undelivered = (e: unknown) => this.options.log.warn(`${this.options.protocol.name}: a message to the view was not delivered: ${e instanceof Error ? e.message : String(e)}`);
    try {
      void Promise.resolve(webview.postMessage(message)).catch(undelivered);
    } catch (e) {
      // A webview disposed a moment ago throws at once.
      undelivered(e);
    }
  }

  dispose(): void {
    this.detach();
  }
}
