import * as vscode from 'vscode';
import { SaleError } from '../../common/errors';
import type { AgentWorkspace, DirEntry, FileContent, FileStat, ReadFileOptions, SearchQuery, SearchResult } from '../../common/agent/ports';
import { fingerprintOf, type FsWorkspace } from '../../node/agent/fsWorkspace';

/** The file is open in an editor with unsaved changes: the agent may not read (and so not edit) it. */
export class UnsavedFileError extends SaleError {
  readonly code = 'unsaved-file';
  constructor(readonly path: string) {
    super(`${path} has unsaved changes in an editor; the agent works only on saved files. Ask the user to save it, or leave it alone.`);
  }
}

/**
 * The disk workspace as VS Code sees it: a file open with unsaved changes is refused to the agent (it would stage
 * edits against text the user is still changing), and its fingerprint is the editor's text, so a review of a
 * file the user has since edited in an editor is a conflict, never an overwrite.
 */
export class EditorAwareWorkspace implements AgentWorkspace {
  constructor(private readonly disk: FsWorkspace) {}

  get root(): string {
    return this.disk.root;
  }

  uri(path: string): vscode.Uri {
    return vscode.Uri.joinPath(vscode.Uri.file(this.disk.root), ...path.split('/'));
  }

  /** The open document of a path with unsaved changes, if any. */
  dirtyDocument(path: string): vscode.TextDocument | undefined {
    const target = this.uri(path).toString();
    return vscode.workspace.textDocuments.find((d) => d.isDirty && d.uri.toString() === target);
  }

  listDir(path: string): Promise<DirEntry[]> {
    return this.disk.listDir(path);
  }

  async readFile(path: string, options?: ReadFileOptions): Promise<FileContent> {
    const file = await this.disk.readFile(path, options);
    if (this.dirtyDocument(file.path)) throw new UnsavedFileError(file.path);
    return file;
  }

  search(query: SearchQuery, signal?: AbortSignal): Promise<SearchResult> {
    return this.disk.search(query, signal);
  }

  stat(path: string): Promise<FileStat | undefined> {
    return this.disk.stat(path);
  }

  async fingerprint(path: string): Promise<string | undefined> {
    const dirty = this.dirtyDocument(path);
    if (dirty) return fingerprintOf(Buffer.from(`unsaved:${dirty.getText()}`, 'utf8'));
    return this.disk.fingerprint(path);
  }
}
