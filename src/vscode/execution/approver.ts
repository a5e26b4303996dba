import * as vscode from 'vscode';
import type { ApprovalDecision, CommandApprover } from '../../common/agent/ports';

/**
 * Asks the user, with a modal dialog, whether the agent may run a command. `trusted` follows workspace trust: in
 * an untrusted workspace the loop never asks and never runs anything. Commands approved "always" are remembered
 * for the window's session (the loop also remembers them for the run).
 */
export class ModalCommandApprover implements CommandApprover {
  constructor(private readonly alwaysApproved: Set<string>) {}

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  async approve(request: { command: string; cwd: string }, signal?: AbortSignal): Promise<ApprovalDecision> {
    if (this.alwaysApproved.has(request.command)) return 'always';
    if (signal?.aborted) return 'deny';
    const once = vscode.l10n.t('Approve once');
    const always = vscode.l10n.t('Approve always for this command');
    const deny = vscode.l10n.t('Deny');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('The SALE agent wants to run a command'),
      { modal: true, detail: vscode.l10n.t('{0}\n\nin {1}', request.command, request.cwd) },
      once,
      always,
      deny,
    );
    if (choice === always) {
      this.alwaysApproved.add(request.command);
      return 'always';
    }
    return choice === once ? 'once' : 'deny';
  }
}
