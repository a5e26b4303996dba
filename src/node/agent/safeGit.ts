import { spawn } from 'node:child_process';
import os from 'node:os';

/**
 * Every git command SALE runs goes through here, so none of them runs a program the repository (or the host's
 * environment) names. A repository received with its `.git` is untrusted: its config can name an fsmonitor
 * program, hooks (reference-transaction, post-index-change…), filters, an ssh command, a pager; the host's
 * environment can carry GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE or GIT_CONFIG_* that point git elsewhere.
 *
 * - `-c` overrides (the command line wins over every config file) switch off fsmonitor, hooks (hooksPath is the
 *   null device, which holds no hook), the untracked cache, the split index, auto gc/maintenance, every transport
 *   and the pager. Filters need no override: SALE hashes with `hash-object --no-filters` and reads blobs with plain
 *   `cat-file blob`, neither of which consults attributes.
 * - The environment is built from scratch: PATH, HOME and locale for git to find itself and the user's own config,
 *   a fixed identity, and whatever the caller adds (the throw-away GIT_INDEX_FILE). Nothing else is inherited.
 */
const overrides = [
  'core.fsmonitor=false',
  `core.hooksPath=${os.devNull}`,
  'core.untrackedCache=false',
  'core.splitIndex=false',
  'core.sshCommand=false',
  'core.pager=cat',
  'protocol.allow=never',
  'gc.auto=0',
  'maintenance.auto=false',
].flatMap((c) => ['-c', c]);

// Plumbing commands need an identity; a fixed one keeps checkpoints working where user.name is not set.
const identity = { GIT_AUTHOR_NAME: 'SALE', GIT_AUTHOR_EMAIL: 'sale@localhost', GIT_COMMITTER_NAME: 'SALE', GIT_COMMITTER_EMAIL: 'sale@localhost' };

/** The whole environment of a SALE git call (see the module comment); `extra` is added on top. */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  const keep = ['PATH', 'HOME', 'USERPROFILE', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL', 'XDG_CONFIG_HOME'];
  const env: Record<string, string> = {};
  for (const k of keep) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  // Paths are literal (no pathspec magic from a manifest), no prompt, no optional lock on the user's index.
  return { ...env, ...identity, GIT_LITERAL_PATHSPECS: '1', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', ...extra };
}

/** git exited non-zero (or did not start, or ran out of time). */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`git ${args[0] ?? ''} failed: ${stderr.trim().split('\n')[0] ?? ''}`, options);
    this.name = 'GitCommandError';
  }
}

export interface RunGitOptions {
  /** Added to the clean environment (for example GIT_INDEX_FILE). */
  env?: Record<string, string>;
  /** Bytes written to git's stdin. */
  input?: Uint8Array;
  /** Milliseconds before git is killed (default 30 s): a hostile repository must not hang the extension. */
  timeoutMs?: number;
}

/** Runs `git <overrides> <args>` in `cwd` and resolves with its stdout bytes. */
export function runGit(cwd: string, args: readonly string[], options: RunGitOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--no-pager', ...overrides, ...args], { cwd, env: gitEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, timeout: options.timeoutMs ?? 30_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdin.on('error', () => undefined); // git may exit before reading all of stdin; its exit code tells
    child.on('error', (e) => reject(new GitCommandError(args, e.message, { cause: e })));
    child.on('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitCommandError(args, Buffer.concat(err).toString('utf8') || `exit ${code ?? signal ?? '?'}`));
    });
    child.stdin.end(options.input ? Buffer.from(options.input) : undefined);
  });
}

/** runGit, stdout as trimmed text. */
export async function gitText(cwd: string, args: readonly string[], options?: RunGitOptions): Promise<string> {
  return (await runGit(cwd, args, options)).toString('utf8').trim();
}
