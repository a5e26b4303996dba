import * as vscode from 'vscode';
import type { ChangeSet, Decision } from '../../common/agent/changeSet';
import { partitionConflicts } from '../../common/agent/conflicts';
import { SaleError } from '../../common/errors';
import type { Disposable } from '../../common/lifecycle';
import type { Journal } from '../../common/journal/journal';
import type { Logger } from '../../common/log';
import { reviewLabel } from '../../common/protocol/outcomes';
import { reviewDecisions, reviewFiles } from '../../common/panel/executionView';
import type { ExecutionView } from '../../common/protocol/executionView';
import type { BidRun } from '../../common/session/auctionSession';
import type { PanelModel } from '../panel/panelModel';
import { applyResolvedChanges } from './applyEdits';
import type { EditorAwareWorkspace } from './editorWorkspace';
import { ProposedDocuments } from './proposedDocuments';

export interface ReviewSessionInit {
  panel: Pick<PanelModel, 'state' | 'setExecution'>;
  journal: Pick<Journal, 'record'>;
  log: Logger;
  /** The run of the auction session whose staged edits this review is about. */
  run: BidRun;
  auctionId: string;
  ws: EditorAwareWorkspace;
  changeSet: ChangeSet;
  proposed: ProposedDocuments;
  checkpointsDir: string;
}

/**
 * The label a checkpoint carries: the auction and the bid whose work it can undo. Checkpoints from before bid
 * ids were recorded carry the auction id alone.
 */
export function checkpointLabel(auctionId: string, bidId: string): string {
  return `${auctionId} ${bidId}`;
}

export function parseCheckpointLabel(label: string): { auctionId: string; bidId?: string } {
  const space = label.indexOf(' ');
  return space < 0 ? { auctionId: label } : { auctionId: label.slice(0, space), bidId: label.slice(space + 1) };
}

/** What one apply did. */
export interface ApplyReport {
  written: string[];
  conflicts: string[];
  checkpointId: string | undefined;
}

/**
 * The review of one run's staged edits: decisions per file and per hunk, the diff editor, user-edited proposals,
 * and the apply step (conflicts refused, a checkpoint first, then a WorkspaceEdit). Publishes its state into the
 * panel's execution view after every change.
 */
export class ReviewSession implements Disposable {
  private readonly conflicts = new Map<string, string>();
  private readonly applied = new Set<string>();
  /** Editable copies of proposals the user opened ("Edit proposal"), by path. */
  private readonly editCopies = new Map<string, vscode.TextDocument>();
  private state: ExecutionView['review'] = 'reviewing';
  private applying = false;
  /** The checkpoint taken by the apply and the fingerprints of the files it wrote (undo checks them). */
  lastApply: { checkpointId: string; fingerprints: Map<string, string | undefined> } | undefined;
  private outcome: string | null = null;

  constructor(private readonly init: ReviewSessionInit) {}

  /** The auction whose run this review belongs to. */
  get auctionId(): string {
    return this.init.auctionId;
  }

  /** The workspace folder the run worked in. */
  get root(): string {
    return this.init.ws.root;
  }

  get runId(): string {
    return this.init.run.runId;
  }

  /** The bid whose work is reviewed. */
  get bidId(): string {
    return this.init.run.bidId;
  }

  get isOpen(): boolean {
    return this.state === 'reviewing';
  }

  proposedText(path: string): string | undefined {
    const text = this.init.changeSet.has(path) ? this.init.changeSet.proposedText(path) : undefined;
    return text ?? undefined;
  }

  /** Writes the review into the panel's execution view. */
  publish(): void {
    const { panel, changeSet } = this.init;
    const runId = this.runId;
    const current = panel.state.execution;
    if (!current || current.runId !== runId) return;
    const files = reviewFiles(changeSet.files(), this.conflicts, this.applied);
    const review = this.state === 'reviewing' && files.length === 0 ? 'none' : this.state;
    panel.setExecution({ ...current, files, review, outcome: this.outcome });
  }

  /** The file's fingerprint as the conflict check sees it (unsaved editor text included). */
  fingerprint(path: string): Promise<string | undefined> {
    return this.init.ws.fingerprint(path);
  }

  /** Notes on the run that tests ran after its apply (the journal records the fact); a later attempt reads the output. */
  markTests(passed: boolean, command?: string, output?: string): void {
    const { run } = this.init;
    run.tests = passed ? 'passed' : 'failed';
    run.evidence = { ...run.evidence, testCommand: command, testOutput: passed ? undefined : output };
  }

  markUndone(): void {
    this.state = 'undone';
    this.init.run.undone = true;
    this.outcome = vscode.l10n.t('Undone: the files are back as they were before the apply.');
    this.publish();
  }

  /** Decides one hunk, or the whole file when `hunk` is absent. */
  decide(path: string, decision: Decision, hunk?: number): void {
    this.requireOpen();
    if (hunk === undefined) this.init.changeSet.setFileDecision(path, decision);
    else this.init.changeSet.setHunkDecision(path, hunk, decision);
    this.publish();
  }

  decideAll(decision: Decision): void {
    this.requireOpen();
    this.init.changeSet.setAllDecisions(decision);
    this.publish();
  }

  /** Opens VS Code's diff editor: the file on disk on the left, the proposal (read-only) on the right. */
  async openDiff(path: string): Promise<void> {
    this.syncEditedProposals();
    const { ws } = this.init;
    const runId = this.runId;
    const file = this.init.changeSet.file(path);
    const left = file.kind === 'create' ? ProposedDocuments.uri(`${runId}-empty`, path) : ws.uri(path);
    await vscode.commands.executeCommand('vscode.diff', left, ProposedDocuments.uri(runId, path), vscode.l10n.t('{0} (SALE proposal)', path), { preview: true });
  }

