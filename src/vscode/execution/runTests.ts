import * as vscode from 'vscode';
import type { Logger } from '../../common/log';
import type { AgentHost } from './agentHost';
import type { ExecutionController } from './executionController';

export const RUN_TESTS_COMMAND = 'sale.runTests';
const TIMEOUT_MS = 10 * 60_000;
const MAX_OUTPUT_BYTES = 200_000;
const KEPT_OUTPUT_CHARS = 4_000;

/** Options of SALE's own calls (never taken from the public command's arguments; see runTestsArgs.ts). */
export interface RunTestsArgs {
  /** Skip the confirmation dialog (SALE's caller has shown the command to the user itself). */
  skipConfirmation?: boolean;
}

/** What running the tests uses: the window's trust, test command and shell, and the log. */
export interface RunTestsDeps {
  host: Pick<AgentHost, 'trusted' | 'testCommand' | 'shell'>;
  log: Logger;
}

export interface TestRunResult {
  auctionId: string;
  command: string;
  passed: boolean;
  exitCode: number | undefined;
  timedOut: boolean;
}

/**
 * "Run tests after apply": runs the workspace's test command (`sale.agent.testCommand`, or detected from the
 * folder's files when that is empty) once the winner's edits are applied, and records whether it passed as an outcome of that auction — the real signal the auction memory
 * learns from. The command comes from settings, so it is shown and confirmed first, and it never runs in an
 * untrusted workspace.
 */
export async function runTestsAfterApply(deps: RunTestsDeps, controller: Pick<ExecutionController, 'review' | 'journal'>, args?: RunTestsArgs): Promise<TestRunResult | undefined> {
  const review = controller.review;
  const auctionId = review?.lastApply ? review.auctionId : undefined;
  if (!review || !auctionId) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Apply the accepted edits of a run first; then SALE runs the tests and records the result.'));
    return undefined;
  }
  if (!deps.host.trusted) {
    void vscode.window.showWarningMessage(vscode.l10n.t('SALE runs no command in an untrusted workspace. Trust the workspace to run the tests.'));
    return undefined;
  }
  const folder = review.root;
  const chosen = await deps.host.testCommand(folder);
  if (!chosen) {
    const open = vscode.l10n.t('Open Settings');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('SALE found no test command in {0} (no package.json test script, Makefile test target, Cargo, Go, pytest, Gradle or Maven). Set one in sale.agent.testCommand.', folder), open)
      .then((c) => (c === open ? vscode.commands.executeCommand('workbench.action.openSettings', 'sale.agent.testCommand') : undefined));
    return undefined;
  }
  const { command } = chosen;
  if (!args?.skipConfirmation) {
    const run = vscode.l10n.t('Run Tests');
    const why = chosen.fromSetting ? vscode.l10n.t('from the setting sale.agent.testCommand') : vscode.l10n.t('detected from {0}; set sale.agent.testCommand to use another', chosen.because);
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Run the tests?'), { modal: true, detail: vscode.l10n.t('{0}\n\nin {1}\n({2})', command, folder, why) }, run);
    if (choice !== run) return undefined;
  }
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('SALE: running {0}', command), cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        // cwd is workspace-relative: the shell refuses anything outside the folder.
        return await deps.host.shell(folder).run({ command, cwd: '.', timeoutMs: TIMEOUT_MS, maxOutputBytes: MAX_OUTPUT_BYTES, signal: abort.signal });
      } finally {
        sub.dispose();
      }
    },
  );
  const passed = outcome.exitCode === 0 && !outcome.timedOut;
  review.markTests(passed, command, outcome.output.slice(-KEPT_OUTPUT_CHARS));
  await controller.journal.record({ type: 'tests-ran', auctionId, bidId: review.bidId, command, passed, output: outcome.output.slice(-KEPT_OUTPUT_CHARS) });
  deps.log.info(`tests after apply (${auctionId}): ${command} → ${passed ? 'passed' : `failed (exit ${String(outcome.exitCode)}${outcome.timedOut ? ', timed out' : ''})`}`);
  if (passed) void vscode.window.showInformationMessage(vscode.l10n.t('Tests passed: {0}', command));
  else void vscode.window.showWarningMessage(vscode.l10n.t('Tests failed: {0} (exit code {1}). The result is recorded with this auction.', command, String(outcome.exitCode ?? 'none')));
  return { auctionId, command, passed, exitCode: outcome.exitCode, timedOut: outcome.timedOut };
}
