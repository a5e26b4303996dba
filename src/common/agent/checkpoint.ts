/**
 * A checkpoint of the files an apply step is about to touch, taken before anything is written, so "Undo last
 * auction" can put back exactly the bytes that were there. Plain JSON: the host may persist it as it likes.
 */
export interface CheckpointFile {
  /** Workspace-relative path. */
  path: string;
  /** False when the file did not exist at checkpoint time: restoring deletes it. */
  existed: boolean;
  /** Permission bits (e.g. 0o755) of an existing file, restored with its bytes. */
  mode?: number;
}

export interface Checkpoint {
  id: string;
  /** 'git': blobs and a commit under a private ref; 'folder': copies in a checkpoint folder. */
  kind: 'git' | 'folder';
  /** Real path of the workspace folder the paths are relative to. */
  root: string;
  /** ISO time. */
  createdAt: string;
  /** What the checkpoint was taken for (for example the auction id). */
  label?: string;
  files: CheckpointFile[];
  /** The private ref (`refs/sale/checkpoints/<id>`) or the checkpoint folder. */
  location: string;
}