  /**
   * Opens an editable copy of the proposal. When the review is applied, a copy whose text differs replaces the
   * agent's proposal (ChangeSet.replaceProposal); a file the user had accepted (wholly or in part) is then
   * accepted as edited.
   */
  async editProposal(path: string): Promise<vscode.Uri> {
    this.requireOpen();
    const existing = this.editCopies.get(path);
    if (existing && !existing.isClosed) {
      await vscode.window.showTextDocument(existing);
      return existing.uri;
    }
    const languageId = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.init.ws.uri(path).toString())?.languageId;
    const doc = await vscode.workspace.openTextDocument({ content: this.proposedText(path) ?? '', ...(languageId ? { language: languageId } : {}) });
    this.editCopies.set(path, doc);
    await vscode.window.showTextDocument(doc);
    void vscode.window.showInformationMessage(vscode.l10n.t('Edit the proposal for {0} here; your text replaces the agent\'s when you apply the accepted edits.', path));
    return doc.uri;
  }

  private syncEditedProposals(): void {
    const { changeSet, proposed } = this.init;
    const runId = this.runId;
    for (const [path, doc] of this.editCopies) {
      if (doc.isClosed || !changeSet.has(path)) continue;
      const text = doc.getText();
      if (text === changeSet.proposedText(path)) continue;
      // Only a wholly accepted file stays accepted once edited: the copy holds every hunk, so accepting it after a
      // partial review would bring back hunks the user rejected. Otherwise the edited file waits for a decision.
      const decisions = changeSet.file(path).decisions;
      const wasAccepted = decisions.length > 0 && decisions.every((d) => d === 'accepted');
      changeSet.replaceProposal(path, text);
      if (wasAccepted) changeSet.setFileDecision(path, 'accepted');
      proposed.refresh(runId, path);
    }
  }

  /** Applies the accepted edits; files changed on disk since the agent read them are refused and reported. */
  async apply(): Promise<ApplyReport> {
    this.requireOpen();
    // A second apply (a double click, the panel and the command at once) is refused until this one ends.
    if (this.applying) throw new ReviewClosedError('closed');
    this.applying = true;
    try {
      return await this.applyOnce();
    } finally {
      this.applying = false;
    }
  }

  private async applyOnce(): Promise<ApplyReport> {
    this.syncEditedProposals();
    const { ws, changeSet, auctionId, run, log } = this.init;
    const { ready, conflicts } = await partitionConflicts(changeSet, (p) => ws.fingerprint(p));
    this.conflicts.clear();
    for (const c of conflicts) this.conflicts.set(c.path, vscode.l10n.t('{0} changed after the agent read it; your newer text was kept. Re-run the task to get a proposal against it.', c.path));
    let written: string[] = [];
    let checkpointId: string | undefined;
    if (ready.length > 0) {
      const done = await applyResolvedChanges(ready, ws, { fallbackDir: this.init.checkpointsDir, label: checkpointLabel(auctionId, run.bidId) });
      written = done.written;
      checkpointId = done.checkpoint.id;
      for (const p of written) this.applied.add(p);
      const fingerprints = new Map<string, string | undefined>();
      for (const p of written) fingerprints.set(p, await ws.fingerprint(p));
      this.lastApply = { checkpointId: done.checkpoint.id, fingerprints };
    }
    this.state = 'applied';
    const files = reviewFiles(changeSet.files());
    this.outcome =
      written.length === 0 && conflicts.length === 0
        ? vscode.l10n.t('Nothing was accepted; no file was changed.')
        : vscode.l10n.t('Applied {0} file(s). {1}', written.length, conflicts.length ? vscode.l10n.t('Refused {0} file(s) changed on disk since the agent read them.', conflicts.length) : '');
    this.publish();

    const decisions = reviewDecisions(files);
    run.applied = true;
    run.review = reviewLabel(decisions);
    run.checkpointId = checkpointId;
    await this.init.journal.record({ type: 'reviewed', auctionId, bidId: run.bidId, modelId: run.modelId, files: decisions });
    log.info(`review of ${auctionId}: wrote ${written.join(', ') || 'nothing'}; conflicts ${conflicts.map((c) => c.path).join(', ') || 'none'}`);
    if (conflicts.length > 0) this.offerRerun(conflicts.map((c) => c.path));
    return { written, conflicts: conflicts.map((c) => c.path), checkpointId };
  }

  private offerRerun(paths: string[]): void {
    const rerun = vscode.l10n.t('Re-run the Task');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('Not applied, because they changed after the agent read them (your text was kept): {0}', paths.join(', ')), rerun)
      .then((c) => (c === rerun ? vscode.commands.executeCommand('sale.runBid', { auctionId: this.init.auctionId, bidId: this.init.run.bidId }) : undefined));
  }

  private requireOpen(): void {
    if (this.state !== 'reviewing') throw new ReviewClosedError('closed');
  }

  dispose(): void {
    this.editCopies.clear();
  }
}

/** There is no open review: nothing was staged yet, or the review was already applied or undone. */
export class ReviewClosedError extends SaleError {
  readonly code = 'review-closed';
  constructor(reason: 'none' | 'closed') {
    super(
      reason === 'none'
        ? 'There are no staged edits to review. Run the auction winner first (SALE: Run the Auction Winner).'
        : 'This review is closed (already applied or undone). Run the winner again to review new edits.',
    );
  }
}
