import { spawn, type ChildProcess } from 'node:child_process';
import type { CommandRequest, CommandResult, Shell } from '../../common/agent/ports';
import { CancelledError } from '../../common/errors';
import { resolveInside } from './safePath';

export interface NodeShellOptions {
  /** Real path of the workspace root; commands run in it or in a folder inside it. */
  root: string;
  /** Environment for commands (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** How long a process may ignore SIGTERM before SIGKILL (default 2 s). */
  killGraceMs?: number;
}

/** Kills the whole process tree: the shell and everything it started (tests, watchers, servers). */
function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') {
      spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    } else {
      process.kill(-child.pid, signal); // negative pid: the process group created by `detached`
    }
  } catch {
    // Already gone.
  }
}

/**
 * Shell over child_process: the command runs through the platform shell in its own process group, so a timeout
 * or a cancellation kills everything it started. Output (stdout and stderr interleaved) is capped; the rest is
 * counted and replaced by a marker.
 */
export class NodeShell implements Shell {
  constructor(private readonly options: NodeShellOptions) {}

  async run(request: CommandRequest): Promise<CommandResult> {
    if (request.signal?.aborted) throw new CancelledError();
    const { absolute: cwd } = await resolveInside(this.options.root, request.cwd);
    const grace = this.options.killGraceMs ?? 2000;
    return new Promise<CommandResult>((resolve, reject) => {
      const child = spawn(request.command, {
        cwd,
        shell: true,
        env: this.options.env ?? process.env,
        detached: process.platform !== 'win32',
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      const chunks: Buffer[] = [];
      let kept = 0;
      let dropped = 0;
      let timedOut = false;
      let aborted = false;
      let settled = false;
      const timers: NodeJS.Timeout[] = [];

      const onData = (chunk: Buffer) => {
        const room = request.maxOutputBytes - kept;
        if (room > 0) {
          const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
          chunks.push(part);
          kept += part.length;
        }
        dropped += Math.max(0, chunk.length - Math.max(room, 0));
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);

      const stop = () => {
        killTree(child, 'SIGTERM');
        timers.push(setTimeout(() => killTree(child, 'SIGKILL'), grace));
      };
      const onAbort = () => {
        aborted = true;
        stop();
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      timers.push(
        setTimeout(() => {
          timedOut = true;
          stop();
        }, request.timeoutMs),
      );

      const finish = (exitCode: number | undefined, extra?: string) => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        request.signal?.removeEventListener('abort', onAbort);
        if (aborted) {
          reject(new CancelledError());
          return;
        }
        let output = Buffer.concat(chunks).toString('utf8');
        if (extra) output += extra;
        if (dropped > 0) output += `\n[output truncated: ${dropped} more bytes not shown]`;
        resolve({ exitCode: timedOut ? undefined : exitCode, output, truncated: dropped > 0, timedOut });
      };
      child.on('error', (e) => finish(undefined, `\n[could not run the command: ${e.message}]`));
      child.on('close', (code) => finish(code ?? undefined));
      // A background process started by the command can keep the pipes open after the shell exits; do not wait
      // for it forever.
      child.on('exit', () => {
        const t = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, 500);
        t.unref();
        timers.push(t);
      });
    });
  }
}
