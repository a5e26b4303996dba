import { SaleError } from '../errors';

/** Why a requested path was refused. */
export type PathRefusal = 'absolute' | 'escape' | 'git' | 'invalid' | 'symlink-escape';

/** A path the agent (or anyone) asked for lies outside the workspace, inside `.git`, or is malformed. */
export class PathRefusedError extends SaleError {
  readonly code = 'path-refused';
  constructor(
    readonly requested: string,
    readonly reason: PathRefusal,
  ) {
    super(`Path refused (${reason}): ${requested}`);
  }
}

export class FileNotFoundError extends SaleError {
  readonly code = 'file-not-found';
  constructor(readonly path: string) {
    super(`No such file or folder: ${path}`);
  }
}

/** The path exists but is not the kind the operation needs (a folder where a file was expected, or the reverse). */
export class WrongKindError extends SaleError {
  readonly code = 'wrong-kind';
  constructor(
    readonly path: string,
    readonly expected: 'file' | 'directory',
  ) {
    super(`${path} is not a ${expected}`);
  }
}

/** Binary files (NUL bytes or invalid UTF-8) are never read or edited by the agent. */
export class BinaryFileError extends SaleError {
  readonly code = 'binary-file';
  constructor(readonly path: string) {
    super(`${path} is a binary file (NUL bytes or invalid UTF-8); the agent does not read or edit it`);
  }
}

/** The file has setuid, setgid or sticky bits: SALE neither drops nor reapplies them, so it does not write it. */
export class SpecialModeError extends SaleError {
  readonly code = 'special-mode';
  constructor(
    readonly path: string,
    readonly mode: number,
  ) {
    super(`${path} has special permission bits (mode ${mode.toString(8)}: setuid, setgid or sticky); SALE does not rewrite such a file, edit it by hand`);
  }
}

export class FileTooLargeError extends SaleError {
  readonly code = 'file-too-large';
  constructor(
    readonly path: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(`${path} is ${sizeBytes} bytes, over the ${limitBytes}-byte limit`);
  }
}

/**
 * The file on disk is no longer what the agent read: accepting the proposal would overwrite the user's newer
 * text. The edge offers to re-run the task instead.
 */
export class ConflictError extends SaleError {
  readonly code = 'conflict';
  constructor(
    readonly path: string,
    /** Fingerprint when the agent read the file; undefined when the file did not exist then. */
    readonly baseFingerprint: string | undefined,
    /** Fingerprint on disk now; undefined when the file no longer exists. */
    readonly currentFingerprint: string | undefined,
  ) {
    super(`${path} changed on disk after the agent read it`, { nextStep: { kind: 'retry' } });
  }
}

/** A search block of a search/replace edit matched nothing (or, when it must be unique, several places). */
export class SearchMissError extends SaleError {
  readonly code = 'search-miss';
  constructor(
    readonly path: string,
    /** Index of the failing block in the edit list. */
    readonly editIndex: number,
    readonly matches: number,
  ) {
    super(
      matches === 0
        ? `Edit ${editIndex + 1} for ${path}: the search text was not found`
        : `Edit ${editIndex + 1} for ${path}: the search text occurs ${matches} times; include more lines to make it unique`,
    );
  }
}

/** A change-set operation that does not fit the file's state (create over an existing file, edit of a deleted one). */
export class StagingError extends SaleError {
  readonly code = 'staging';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Taking or restoring a checkpoint failed; the user's files were not changed by the failed step. */
export class CheckpointError extends SaleError {
  readonly code = 'checkpoint-failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A search the workspace cannot run (an invalid regular expression). */
export class InvalidQueryError extends SaleError {
  readonly code = 'invalid-query';
  constructor(
    readonly query: string,
    reason: string,
  ) {
    super(`Invalid search: ${reason}`);
  }
}
