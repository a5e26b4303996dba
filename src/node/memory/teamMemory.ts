import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeAtomically } from '../storage/jsonlStore';

/** Folder of the team memory inside the repository. */
export const TEAM_DIR = '.sale';
export const TEAM_FILE = 'memory.jsonl';

/** The team memory file of a repository. */
export function teamMemoryPath(repoRoot: string): string {
  return path.join(repoRoot, TEAM_DIR, TEAM_FILE);
}

const REQUIRED: Record<string, string[]> = {
  // Two clones appending to the same file merge by keeping both sides' lines; read de-duplicates by id.
  '.gitattributes': ['*.jsonl merge=union'],
  // The lock folder and the temporary file of an atomic rewrite are per machine and short-lived.
  '.gitignore': ['*.lock', '.*.tmp'],
};

/**
 * Creates `<repo>/.sale/` with its `.gitattributes` (union merge of JSONL) and `.gitignore` (lock and temp
 * files), adding only the lines that are missing so a team's own edits to those files are kept.
 */
export async function ensureTeamFolder(repoRoot: string): Promise<void> {
  const dir = path.join(repoRoot, TEAM_DIR);
  await fs.mkdir(dir, { recursive: true });
  for (const [name, lines] of Object.entries(REQUIRED)) {
    const file = path.join(dir, name);
    let text = '';
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const present = new Set(text.split(/\r?\n/).map((l) => l.trim()));
    const missing = lines.filter((l) => !present.has(l));
    if (missing.length === 0) continue;
    const prefix = text === '' || text.endsWith('\n') ? text : `${text}\n`;
    await writeAtomically(file, `${prefix}${missing.join('\n')}\n`);
  }
}
