import { type z } from 'zod';
import { isCancellation, SaleError, throwIfAborted } from '../errors';
import type { ToolCall } from '../providers/types';
import { type ChangeSet, type FileBase } from './changeSet';
import type { AgentEventBody } from './events';
import { normalizeWorkspacePath } from './paths';
import type { AgentWorkspace, CommandApprover, Shell } from './ports';
import { canonicalToolName, toolArgs, type ToolArgs, type ToolName } from './tools';

/** Per-run settings the tools need. */
export interface ToolLimits {
  /** Largest file the agent may read or edit. */
  readMaxBytes: number;
  commandTimeoutMs: number;
  commandMaxOutputBytes: number;
  searchMaxResults: number;
  /** Tool results longer than this are cut before they go back to the model. */
  resultMaxChars: number;
}

export interface ToolContext {
  workspace: AgentWorkspace;
  shell: Shell;
  approver: CommandApprover;
  changeSet: ChangeSet;
  limits: ToolLimits;
  signal?: AbortSignal;
  emit(event: AgentEventBody): void;
  /** Commands approved "always" during this run. */
  alwaysApproved: Set<string>;
}

export interface ToolOutcome {
  content: string;
  isError: boolean;
  /** Set when the call was `finish`. */
  finished?: { summary: string };
}

const ok = (content: string): ToolOutcome => ({ content, isError: false });
const fail = (content: string): ToolOutcome => ({ content, isError: true });

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[... ${text.length - max} more characters cut]`;
}

function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'arguments'}: ${i.message}`).join('; ');
}

/**
 * Runs one tool call. Never throws for anything the model did wrong (bad JSON, bad arguments, a refused path, a
 * search miss): those come back as error results so the model can correct itself. Only cancellation propagates.
 */
