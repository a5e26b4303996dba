import type * as vscode from 'vscode';
import { DisposableStore, type Disposable } from '../common/lifecycle';
import type { Logger } from '../common/log';
import { Config } from './config';
import { createLogger } from './log';
import { PanelModel } from './panel/panelModel';

/** The services every contribution is built from; one instance per activation. */
export interface Services extends Disposable {
  readonly context: vscode.ExtensionContext;
  readonly channel: vscode.LogOutputChannel;
  readonly log: Logger;
  readonly config: Config;
  readonly panelModel: PanelModel;
}

export function createServices(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel): Services {
  const store = new DisposableStore();
  const log = createLogger(channel);
  const config = store.add(new Config());
  const panelModel = store.add(new PanelModel(context.workspaceState));
  return { context, channel, log, config, panelModel, dispose: () => store.dispose() };
}
