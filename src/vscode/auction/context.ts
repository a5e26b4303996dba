import fs from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AuctionContext } from '../../common/auction';

const MAX_FILE_CHARS = 12_000;
const MAX_LISTED_FILES = 200;

/** A file's text for the prompt, cut at the limit with a visible marker. */
const clip = (text: string): string => (text.length > MAX_FILE_CHARS ? `${text.slice(0, MAX_FILE_CHARS)}\n… (truncated)` : text);

/**
 * What the bidders see besides the task: the selection (if any), the active file (truncated), and a list of the
 * workspace's files as a summary. The memory stores just the file list; the session log (sessions.jsonl) keeps the
 * context, redacted, so a reloaded window can still run the auction's bids with it.
 */
export async function gatherContext(chosenFiles: readonly string[] = [], token?: vscode.CancellationToken): Promise<AuctionContext> {
  const editor = vscode.window.activeTextEditor;
  const context: AuctionContext = {};
  // A file open from outside the workspace (say ~/.aws/credentials) is never sent to the bidders.
  if (editor && editor.document.uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(editor.document.uri)) {
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
    context.files = [{ path: file, content: clip(text) }];
  }
  for (const rel of chosenFiles) {
    if (context.files?.some((f) => f.path === rel)) continue;
    const text = await readText(rel);
    if (text !== undefined) (context.files ??= []).push({ path: rel, content: clip(text) });
  }
  const files = await vscode.workspace.findFiles('**/*', '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**}', MAX_LISTED_FILES, token);
  if (files.length) {
    const names = files.map((f) => vscode.workspace.asRelativePath(f, false)).sort();
    context.workspaceSummary = `Files in the workspace${files.length >= MAX_LISTED_FILES ? ` (first ${MAX_LISTED_FILES})` : ''}:\n${names.join('\n')}`;
  }
  return context;
}

/**
 * A chosen file's text, or undefined when it is gone, not text (a NUL byte), or not inside a workspace folder once
 * `..` and symlinks are resolved: a path from a command argument must not read ~/.ssh or the like.
 */
async function readText(rel: string): Promise<string | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const root = await fs.realpath(folder.uri.fsPath).catch(() => undefined);
    const real = await fs.realpath(path.resolve(folder.uri.fsPath, rel)).catch(() => undefined);
    if (!root || !real) continue;
    const inside = path.relative(root, real);
    if (!inside || inside.startsWith('..') || path.isAbsolute(inside) || inside.split(path.sep)[0] === '.git') continue;
    const bytes = await fs.readFile(real).catch(() => undefined);
    if (!bytes || bytes.includes(0)) return undefined;
    return new TextDecoder('utf-8').decode(bytes);
  }
  return undefined;
}
