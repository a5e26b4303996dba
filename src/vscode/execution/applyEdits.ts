import * as vscode from 'vscode';
import type { ResolvedChange } from '../../common/agent/changeSet';
import type { Checkpoint } from '../../common/agent/checkpoint';
import { SaleError } from '../../common/errors';
import { createCheckpoint, deleteCheckpoint } from '../../node/agent/gitCheckpoint';
import { assertNoSymlinkOnPath, writeFileInside } from '../../node/agent/safeWrite';
import type { EditorAwareWorkspace } from './editorWorkspace';

/** VS Code refused the workspace edit (for example a file went read-only); nothing of it was applied. */
export class ApplyRefusedError extends SaleError {
  readonly code = 'apply-refused';
  constructor() {
    super('VS Code refused to apply the edits; nothing was changed.', { nextStep: { kind: 'showLogs' } });
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function readOrUndefined(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    return undefined;
  }
}

/**
 * Writes the accepted changes: first a checkpoint of every file about to be touched (never moving branch, index
 * or stash), then one `WorkspaceEdit` (so VS Code's undo covers it: replacements, creations, deletions), then
 * the touched documents are saved. Save participants (format on save, EOL normalisation, final newline) may
 * change text: each file on disk is then checked against the accepted text and rewritten byte for byte if it
 * differs, so the disk holds exactly what the user accepted. Conflicts must have been filtered out before.
 */
export async function applyResolvedChanges(
  changes: readonly ResolvedChange[],
  ws: EditorAwareWorkspace,
  options: { fallbackDir: string; label?: string },
): Promise<{ checkpoint: Checkpoint; written: string[] }> {
  await refuseSymlinkedPaths(changes, ws);
  const checkpoint = await createCheckpoint({ root: ws.root, paths: changes.map((c) => c.path), fallbackDir: options.fallbackDir, label: options.label });
  try {
    // Checked again right before VS Code writes: a folder swapped for a symlink since the review must not be followed.
    await refuseSymlinkedPaths(changes, ws);
    await applyAsOneEdit(changes, ws);
  } catch (e) {
    // Nothing was applied (VS Code refused, or a document could not be opened): a checkpoint of an apply that did
    // not happen must not become what "Undo Last Auction" restores.
    await deleteCheckpoint(checkpoint).catch(() => undefined);
    throw e;
  }
  return { checkpoint, written: await settleOnDisk(changes, ws) };
}

/** The apply step never writes through a symlink (one inside the workspace included): such a change is refused. */
async function refuseSymlinkedPaths(changes: readonly ResolvedChange[], ws: EditorAwareWorkspace): Promise<void> {
  for (const change of changes) await assertNoSymlinkOnPath(ws.root, change.path);
}

async function applyAsOneEdit(changes: readonly ResolvedChange[], ws: EditorAwareWorkspace): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  const metadata = { needsConfirmation: false, label: vscode.l10n.t('SALE: apply accepted edits') };
  for (const change of changes) {
    const uri = ws.uri(change.path);
    if (change.finalContent === undefined) {
      if (change.existedAtBase) edit.deleteFile(uri, { ignoreIfNotExists: true }, metadata);
    } else if (!change.existedAtBase) {
      edit.createFile(uri, { overwrite: false, contents: Buffer.from(change.finalContent, 'utf8') }, metadata);
    } else {
      const doc = await vscode.workspace.openTextDocument(uri);
      edit.replace(uri, doc.validateRange(new vscode.Range(0, 0, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)), change.finalContent, metadata);
    }
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new ApplyRefusedError();
}

/** Saves the touched documents and makes each file on disk exactly the accepted text; returns the paths written. */
async function settleOnDisk(changes: readonly ResolvedChange[], ws: EditorAwareWorkspace): Promise<string[]> {
  const written: string[] = [];
  for (const change of changes) {
    const uri = ws.uri(change.path);
    if (change.finalContent === undefined) {
      if (change.existedAtBase) written.push(change.path);
      continue;
    }
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty) await open.save();
    const want = Buffer.from(change.finalContent, 'utf8');
    const have = await readOrUndefined(uri);
    // writeFileInside, not workspace.fs.writeFile: it refuses a symlink on the path and renames a temporary file
    // from the same real folder into place, so the bytes cannot land outside the workspace.
    if (!have || !sameBytes(have, want)) await writeFileInside(ws.root, change.path, want);
    written.push(change.path);
  }
  return written;
}
