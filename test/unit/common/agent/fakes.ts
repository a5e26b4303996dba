// Test doubles for the agent's ports: a model client that replays a script, an in-memory workspace, a shell
// that records what it was asked to run, and an approver with fixed answers.
import { CancelledError } from '../../../../src/common/errors';
import { FileNotFoundError } from '../../../../src/common/agent/errors';
import type {
  AgentWorkspace,
  ApprovalDecision,
  CommandApprover,
  CommandRequest,
  CommandResult,
  DirEntry,
  FileContent,
  FileStat,
  ReadFileOptions,
  SearchQuery,
  SearchResult,
  Shell,
} from '../../../../src/common/agent/ports';
import type { ModelCallRecord } from '../../../../src/common/ledger/types';
import { emptyUsage, unreportedUsage, type ChatRequest, type ChatResponse, type ModelClient, type ModelSpec, type ToolCall } from '../../../../src/common/providers/types';

export type ScriptStep =
  | { text?: string; toolCalls?: ToolCall[]; inputTokens?: number; outputTokens?: number; /** The reply carries no usage. */ unreported?: boolean }
  | ((request: ChatRequest) => ChatResponse | Promise<ChatResponse>);

export const testSpec: ModelSpec = {
  id: 'small',
  provider: 'openai-compatible',
  model: 'qwen3-4b',
  price: { inputPerMTok: 1, outputPerMTok: 2, source: 'settings' },
  roles: ['executor'],
  enabled: true,
  local: false,
};

/** Replays scripted replies in order and keeps every request it received. */
export class ScriptedClient implements ModelClient {
  readonly requests: ChatRequest[] = [];
  private index = 0;
  constructor(
    private readonly script: ScriptStep[],
    readonly spec: ModelSpec = { ...testSpec },
  ) {}

  async chat(request: ChatRequest): Promise<ChatResponse> {
    // Snapshot: the loop keeps appending to its history after the call.
    this.requests.push({ ...request, messages: request.messages.map((m) => ({ ...m })) });
    if (request.signal?.aborted) throw new CancelledError();
    const step = this.script[this.index++];
    if (!step) throw new Error(`script exhausted after ${this.index - 1} replies`);
    if (typeof step === 'function') return step(request);
    await Promise.resolve();
    const toolCalls = step.toolCalls ?? [];
    return {
      text: step.text ?? '',
      toolCalls,
      finishReason: toolCalls.length ? 'tool_calls' : 'stop',
      usage: step.unreported ? unreportedUsage() : { ...emptyUsage(), inputTokens: step.inputTokens ?? 100, outputTokens: step.outputTokens ?? 10 },
      latencyMs: 5,
      model: this.spec.model,
    };
  }
}

export const call = (name: string, args: unknown, id = `c-${name}-${Math.random().toString(36).slice(2, 7)}`): ToolCall => ({
  id,
  name,
  argumentsJson: typeof args === 'string' ? args : JSON.stringify(args),
});

/** A workspace held in a map of path to text; fingerprints are a version counter per path. */
export class MemoryWorkspace implements AgentWorkspace {
  private versions = new Map<string, number>();
  constructor(readonly files: Map<string, string>) {}

  static of(files: Record<string, string>): MemoryWorkspace {
    return new MemoryWorkspace(new Map(Object.entries(files)));
  }

  /** Simulates the user editing a file on disk. */
  write(path: string, text: string): void {
    this.files.set(path, text);
    this.versions.set(path, (this.versions.get(path) ?? 0) + 1);
  }

  async listDir(path: string): Promise<DirEntry[]> {
    const prefix = path === '.' ? '' : `${path}/`;
    const names = new Map<string, DirEntry['kind']>();
    for (const p of this.files.keys()) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length).split('/');
      names.set(rest[0] ?? '', rest.length > 1 ? 'directory' : 'file');
    }
    await Promise.resolve();
    return [...names].sort().map(([name, kind]) => ({ name, kind }));
  }

  async readFile(path: string, options?: ReadFileOptions): Promise<FileContent> {
    await Promise.resolve();
    const text = this.files.get(path);
    if (text === undefined) throw new FileNotFoundError(path);
    const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
    const start = options?.startLine ?? 1;
    const end = Math.min(options?.endLine ?? lines.length, lines.length);
    return {
      path,
      content: lines.slice(start - 1, end).join(''),
      fingerprint: `${path}@${this.versions.get(path) ?? 0}`,
      totalLines: lines.length,
      startLine: start,
      endLine: end,
      sizeBytes: text.length,
    };
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    await Promise.resolve();
    const matches = [];
    for (const [path, text] of this.files) {
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) if (lines[i]?.includes(query.query)) matches.push({ path, line: i + 1, text: lines[i] ?? '' });
    }
    return { matches, truncated: false };
  }

  async stat(path: string): Promise<FileStat | undefined> {
    await Promise.resolve();
    const text = this.files.get(path);
    return text === undefined ? undefined : { kind: 'file', sizeBytes: text.length };
  }

  async fingerprint(path: string): Promise<string | undefined> {
    await Promise.resolve();
    return this.files.has(path) ? `${path}@${this.versions.get(path) ?? 0}` : undefined;
  }
}

/** Records every command instead of running it. */
export class RecordingShell implements Shell {
  readonly ran: CommandRequest[] = [];
  async run(request: CommandRequest): Promise<CommandResult> {
    await Promise.resolve();
    this.ran.push(request);
    return { exitCode: 0, output: `ran ${request.command}`, truncated: false, timedOut: false };
  }
}

export class FixedApprover implements CommandApprover {
  readonly asked: string[] = [];
  constructor(
    readonly trusted: boolean,
    private readonly answer: ApprovalDecision,
  ) {}
  async approve(request: { command: string }): Promise<ApprovalDecision> {
    await Promise.resolve();
    this.asked.push(request.command);
    return this.answer;
  }
}

export class CollectingSink {
  readonly calls: ModelCallRecord[] = [];
  record(c: ModelCallRecord): void {
    this.calls.push(c);
  }
}

export const fixedClock = { now: () => Date.UTC(2026, 0, 1) };
