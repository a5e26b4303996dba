import * as vscode from 'vscode';
import { NoBidsError } from '../../common/auction';
import { SaleError } from '../../common/errors';
import type { PanelNotice } from '../../common/protocol/panel';

/** Turns an error from the core into a panel notice whose buttons are the next step. */
export function noticeForError(e: unknown): PanelNotice {
  const message = e instanceof Error ? e.message : String(e);
  const actions: PanelNotice['actions'] = [];
  if (e instanceof NoBidsError) {
    actions.push({ label: vscode.l10n.t('Test Model Connections'), command: 'testConnections' });
  }
  if (e instanceof SaleError && e.nextStep) {
    switch (e.nextStep.kind) {
      case 'setApiKey':
        actions.push({ label: vscode.l10n.t('Set API Key…'), command: 'setApiKey' });
        break;
      case 'startLocalServer':
        actions.push({ label: vscode.l10n.t('Test Model Connections'), command: 'testConnections' });
        break;
      case 'openSettings':
      case 'raiseBudget':
        actions.push({ label: vscode.l10n.t('Open Settings'), command: 'openSettings' });
        break;
      case 'retry':
        actions.push({ label: vscode.l10n.t('Try Again'), command: 'retry' });
        break;
      case 'showLogs':
        break;
    }
  }
  actions.push({ label: vscode.l10n.t('Show Logs'), command: 'showLogs' });
  return { severity: 'error', message, actions };
}

/**
 * The one thing a newcomer with no models sees, with the three ways forward as buttons. Shown in the panel when
 * the pool is empty (at start and when an auction is tried), and nowhere else, so it is said once.
 */
export function emptyPoolNotice(): PanelNotice {
  return {
    severity: 'warning',
    message: vscode.l10n.t('No models are in the pool yet. Add a model (OpenAI, Anthropic, OpenRouter or a server on your machine), or let SALE look for local servers.'),
    actions: [
      { label: vscode.l10n.t('Add Model…'), command: 'addModel' },
      { label: vscode.l10n.t('Detect Local Servers'), command: 'detectLocalServers' },
      { label: vscode.l10n.t('Open Walkthrough'), command: 'openWalkthrough' },
    ],
  };
}
