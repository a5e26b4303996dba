import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { codeServerBin, ensureTestHost, node24Bin, run } from './host';

export interface CodeServerOptions {
  /** A folder of its own for this run: user data, extensions, XDG dirs and logs go under it. */
  runDir: string;
  /** Enables the smoke-test driver, which honours the `payload` URL parameter (extension-host tests). */
  smokeTestDriver?: boolean;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server (and so for the extension host). */
  env?: NodeJS.ProcessEnv;
  /** Extra command-line arguments, e.g. `['--enable-proposed-api', '<publisher.name>']`. */
  args?: string[];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A code-server (VS Code in the browser) of its own: isolated user data, extensions and XDG folders, bound to a
 * free loopback port, started in its own process group so that stopping it leaves no watcher behind.
 */
export class CodeServer {
  private constructor(
    readonly port: number,
    private readonly proc: ChildProcess,
    readonly opts: CodeServerOptions,
  ) {}

  static env(runDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const xdg = path.join(runDir, 'xdg');
    const tmp = path.join(runDir, 'tmp');
    fs.mkdirSync(xdg, { recursive: true });
    fs.mkdirSync(tmp, { recursive: true });
    return {
      ...process.env,
      ...extra,
      PATH: `${node24Bin}:${process.env.PATH ?? ''}`,
      XDG_CONFIG_HOME: xdg,
      XDG_DATA_HOME: xdg,
      XDG_CACHE_HOME: path.join(runDir, 'cache'),
      TMPDIR: tmp,
    };
  }

  static dirs(runDir: string) {
    return { userData: path.join(runDir, 'user-data'), extensions: path.join(runDir, 'extensions'), log: path.join(runDir, 'code-server.log') };
  }

  /** Installs a .vsix into this run's extensions folder. */
  static installExtension(runDir: string, vsix: string): void {
    ensureTestHost();
    const d = CodeServer.dirs(runDir);
    run(codeServerBin, ['--user-data-dir', d.userData, '--extensions-dir', d.extensions, '--install-extension', vsix, '--force'], {
      env: CodeServer.env(runDir),
    });
  }

  static async start(opts: CodeServerOptions): Promise<CodeServer> {
    ensureTestHost();
    const d = CodeServer.dirs(opts.runDir);
    fs.mkdirSync(path.join(d.userData, 'User'), { recursive: true });
    fs.mkdirSync(d.extensions, { recursive: true });
    const settings = {
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'chat.disableAIFeatures': true,
      'workbench.tips.enabled': false,
      'git.openRepositoryInParentFolders': 'never',
      ...opts.settings,
    };
    fs.writeFileSync(path.join(d.userData, 'User/settings.json'), JSON.stringify(settings, null, 2));
    const port = await freePort();
    const args = [
      '--user-data-dir', d.userData, '--extensions-dir', d.extensions,
      '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
      '--reconnection-grace-time', '5',
      ...(opts.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
      ...(opts.args ?? []),
    ];
    const log = fs.openSync(d.log, 'a');
    // setsid: a process group of its own, so stop() can end code-server and every child it started.
    const proc = spawn('setsid', [codeServerBin, ...args], { env: CodeServer.env(opts.runDir, opts.env), stdio: ['ignore', log, log], detached: false });
    fs.closeSync(log);
    const server = new CodeServer(port, proc, opts);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) break;
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) return server;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await server.stop();
    throw new Error(`code-server did not start on port ${port}:\n${fs.readFileSync(d.log, 'utf8').slice(-4000)}`);
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  folderUrl(folder: string, extraQuery = ''): string {
    return `${this.base}/?folder=${encodeURIComponent(folder)}${extraQuery}`;
  }

  async stop(): Promise<void> {
    const pid = this.proc.pid;
    if (pid === undefined || this.proc.exitCode !== null) return;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && this.proc.exitCode === null && this.proc.signalCode === null) await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

