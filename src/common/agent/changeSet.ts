import { ConflictError, StagingError } from './errors';
import { applyHunks, computeHunks, type Hunk } from './hunks';
import { applySearchReplace, type SearchReplaceEdit } from './searchReplace';

/** What the file looked like when the agent first staged a change to it. */
export type FileBase = { exists: true; content: string; fingerprint: string } | { exists: false };

export type ChangeKind = 'modify' | 'create' | 'delete';
export type Decision = 'pending' | 'accepted' | 'rejected';

/** A staged change to one file, as plain JSON-serialisable data (for the panel and the diff views). */
export interface StagedFile {
  path: string;
  kind: ChangeKind;
  /** Text at read time; undefined for a file that did not exist. */
  baseContent: string | undefined;
  /** Fingerprint at read time; undefined for a file that did not exist. */
  baseFingerprint: string | undefined;
  /** Proposed text; undefined when the proposal is to delete the file. */
  proposedContent: string | undefined;
  /** True once the user replaced the agent's proposal with their own text. */
  editedByUser: boolean;
  hunks: Hunk[];
  /** One decision per hunk for 'modify'; for 'create' and 'delete' a single file-level decision. */
  decisions: Decision[];
}

/** What the host should write for one file after review. */
export interface ResolvedChange {
  path: string;
  /** Undefined means "the file must not exist" (an accepted deletion). */
  finalContent: string | undefined;
  baseFingerprint: string | undefined;
  /** Whether the file existed at read time (the checkpoint and the apply step need it). */
  existedAtBase: boolean;
}

interface Entry {
  path: string;
  base: FileBase;
  proposed: string | undefined;
  editedByUser: boolean;
  hunks: Hunk[];
  decisions: Decision[];
}

function kindOf(e: Entry): ChangeKind {
  if (!e.base.exists) return 'create';
  return e.proposed === undefined ? 'delete' : 'modify';
}

/**
 * The agent's proposed edits, held in memory and never written: per file the base text and fingerprint from
 * when it was read, the latest proposal, its hunks and the user's per-hunk decisions. The host applies only what
 * `resolve()` returns, after `checkConflict` against the disk.
 */
export class ChangeSet {
  private readonly entries = new Map<string, Entry>();

  has(path: string): boolean {
    return this.entries.has(path);
  }

  /** The latest proposed text of a staged file: undefined when staged for deletion, null when not staged. */
  proposedText(path: string): string | undefined | null {
    const e = this.entries.get(path);
    return e ? e.proposed : null;
  }

  /**
   * Applies search/replace blocks to the latest proposal (or to the base on first touch). `base` is needed only
   * the first time a path is staged. Throws SearchMissError (nothing staged) when a block does not match.
   */
  proposeSearchReplace(path: string, edits: readonly SearchReplaceEdit[], base?: FileBase): StagedFile {
    const current = this.currentOrBase(path, base);
    if (current === undefined) throw new StagingError(path, `${path} does not exist (or is staged for deletion); use create_file`);
    return this.set(path, base, applySearchReplace(path, current, edits), false);
  }

  /** Replaces the whole proposed content of an existing (or already created) file. */
  proposeContent(path: string, content: string, base?: FileBase): StagedFile {
    const current = this.currentOrBase(path, base);
    if (current === undefined) throw new StagingError(path, `${path} does not exist (or is staged for deletion); use create_file`);
    return this.set(path, base, content, false);
  }

  /** Stages a new file. Refused when the file exists (on disk or as a proposal): the model should edit it instead. */
  proposeCreate(path: string, content: string, base?: FileBase): StagedFile {
    const current = this.currentOrBase(path, base);
    if (current !== undefined) throw new StagingError(path, `${path} already exists; use propose_edit`);
    return this.set(path, base, content, false);
  }

  /** Stages a deletion; deleting a file the agent itself created drops it from the set. */
  proposeDelete(path: string, base?: FileBase): StagedFile | undefined {
    const current = this.currentOrBase(path, base);
    if (current === undefined) throw new StagingError(path, `${path} does not exist`);
    const e = this.entries.get(path);
    if (e && !e.base.exists) {
      this.entries.delete(path);
      return undefined;
    }
    return this.set(path, base, undefined, false);
  }

  /** The user replaces the proposal with their own text before accepting; decisions start over. */
  replaceProposal(path: string, content: string): StagedFile {
    this.require(path);
    return this.set(path, undefined, content, true);
  }

