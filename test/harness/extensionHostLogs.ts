import fs from 'node:fs';
import path from 'node:path';

/**
 * What code-server's logs say about the extension hosts it ran. Each window connection gets a log folder,
 * `<user data>/logs/<session>/exthostN/`; every extension host process started for it (a restart starts a new one
 * in the same folder) appends "Extension host with pid N started" to `remoteexthost.log`, and our activate() appends
 * "SALE <version> activated in … ms" to the output channel's file `sale-dev.sale-vscode/SALE.log`.
 */
export interface ExtensionHostHistory {
  /** Process ids of every extension host started, oldest first; the last one is the current one. */
  pids: number[];
  /** How many times SALE has activated, over all of them. */
  saleActivations: number;
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The extension hosts of the code-server whose user data folder this is (read from its logs now). */
export function extensionHosts(userData: string): ExtensionHostHistory {
  const logs = path.join(userData, 'logs');
  const dirs: { dir: string; session: string; n: number }[] = [];
  for (const session of fs.existsSync(logs) ? fs.readdirSync(logs) : []) {
    const sessionDir = path.join(logs, session);
    if (!fs.statSync(sessionDir).isDirectory()) continue;
    for (const d of fs.readdirSync(sessionDir)) {
      const m = /^exthost(\d+)$/.exec(d);
      if (m) dirs.push({ dir: path.join(sessionDir, d), session, n: Number(m[1]) });
    }
  }
  dirs.sort((a, b) => a.session.localeCompare(b.session) || a.n - b.n);
  const history: ExtensionHostHistory = { pids: [], saleActivations: 0 };
  for (const { dir } of dirs) {
    for (const m of readOr(path.join(dir, 'remoteexthost.log')).matchAll(/Extension host with pid (\d+) started/g)) history.pids.push(Number(m[1]));
    history.saleActivations += (readOr(path.join(dir, 'sale-dev.sale-vscode', 'SALE.log')).match(/ SALE \S+ activated in /g) ?? []).length;
  }
  return history;
}

/** Whether a process with this id is running (signal 0 checks without signalling). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
