import * as vscode from 'vscode';
import type { NextStep } from '../../common/errors';
import { SET_API_KEY_COMMAND } from './apiKeyCommands';
import { ASK_LM_CONSENT_COMMAND } from './lmModels';

/** The button that carries out an error's next step, and what pressing it does. */
export interface NextStepAction {
  label: string;
  run: () => Thenable<unknown>;
}

/** Turns a core NextStep into a button at the edge; the core never words these itself. */
export function nextStepAction(step: NextStep | undefined, retry?: () => Thenable<unknown>): NextStepAction | undefined {
  switch (step?.kind) {
    case 'setApiKey':
      return { label: vscode.l10n.t('Set API Key'), run: () => vscode.commands.executeCommand(SET_API_KEY_COMMAND, { providerKey: step.providerKey }) };
    case 'openSettings':
      return { label: vscode.l10n.t('Open Settings'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', step.setting) };
    case 'startLocalServer':
    case 'retry':
      return retry ? { label: vscode.l10n.t('Retry'), run: retry } : undefined;
    case 'showLogs':
      return { label: vscode.l10n.t('Show Logs'), run: () => vscode.commands.executeCommand('sale.showLogs') };
    case 'askModelConsent':
      return { label: vscode.l10n.t('Ask Again'), run: () => vscode.commands.executeCommand(ASK_LM_CONSENT_COMMAND, step.modelId) };
    default:
      return undefined;
  }
}

/** What the user should do, in words, for a step the button alone does not explain. */
export function nextStepHint(step: NextStep | undefined): string | undefined {
  if (step?.kind === 'startLocalServer') return vscode.l10n.t('Start {0} at {1}, then test again.', step.server, step.baseUrl);
  if (step?.kind === 'retry' && step.afterMs !== undefined) return vscode.l10n.t('Try again in {0} s.', Math.ceil(step.afterMs / 1000));
  return undefined;
}