export async function executeToolCall(call: ToolCall, ctx: ToolContext): Promise<ToolOutcome> {
  throwIfAborted(ctx.signal);
  const name = canonicalToolName(call.name);
  if (!name) return fail(`Unknown tool "${call.name}". Available tools: ${Object.keys(toolArgs).join(', ')}.`);
  let raw: unknown;
  try {
    raw = call.argumentsJson.trim() === '' ? {} : JSON.parse(call.argumentsJson);
  } catch (e) {
    return fail(`The arguments of ${name} are not valid JSON (${e instanceof Error ? e.message : String(e)}). Send the call again with a valid JSON object.`);
  }
  const parsed = toolArgs[name].safeParse(raw);
  if (!parsed.success) return fail(`Invalid arguments for ${name}: ${describeZodError(parsed.error)}.`);
  try {
    const outcome = await run(name, parsed.data, ctx);
    return { ...outcome, content: truncate(outcome.content, ctx.limits.resultMaxChars) };
  } catch (e) {
    if (isCancellation(e)) throw e;
    if (e instanceof SaleError) return fail(e.message);
    // An adapter failure (permissions, I/O) is the model's problem to route around, not a crash of the run.
    return fail(`${name} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function run(name: ToolName, args: ToolArgs[ToolName], ctx: ToolContext): Promise<ToolOutcome> {
  switch (name) {
    case 'list_dir':
      return listDir(args as ToolArgs['list_dir'], ctx);
    case 'read_file':
      return readFile(args as ToolArgs['read_file'], ctx);
    case 'search':
      return search(args as ToolArgs['search'], ctx);
    case 'propose_edit':
    case 'create_file':
    case 'delete_file':
      return stage(name, args as ToolArgs['propose_edit'] & ToolArgs['create_file'], ctx);
    case 'run_command':
      return runCommand(args as ToolArgs['run_command'], ctx);
    case 'finish': {
      const summary = (args as ToolArgs['finish']).summary;
      return { ...ok('Finished.'), finished: { summary } };
    }
  }
}

async function listDir(args: ToolArgs['list_dir'], ctx: ToolContext): Promise<ToolOutcome> {
  const path = normalizeWorkspacePath(args.path);
  const entries = await ctx.workspace.listDir(path, ctx.signal);
  if (entries.length === 0) return ok(`${path} is empty.`);
  return ok(entries.map((e) => (e.kind === 'directory' ? `${e.name}/` : e.name)).join('\n'));
}

function sliceLines(text: string, start?: number, end?: number): { text: string; start: number; end: number; total: number } {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const from = Math.min(Math.max(start ?? 1, 1), Math.max(lines.length, 1));
  const to = Math.min(end ?? lines.length, lines.length);
  return { text: lines.slice(from - 1, to).join(''), start: lines.length ? from : 0, end: lines.length ? to : 0, total: lines.length };
}

async function readFile(args: ToolArgs['read_file'], ctx: ToolContext): Promise<ToolOutcome> {
  const path = normalizeWorkspacePath(args.path);
  const staged = ctx.changeSet.proposedText(path);
  if (staged === undefined) return fail(`${path} is staged for deletion.`);
  if (staged !== null) {
    // The agent sees its own staged version, so further search/replace blocks are written against it.
    const s = sliceLines(staged, args.startLine, args.endLine);
    ctx.emit({ type: 'fileRead', path, startLine: s.start, endLine: s.end, totalLines: s.total });
    return ok(`${path} (your staged version, lines ${s.start}-${s.end} of ${s.total})\n${s.text}`);
  }
  const file = await ctx.workspace.readFile(path, { startLine: args.startLine, endLine: args.endLine, maxBytes: ctx.limits.readMaxBytes });
  ctx.emit({ type: 'fileRead', path, startLine: file.startLine, endLine: file.endLine, totalLines: file.totalLines });
  return ok(`${path} (lines ${file.startLine}-${file.endLine} of ${file.totalLines})\n${file.content}`);
}

async function search(args: ToolArgs['search'], ctx: ToolContext): Promise<ToolOutcome> {
  const under = args.under === undefined ? undefined : normalizeWorkspacePath(args.under);
  const result = await ctx.workspace.search(
    { query: args.query, isRegex: args.isRegex, caseSensitive: args.caseSensitive, under, maxResults: ctx.limits.searchMaxResults },
    ctx.signal,
  );
  if (result.matches.length === 0) return ok('No matches.');
  const lines = result.matches.map((m) => `${m.path}:${m.line}: ${m.text}`);
  if (result.truncated) lines.push(`[more matches not shown; narrow the search]`);
  return ok(lines.join('\n'));
}

async function baseOf(path: string, ctx: ToolContext): Promise<FileBase | undefined> {
  if (ctx.changeSet.has(path)) return undefined; // the base was taken when the file was first staged
  const stat = await ctx.workspace.stat(path);
  if (!stat) return { exists: false };
  const file = await ctx.workspace.readFile(path, { maxBytes: ctx.limits.readMaxBytes });
  return { exists: true, content: file.content, fingerprint: file.fingerprint };
}

async function stage(name: 'propose_edit' | 'create_file' | 'delete_file', args: ToolArgs['propose_edit'] & ToolArgs['create_file'], ctx: ToolContext): Promise<ToolOutcome> {
  const path = normalizeWorkspacePath(args.path);
  if (path === '.') return fail('A file path is required.');
  const base = await baseOf(path, ctx);
  let staged;
  if (name === 'create_file') staged = ctx.changeSet.proposeCreate(path, args.content, base);
  else if (name === 'delete_file') staged = ctx.changeSet.proposeDelete(path, base);
  else if (args.edits) staged = ctx.changeSet.proposeSearchReplace(path, args.edits, base);
  else staged = ctx.changeSet.proposeContent(path, args.content, base);
  if (!staged) {
    ctx.emit({ type: 'editStaged', path, kind: 'unstaged', hunks: 0 });
    return ok(`Dropped your staged creation of ${path}.`);
  }
  ctx.emit({ type: 'editStaged', path, kind: staged.kind, hunks: staged.hunks.length });
  return ok(`Staged (${staged.kind}) ${path}: ${staged.hunks.length} hunk(s) for the user's review.`);
}

async function runCommand(args: ToolArgs['run_command'], ctx: ToolContext): Promise<ToolOutcome> {
  const cwd = normalizeWorkspacePath(args.cwd);
  if (!ctx.approver.trusted) {
    ctx.emit({ type: 'commandDenied', command: args.command, reason: 'untrusted' });
    return fail('Commands are disabled: the workspace is not trusted. Continue without running commands.');
  }
  if (!ctx.alwaysApproved.has(args.command)) {
    ctx.emit({ type: 'commandAwaitingApproval', command: args.command, cwd });
    const decision: unknown = await ctx.approver.approve({ command: args.command, cwd }, ctx.signal);
    throwIfAborted(ctx.signal);
    // Fails closed: only an explicit 'once' or 'always' runs the command; a dismissed dialog, a typo, anything else
    // is a denial.
    if (decision !== 'once' && decision !== 'always') {
      ctx.emit({ type: 'commandDenied', command: args.command, reason: 'user' });
      return fail('The user denied this command. Do not retry it; continue without it or ask for something else.');
    }
    if (decision === 'always') ctx.alwaysApproved.add(args.command);
  }
  const result = await ctx.shell.run({
    command: args.command,
    cwd,
    timeoutMs: ctx.limits.commandTimeoutMs,
    maxOutputBytes: ctx.limits.commandMaxOutputBytes,
    signal: ctx.signal,
  });
  ctx.emit({ type: 'commandFinished', command: args.command, exitCode: result.exitCode ?? null, timedOut: result.timedOut, truncated: result.truncated });
  const status = result.timedOut ? 'timed out' : result.exitCode === undefined ? 'was killed' : `exited with code ${result.exitCode}`;
  return { content: `Command ${status}.\n${result.output}`, isError: result.timedOut || result.exitCode !== 0 };
}
