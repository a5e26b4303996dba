import * as vscode from 'vscode';
import type { CommandApprover, Shell } from '../../common/agent/ports';
import { chooseTestCommand, detectTestCommand } from '../../common/workspace/testCommand';
import { FsWorkspace } from '../../node/agent/fsWorkspace';
import { NodeShell } from '../../node/agent/shell';
import { rootFilesOf } from '../../node/workspace/rootFiles';
import type { Config } from '../config';
import { ModalCommandApprover } from './approver';
import { EditorAwareWorkspace } from './editorWorkspace';

/** The test command chosen for a folder: the setting's, or one detected from the folder's files (and why). */
export type ChosenTestCommand = NonNullable<ReturnType<typeof chooseTestCommand>>;

/**
 * What an agent needs from the window (a run of a bid, a shadow run, the tests after an apply): the folder it works
 * in, workspace trust, the files as the editors see them, a shell confined to a folder, the user's approval of
 * commands and the test command. Built once per activation in the composition root; no module builds its own.
 */
export interface AgentHost {
  /** The first workspace folder on disk (its path), or undefined: no folder open, or only remote ones. */
  folder(): string | undefined;
  /** Workspace trust: in an untrusted workspace no command runs. */
  readonly trusted: boolean;
  /** The user's folder as the agent reads it: the disk, but a file with unsaved editor changes is refused. */
  userWorkspace(root: string): Promise<EditorAwareWorkspace>;
  /** A folder outside the user's tree (a shadow worktree): the disk as it is, no editors involved. */
  detachedWorkspace(root: string): Promise<FsWorkspace>;
  /** A shell whose commands run inside `root` only. */
  shell(root: string): Shell;
  /** The modal approval of the agent's commands; a command approved "always" stays approved for the window. */
  readonly approver: CommandApprover;
  /** The test command for `root`: `sale.agent.testCommand`, or when that is empty one detected from the folder's files. */
  testCommand(root: string): Promise<ChosenTestCommand | undefined>;
}

/** The window's agent host: VS Code's workspace, trust and dialogs over the Node file system and shell. */
export function createAgentHost(config: Pick<Config, 'get'>): AgentHost {
  const approver = new ModalCommandApprover(new Set());
  return {
    folder: () => vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath,
    get trusted() {
      return vscode.workspace.isTrusted;
    },
    userWorkspace: async (root) => new EditorAwareWorkspace(await FsWorkspace.open(root)),
    detachedWorkspace: (root) => FsWorkspace.open(root),
    shell: (root) => new NodeShell({ root }),
    approver,
    testCommand: async (root) => {
      // The setting wins; left empty (the default) the command is found from the workspace's own files.
      const setting = config.get('agent.testCommand');
      return chooseTestCommand(setting, setting.trim() ? undefined : await detectTestCommand(rootFilesOf(root)));
    },
  };
}
