import * as vscode from 'vscode';
import { SaleError, type NextStep } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { ModelCapabilities, ModelSpec } from '../../common/providers/types';
import type { ModelPoolService } from './modelPool';
import { nextStepAction, nextStepHint } from './nextStepActions';

export const TEST_CONNECTIONS_COMMAND = 'sale.testConnections';

/** One model's outcome, as plain data: the command returns these (tests read them) and the picker shows them. */
export interface ConnectionResult {
  modelId: string;
  model: string;
  local: boolean;
  ok: boolean;
  latencyMs?: number;
  capabilities?: ModelCapabilities;
  errorCode?: string;
  message?: string;
  nextStep?: NextStep;
}

/** Probes one model now (never from the cache); used by the command and by "Add Model…" for the model it added. */
export async function testOne(pool: ModelPoolService, spec: ModelSpec, signal: AbortSignal): Promise<ConnectionResult> {
  const base = { modelId: spec.id, model: spec.model, local: spec.local };
  try {
    // Forced: the user asked to test now, so a cached result must not stand in for a live answer.
    const { capabilities, latencyMs } = await pool.probe(spec, signal, true);
    return { ...base, ok: true, latencyMs, capabilities };
  } catch (e) {
    if (e instanceof SaleError) return { ...base, ok: false, errorCode: e.code, message: e.message, nextStep: e.nextStep };
    return { ...base, ok: false, errorCode: 'unexpected', message: e instanceof Error ? e.message : String(e) };
  }
}

const yesNo = (v: boolean | undefined) => (v ? vscode.l10n.t('yes') : vscode.l10n.t('no'));

function describeResult(r: ConnectionResult): { description: string; detail?: string } {
  if (r.ok && r.capabilities) {
    const c = r.capabilities;
    // No latency: nothing was sent (a model VS Code offers declares what it does; each call would be a paid request).
    const when = r.latencyMs === undefined ? vscode.l10n.t('not called, as VS Code declares it') : vscode.l10n.t('{0} ms', String(r.latencyMs));
    return {
      description: vscode.l10n.t('{0} · logprobs {1} · tools {2} · structured output {3}', when, yesNo(c.logprobs), yesNo(c.tools), yesNo(c.structuredOutput)),
    };
  }
  const hint = nextStepHint(r.nextStep);
  const action = nextStepAction(r.nextStep, () => Promise.resolve());
  const description = action ? vscode.l10n.t('{0} · select to {1}', r.errorCode ?? '', action.label) : (r.errorCode ?? '');
  return { description, detail: hint ? `${r.message ?? ''} ${hint}` : r.message };
}

interface ResultItem extends vscode.QuickPickItem {
  result: ConnectionResult;
}

function showResults(results: ConnectionResult[], rerun: () => Thenable<unknown>): void {
  const items: ResultItem[] = results.map((result) => ({
    label: `${result.ok ? '$(pass)' : '$(error)'} ${result.modelId}`,
    ...describeResult(result),
    result,
  }));
  const qp = vscode.window.createQuickPick<ResultItem>();
  qp.title = vscode.l10n.t('SALE: Model Connections ({0} of {1} answered)', results.filter((r) => r.ok).length, results.length);
  qp.placeholder = vscode.l10n.t('Pick a failed model to fix it');
  qp.items = items;
  qp.matchOnDescription = true;
  qp.onDidAccept(() => {
    const picked = qp.selectedItems[0]?.result;
    qp.hide();
    const action = picked && !picked.ok ? nextStepAction(picked.nextStep, rerun) : undefined;
    if (action) void action.run();
  });
  qp.onDidHide(() => qp.dispose());
  qp.show();
}

/** "SALE: Test Model Connections": probes every enabled model in parallel and shows what works. */
export function registerTestConnectionsCommand(pool: ModelPoolService, log: Logger): vscode.Disposable {
  const run = async (): Promise<ConnectionResult[]> => {
    const { models } = await pool.snapshot();
    const enabled = models.filter((m) => m.enabled);
    if (!enabled.length) {
      const open = vscode.l10n.t('Open Settings');
      void vscode.window
        .showWarningMessage(vscode.l10n.t('No enabled models: add some to sale.models or start a local model server.'), open)
        .then((c) => (c === open ? vscode.commands.executeCommand('workbench.action.openSettings', 'sale.models') : undefined));
      return [];
    }
    const results = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('SALE: Testing model connections'), cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          let done = 0;
          return await Promise.all(
            enabled.map(async (spec) => {
              const r = await testOne(pool, spec, ac.signal);
              progress.report({ increment: 100 / enabled.length, message: vscode.l10n.t('{0} of {1}', ++done, enabled.length) });
              return r;
            }),
          );
        } finally {
          sub.dispose();
        }
      },
    );
    for (const r of results) {
      if (r.ok) log.info(`${r.modelId}: ${r.latencyMs ?? '?'} ms, capabilities ${JSON.stringify(r.capabilities)}`);
      else log.warn(`${r.modelId}: ${r.errorCode}: ${r.message}`);
    }
    if (results.every((r) => r.errorCode === 'cancelled')) return results;
    showResults(results, () => vscode.commands.executeCommand(TEST_CONNECTIONS_COMMAND));
    return results;
  };
  return vscode.commands.registerCommand(TEST_CONNECTIONS_COMMAND, run);
}
