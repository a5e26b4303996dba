import * as vscode from 'vscode';
import { SaleError } from '../../common/errors';
import { describeSelection, newId } from '../../common/taskText';
import type { Logger } from '../../common/log';
import { MAX_TASK_CHARS, type PanelTask } from '../../common/protocol/panel';
import type { AuctionController } from '../auction/auctionController';
import { gatherContext } from '../auction/context';
import type { Config } from '../config';
import type { PanelModel } from '../panel/panelModel';
import { PANEL_VIEW_ID } from '../panel/panelViewProvider';

export const AUCTION_TASK_COMMAND = 'sale.auctionTask';

/** Arguments the command accepts when run programmatically (tests, other extensions, the panel). */
export interface AuctionTaskArgs {
  task?: string;
  source?: 'panel';
  /** Set the task and reveal the panel without starting an auction (tests of the thin path). */
  noAuction?: boolean;
  /** Workspace-relative files to give the bidders as context (replaces the panel's chosen files). */
  contextFiles?: string[];
}

/** What "Auction this task" uses: the panel's task and context files, the settings, the auction controller. */
export interface AuctionTaskDeps {
  panel: Pick<PanelModel, 'state' | 'setTask' | 'setContextFiles'>;
  config: Pick<Config, 'get'>;
  auctions: Pick<AuctionController, 'start'>;
  log: Logger;
}

/**
 * "Auction this task": asks for the task (prefilled from the selection), reveals the side panel, hands the task
 * to it and starts the auction (which streams into the panel). Returns the task at once, or undefined when the
 * user cancelled the input box; the auction goes on in the background with its own progress notification.
 */
export function registerAuctionTaskCommand(s: AuctionTaskDeps): vscode.Disposable {
  const { config } = s;
  return vscode.commands.registerCommand(AUCTION_TASK_COMMAND, async (args?: AuctionTaskArgs): Promise<PanelTask | undefined> => {
    const editor = vscode.window.activeTextEditor;
    const selection = editor && !editor.selection.isEmpty ? editor.selection : undefined;
    const selectionInfo =
      editor && selection
        ? {
            file: vscode.workspace.asRelativePath(editor.document.uri, false),
            startLine: selection.start.line + 1,
            endLine: selection.end.line + 1,
          }
        : undefined;

    let text = typeof args?.task === 'string' ? args.task.trim() : undefined;
    if (!text) {
      const prefill =
        editor && selection && selectionInfo
          ? describeSelection(
              selectionInfo.file,
              selectionInfo.startLine,
              selectionInfo.endLine,
              editor.document.getText(selection),
              config.get('task.selectionPreviewChars'),
            ) + ': '
          : '';
      const entered = await vscode.window.showInputBox({
        title: vscode.l10n.t('Auction this task'),
        prompt: vscode.l10n.t('Describe the coding task. Every model in the pool will bid a plan for it.'),
        placeHolder: vscode.l10n.t('e.g. Add input validation to parseConfig and a test for it'),
        value: prefill,
        valueSelection: [prefill.length, prefill.length],
        ignoreFocusOut: true,
        validateInput: (v) =>
          !v.trim() ? vscode.l10n.t('The task cannot be empty.') : v.length > MAX_TASK_CHARS ? vscode.l10n.t('The task is too long ({0} characters at most).', MAX_TASK_CHARS) : undefined,
      });
      text = entered?.trim();
    }
    if (!text) return undefined;
    try {
      return await auctionTask(s, text, {
        source: args?.source === 'panel' ? 'panel' : selectionInfo ? 'selection' : 'palette',
        ...(selectionInfo ? { selection: selectionInfo } : {}),
        ...(args?.noAuction ? { noAuction: true } : {}),
        ...(Array.isArray(args?.contextFiles) ? { contextFiles: args.contextFiles.filter((f): f is string => typeof f === 'string') } : {}),
      });
    } catch (e) {
      if (!(e instanceof TaskTooLongError)) throw e;
      void vscode.window.showErrorMessage(e.message);
      return undefined;
    }
  });
}

/** The task is longer than the panel and the auction take. */
export class TaskTooLongError extends SaleError {
  readonly code = 'task-too-long';
  constructor() {
    super(vscode.l10n.t('The task is too long ({0} characters at most); shorten it or put the details in a file and add it as context.', MAX_TASK_CHARS));
  }
}

/**
 * Hands a task to the panel, reveals it and starts the task's auction with the panel's context files (the command's
 * and the panel's submit alike). Resolves with the task once the auction has started; the auction goes on in the
 * background with its own progress notification and streams into the panel.
 */
export async function auctionTask(
  s: AuctionTaskDeps,
  text: string,
  options: { source: PanelTask['source']; selection?: PanelTask['selection']; noAuction?: boolean; contextFiles?: string[] },
): Promise<PanelTask> {
  if (text.length > MAX_TASK_CHARS) throw new TaskTooLongError();
  const model = s.panel;
  const task: PanelTask = {
    id: newId('task', Date.now()),
    text,
    source: options.source,
    ...(options.selection ? { selection: options.selection } : {}),
    receivedAt: new Date().toISOString(),
  };
  await model.setTask(task);
  await vscode.commands.executeCommand(`${PANEL_VIEW_ID}.focus`);
  s.log.topic('auction').info(`Task received (${task.source}): ${task.id}`);
  if (!options.noAuction) {
    if (options.contextFiles) model.setContextFiles(options.contextFiles);
    // The context belongs to this auction's session: nothing later can pair it with another auction's plan.
    const context = await gatherContext(model.state.contextFiles);
    void s.auctions.start(task, context);
  }
  return task;
}