  files(): StagedFile[] {
    return [...this.entries.values()].sort((a, b) => a.path.localeCompare(b.path)).map((e) => this.view(e));
  }

  file(path: string): StagedFile {
    return this.view(this.require(path));
  }

  /** Decides one hunk. For created and deleted files the decision is file-wide, whatever the index. */
  setHunkDecision(path: string, hunkIndex: number, decision: Decision): void {
    const e = this.require(path);
    if (kindOf(e) !== 'modify') {
      e.decisions = [decision];
      return;
    }
    if (hunkIndex < 0 || hunkIndex >= e.decisions.length) throw new StagingError(path, `${path} has no hunk ${hunkIndex}`);
    e.decisions[hunkIndex] = decision;
  }

  /** Accepts or rejects every hunk of a file. */
  setFileDecision(path: string, decision: Decision): void {
    const e = this.require(path);
    e.decisions = e.decisions.map(() => decision);
  }

  setAllDecisions(decision: Decision): void {
    for (const path of this.entries.keys()) this.setFileDecision(path, decision);
  }

  /** The file's final text from its base and its accepted hunks (pending counts as not accepted). */
  finalText(path: string): string | undefined {
    return this.resolveEntry(this.require(path)).finalContent;
  }

  /** The changes to write: files with at least one accepted hunk (or an accepted creation/deletion). */
  resolve(): ResolvedChange[] {
    return [...this.entries.values()].filter((e) => e.decisions.includes('accepted')).map((e) => this.resolveEntry(e));
  }

  /**
   * Throws ConflictError when the file on disk (its current fingerprint, undefined if absent) is no longer the
   * base the proposal was made against.
   */
  checkConflict(path: string, currentFingerprint: string | undefined): void {
    const e = this.require(path);
    const baseFingerprint = e.base.exists ? e.base.fingerprint : undefined;
    if (baseFingerprint !== currentFingerprint) throw new ConflictError(path, baseFingerprint, currentFingerprint);
  }

  private resolveEntry(e: Entry): ResolvedChange {
    const baseText = e.base.exists ? e.base.content : undefined;
    const common = { path: e.path, baseFingerprint: e.base.exists ? e.base.fingerprint : undefined, existedAtBase: e.base.exists };
    const kind = kindOf(e);
    if (kind !== 'modify') {
      const accepted = e.decisions[0] === 'accepted';
      return { ...common, finalContent: accepted ? e.proposed : baseText };
    }
    const finalContent = applyHunks(baseText ?? '', e.proposed ?? '', e.hunks, (i) => e.decisions[i] === 'accepted');
    return { ...common, finalContent };
  }

  private currentOrBase(path: string, base: FileBase | undefined): string | undefined {
    const e = this.entries.get(path);
    if (e) return e.proposed;
    if (!base) throw new StagingError(path, `${path} is not staged yet and no base was given`);
    return base.exists ? base.content : undefined;
  }

  private require(path: string): Entry {
    const e = this.entries.get(path);
    if (!e) throw new StagingError(path, `${path} has no staged change`);
    return e;
  }

  private set(path: string, base: FileBase | undefined, proposed: string | undefined, editedByUser: boolean): StagedFile {
    const prior = this.entries.get(path);
    const entryBase = prior?.base ?? base;
    if (!entryBase) throw new StagingError(path, `${path} is not staged yet and no base was given`);
    const hunks = computeHunks(entryBase.exists ? entryBase.content : '', proposed ?? '');
    const e: Entry = {
      path,
      base: entryBase,
      proposed,
      editedByUser: editedByUser || (prior?.editedByUser ?? false),
      hunks,
      decisions: [],
    };
    e.decisions = kindOf(e) === 'modify' ? hunks.map(() => 'pending') : ['pending'];
    this.entries.set(path, e);
    return this.view(e);
  }

  private view(e: Entry): StagedFile {
    return {
      path: e.path,
      kind: kindOf(e),
      baseContent: e.base.exists ? e.base.content : undefined,
      baseFingerprint: e.base.exists ? e.base.fingerprint : undefined,
      proposedContent: e.proposed,
      editedByUser: e.editedByUser,
      hunks: e.hunks.map((h) => ({ ...h, lines: [...h.lines] })),
      decisions: [...e.decisions],
    };
  }
}
