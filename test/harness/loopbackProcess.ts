import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { LoopbackScript } from '../fixtures/loopback/types';
import { repoRoot } from './host';

/** The loopback provider server in a process of its own (test/fixtures/loopback/cli.ts), for the end-to-end run. */
export class LoopbackProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly openaiBaseUrl: string,
  ) {}

  static async start(script: LoopbackScript, dir: string): Promise<LoopbackProcess> {
    const file = path.join(dir, 'loopback-script.json');
    fs.writeFileSync(file, JSON.stringify(script));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/fixtures/loopback/cli.ts'), '--script', file], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const first = await new Promise<string>((resolve, reject) => {
      const rl = readline.createInterface({ input: child.stdout });
      rl.once('line', (line) => {
        rl.close();
        resolve(line);
      });
      child.once('exit', (code) => reject(new Error(`the loopback server exited with ${code}`)));
    });
    const info = JSON.parse(first) as { url: string; openaiBaseUrl: string };
    return new LoopbackProcess(child, info.url, info.openaiBaseUrl);
  }

  /** Every request the server received (over its control endpoint). */
  async requests(): Promise<{ model?: string; api: string; rawBody: string; headers: Record<string, string> }[]> {
    const res = await fetch(`${this.url}/__loopback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'requests' }) });
    return ((await res.json()) as { requests: { model?: string; api: string; rawBody: string; headers: Record<string, string> }[] }).requests;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    this.child.kill('SIGKILL');
  }
}
