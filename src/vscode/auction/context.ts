import * as vscode from 'vscode';
import type { AuctionContext } from '../../common/auction';

const MAX_FILE_CHARS = 12_000;
const MAX_LISTED_FILES = 200;

/**
 * What the bidders see besides the task: the selection (if any), the active file (truncated), and a list of the
 * workspace's files as a summary. File contents stay in the prompt only; memory stores just the file list.
 */
export async function gatherContext(token?: vscode.CancellationToken): Promise<AuctionContext> {
  const editor = vscode.window.activeTextEditor;
  const context: AuctionContext = {};
  if (editor && editor.document.uri.scheme === 'file') {
    const doc = editor.document;
    const file = vscode.workspace.asRelativePath(doc.uri, false);
    if (!editor.selection.isEmpty) {
      context.selection = {
        file,
        startLine: editor.selection.start.line + 1,
        endLine: editor.selection.end.line + 1,
        text: doc.getText(editor.selection).slice(0, MAX_FILE_CHARS),
      };
    }
    const text = doc.getText();
    context.files = [{ path: file, content: text.length > MAX_FILE_CHARS ? `${text.slice(0, MAX_FILE_CHARS)}\n… (truncated)` : text }];
  }
  const files = await vscode.workspace.findFiles('**/*', '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**}', MAX_LISTED_FILES, token);
  if (files.length) {
    const names = files.map((f) => vscode.workspace.asRelativePath(f, false)).sort();
    context.workspaceSummary = `Files in the workspace${files.length >= MAX_LISTED_FILES ? ` (first ${MAX_LISTED_FILES})` : ''}:\n${names.join('\n')}`;
  }
  return context;
}
