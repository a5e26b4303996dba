import type { ChangeSet, ResolvedChange } from './changeSet';
import { ConflictError } from './errors';

/**
 * Splits the accepted changes into those safe to apply and those whose file changed on disk since the agent read
 * it. `currentFingerprint` is the host's view of the file now (in VS Code: including unsaved editor text), using
 * the same fingerprint function as the reads; undefined when the file does not exist.
 */
export async function partitionConflicts(
  changeSet: ChangeSet,
  currentFingerprint: (path: string) => Promise<string | undefined>,
): Promise<{ ready: ResolvedChange[]; conflicts: ConflictError[] }> {
  const ready: ResolvedChange[] = [];
  const conflicts: ConflictError[] = [];
  for (const change of changeSet.resolve()) {
    try {
      changeSet.checkConflict(change.path, await currentFingerprint(change.path));
      ready.push(change);
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
      conflicts.push(e);
    }
  }
  return { ready, conflicts };
}
