import fs from 'node:fs/promises';
import path from 'node:path';
import type { WorkspaceFiles } from '../../common/workspace/testCommand';

/** Files larger than this are not read for detection (a Makefile or pyproject.toml is far smaller). */
const MAX_READ_BYTES = 256 * 1024;

/** The root of a folder on disk as detection sees it: its entries, and small files read as UTF-8. */
export function rootFilesOf(root: string): WorkspaceFiles {
  return {
    async rootEntries() {
      const entries = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
      return entries.map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
    },
    async read(name) {
      const file = path.join(root, name);
      try {
        const stat = await fs.stat(file);
        if (!stat.isFile() || stat.size > MAX_READ_BYTES) return undefined;
        return await fs.readFile(file, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
