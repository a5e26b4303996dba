import * as vscode from 'vscode';
import type { Disposable } from '../../common/lifecycle';

export const PROPOSED_SCHEME = 'sale-proposed';

/**
 * Serves the agent's proposed text of each staged file as a read-only virtual document
 * (`sale-proposed:/<run id>/<path>`), the right side of "Open diff". The text comes from the current run's
 * change set, so a replaced proposal shows at once (`refresh`).
 */
export class ProposedDocuments implements vscode.TextDocumentContentProvider, Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor(private readonly source: (runId: string, path: string) => string | undefined) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this);
  }

  static uri(runId: string, path: string): vscode.Uri {
    return vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${runId}/${path}` });
  }

  static parse(uri: vscode.Uri): { runId: string; path: string } | undefined {
    const m = /^\/([^/]+)\/(.+)$/.exec(uri.path);
    return m?.[1] && m[2] ? { runId: m[1], path: m[2] } : undefined;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const parsed = ProposedDocuments.parse(uri);
    const text = parsed ? this.source(parsed.runId, parsed.path) : undefined;
    return text ?? '';
  }

  refresh(runId: string, path: string): void {
    this.changed.fire(ProposedDocuments.uri(runId, path));
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
