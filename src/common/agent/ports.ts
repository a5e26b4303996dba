/**
 * The ports the agent loop runs over. All paths are workspace-relative with `/` separators (see
 * `normalizeWorkspacePath`); adapters resolve them against a workspace folder and check symlinks.
 * The Node adapters live in src/node/agent; the VS Code ones (open documents, workspace trust, prompts) in
 * src/vscode.
 */

export interface DirEntry {
  name: string;
  kind: 'file' | 'directory' | 'symlink' | 'other';
}

export interface ReadFileOptions {
  /** First line to return, 1-based, inclusive. */
  startLine?: number;
  /** Last line to return, 1-based, inclusive. */
  endLine?: number;
  /** Files larger than this are refused with FileTooLargeError; the adapter's default applies when absent. */
  maxBytes?: number;
}

export interface FileContent {
  path: string;
  /** The requested lines (the whole file when no range was asked), line terminators kept. */
  content: string;
  /** Fingerprint of the whole file's bytes; equal fingerprints mean identical files. */
  fingerprint: string;
  totalLines: number;
  /** The 1-based inclusive range actually returned (0..0 for an empty file). */
  startLine: number;
  endLine: number;
  sizeBytes: number;
}

export interface SearchQuery {
  /** Plain text, or a regular expression when `isRegex`. */
  query: string;
  isRegex?: boolean;
  caseSensitive?: boolean;
  /** Search only under this workspace-relative folder. */
  under?: string;
  maxResults?: number;
}

export interface SearchMatch {
  path: string;
  /** 1-based line number. */
  line: number;
  text: string;
}

export interface SearchResult {
  matches: SearchMatch[];
  /** True when more matches exist than were returned. */
  truncated: boolean;
}

export interface FileStat {
  kind: 'file' | 'directory' | 'other';
  sizeBytes: number;
}

/**
 * Read-only access to one workspace folder. The agent never writes through this port: edits are staged in a
 * ChangeSet and applied by the host after the user accepts them.
 */
export interface AgentWorkspace {
  listDir(path: string, signal?: AbortSignal): Promise<DirEntry[]>;
  /** Refuses binary files (BinaryFileError), oversized ones (FileTooLargeError) and missing ones (FileNotFoundError). */
  readFile(path: string, options?: ReadFileOptions): Promise<FileContent>;
  /** Text search that skips `.git`, dependency folders and binary files. */
  search(query: SearchQuery, signal?: AbortSignal): Promise<SearchResult>;
  /** Undefined when nothing exists at the path. */
  stat(path: string): Promise<FileStat | undefined>;
  /** The fingerprint `readFile` would report now, or undefined when the file does not exist; used for conflicts. */
  fingerprint(path: string): Promise<string | undefined>;
}

export interface CommandRequest {
  command: string;
  /** Workspace-relative working folder; `.` is the workspace root. */
  cwd: string;
  timeoutMs: number;
  /** Output beyond this many bytes is dropped and a truncation marker appended. */
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export interface CommandResult {
  /** Undefined when the process was killed (timeout, abort) or ended by a signal. */
  exitCode: number | undefined;
  /** stdout and stderr interleaved in arrival order, capped. */
  output: string;
  truncated: boolean;
  timedOut: boolean;
}

/** Runs shell commands in the workspace. Rejects with CancelledError when the signal aborts (after killing). */
export interface Shell {
  run(request: CommandRequest): Promise<CommandResult>;
}

export type ApprovalDecision = 'once' | 'always' | 'deny';

/**
 * Asks the user whether a command may run. In an untrusted workspace (`trusted` false) the loop never asks and
 * never runs anything: the tool reports an error to the model.
 */
export interface CommandApprover {
  readonly trusted: boolean;
  /** 'always' approves this exact command for the rest of the run (the host may remember it longer). */
  approve(request: { command: string; cwd: string }, signal?: AbortSignal): Promise<ApprovalDecision>;
}

/** Wall-clock time, injectable so tests and records are deterministic. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
