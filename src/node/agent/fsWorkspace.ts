import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { BinaryFileError, FileNotFoundError, FileTooLargeError, WrongKindError } from '../../common/agent/errors';
import { isGitSegment } from '../../common/agent/paths';
import type { AgentWorkspace, DirEntry, FileContent, FileStat, ReadFileOptions, SearchQuery, SearchResult } from '../../common/agent/ports';
import { resolveInside, type ResolvedPath } from './safePath';
import { searchFiles } from './textSearch';

export interface FsWorkspaceOptions {
  /** Files larger than this are refused (default 1 MiB). */
  maxReadBytes?: number;
  /** Folder names the search never enters, besides `.git` (default: node_modules and other VCS folders). */
  skipFolders?: string[];
}

export const defaultSkipFolders = ['node_modules', '.hg', '.svn'];

/** `sha256:<hex>` of the bytes: the version fingerprint used for conflict detection. */
export function fingerprintOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * Decodes bytes as UTF-8 text, or throws BinaryFileError for NUL bytes or invalid UTF-8. A BOM is kept, so the
 * text maps back to the same bytes.
 */
export function decodeText(path: string, bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new BinaryFileError(path);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new BinaryFileError(path);
  }
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** AgentWorkspace over one folder on disk. Read-only: it never writes. */
export class FsWorkspace implements AgentWorkspace {
  private constructor(
    /** Real path of the workspace root. */
    readonly root: string,
    private readonly maxReadBytes: number,
    private readonly skipFolders: ReadonlySet<string>,
  ) {}

  static async open(root: string, options: FsWorkspaceOptions = {}): Promise<FsWorkspace> {
    const real = await fs.realpath(root);
    return new FsWorkspace(real, options.maxReadBytes ?? 1024 * 1024, new Set(options.skipFolders ?? defaultSkipFolders));
  }

  /** Resolves a workspace path to a checked absolute path (see resolveInside). */
  resolve(path: string): Promise<ResolvedPath> {
    return resolveInside(this.root, path);
  }

  async listDir(path: string): Promise<DirEntry[]> {
    const { relative, absolute } = await this.resolve(path);
    let dirents;
    try {
      dirents = await fs.readdir(absolute, { withFileTypes: true });
    } catch (e) {
      if (errno(e) === 'ENOENT') throw new FileNotFoundError(relative);
      if (errno(e) === 'ENOTDIR') throw new WrongKindError(relative, 'directory');
      throw e;
    }
    return dirents
      .filter((d) => !isGitSegment(d.name))
      .map((d): DirEntry => ({ name: d.name, kind: d.isFile() ? 'file' : d.isDirectory() ? 'directory' : d.isSymbolicLink() ? 'symlink' : 'other' }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async readFile(path: string, options: ReadFileOptions = {}): Promise<FileContent> {
    const { relative, bytes } = await this.readBytes(path, options.maxBytes ?? this.maxReadBytes);
    const text = decodeText(relative, bytes);
    const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
    const total = lines.length;
    const start = total === 0 ? 0 : Math.min(Math.max(options.startLine ?? 1, 1), total);
    const end = total === 0 ? 0 : Math.max(Math.min(options.endLine ?? total, total), start);
    const content = options.startLine === undefined && options.endLine === undefined ? text : lines.slice(start - 1, end).join('');
    return { path: relative, content, fingerprint: fingerprintOf(bytes), totalLines: total, startLine: start, endLine: end, sizeBytes: bytes.length };
  }

  search(query: SearchQuery, signal?: AbortSignal): Promise<SearchResult> {
    return searchFiles({ root: this.root, resolve: (p) => this.resolve(p), skipFolders: this.skipFolders, maxFileBytes: this.maxReadBytes }, query, signal);
  }

  async stat(path: string): Promise<FileStat | undefined> {
    const { absolute } = await this.resolve(path);
    try {
      const s = await fs.stat(absolute);
      return { kind: s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other', sizeBytes: s.size };
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  async fingerprint(path: string): Promise<string | undefined> {
    const { absolute } = await this.resolve(path);
    try {
      return fingerprintOf(await fs.readFile(absolute));
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  private async readBytes(path: string, maxBytes: number): Promise<{ relative: string; bytes: Buffer }> {
    const { relative, absolute } = await this.resolve(path);
    let size: number;
    try {
      const s = await fs.stat(absolute);
      if (!s.isFile()) throw new WrongKindError(relative, 'file');
      size = s.size;
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') throw new FileNotFoundError(relative);
      throw e;
    }
    // Checked before reading so a huge file is never loaded; checked again after, in case it grew meanwhile.
    if (size > maxBytes) throw new FileTooLargeError(relative, size, maxBytes);
    const bytes = await fs.readFile(absolute);
    if (bytes.length > maxBytes) throw new FileTooLargeError(relative, bytes.length, maxBytes);
    return { relative, bytes };
  }
}
