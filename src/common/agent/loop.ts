import { isCancellation, SaleError } from '../errors';
import type { CallSink } from '../ledger/types';
import { nullLogger, type Logger } from '../log';
import { buildCallRecord } from '../providers/callRecord';
import { addUsage, billedUsage, emptyUsage, type ChatMessage, type ChatResponse, type ModelClient, type ToolCall, type Usage } from '../providers/types';
import { ChangeSet } from './changeSet';
import type { AgentEvent, AgentEventBody, LimitKind } from './events';
import type { AgentWorkspace, Clock, CommandApprover, Shell } from './ports';
import { buildSystemPrompt, buildTaskMessage, type PriorAttempt } from './prompt';
import { formatTextToolResult, parseTextToolCalls } from './textToolFormat';
import { executeToolCall, type ToolLimits, type ToolOutcome } from './toolExecutor';
import { toolSpecs } from './tools';

/** Hard limits of one run; the run stops (keeping what it staged) when one is reached. */
export interface AgentLimits extends ToolLimits {
  /** Model calls. */
  maxSteps: number;
  /** Input + output tokens over all calls, as the provider reports them. */
  maxTotalTokens: number;
  /**
   * Dollars over all calls; only enforceable when the model's price is known. Calls whose provider reported no
   * usage add nothing to the figure checked (their cost is unknown), so then it only checks a lower bound.
   */
  maxDollars?: number;
  /**
   * The output cap (`max_tokens`) of each call; lowered further (and never above the model's own maximum) so
   * that the call's worst case fits what is left of `maxTotalTokens` and `maxDollars`.
   */
  maxOutputTokensPerCall: number;
}

/** Conservative characters per token for bounding a prompt before it is sent (the auction's SpendTracker uses 3 too). */
const CHARS_PER_TOKEN_BOUND = 3;
/** With less output room than this a call is not worth making: the run stops at its limit instead. */
const MIN_CALL_OUTPUT_TOKENS = 256;

/** An upper bound of a request's input tokens: every character it sends, at CHARS_PER_TOKEN_BOUND. */
export function inputTokenBound(system: string, messages: readonly ChatMessage[], tools: unknown): number {
  let chars = system.length + (tools === undefined ? 0 : JSON.stringify(tools).length);
  for (const m of messages) {
    chars += m.content.length + 16; // role and framing
    if (m.role === 'assistant' && m.toolCalls) chars += JSON.stringify(m.toolCalls).length;
  }
  return Math.ceil(chars / CHARS_PER_TOKEN_BOUND);
}

export const defaultAgentLimits: AgentLimits = {
  maxSteps: 40,
  maxTotalTokens: 1_000_000,
  readMaxBytes: 512 * 1024,
  commandTimeoutMs: 120_000,
  commandMaxOutputBytes: 64 * 1024,
  searchMaxResults: 100,
  resultMaxChars: 60_000,
  maxOutputTokensPerCall: 8192,
};

/** Everything one agent run needs: the winning bid, the executing model, and the ports. */
export interface AgentRunInput {
  task: string;
  /** The winning bid's plan; the system prompt makes it the roadmap. */
  plan: string;
  /** Attached context (selection, files), already rendered as text. */
  context?: string;
  client: ModelClient;
  /** Whether the model supports native tool calling (from the capability probe); false uses the text format. */
  nativeTools: boolean;
  workspace: AgentWorkspace;
  shell: Shell;
  approver: CommandApprover;
  clock: Clock;
  /** Receives every model call of the run, with phase 'execution'. */
  calls: CallSink;
  auctionId?: string;
  limits?: Partial<AgentLimits>;
  /** Where edits are staged; a new one when absent. */
  changeSet?: ChangeSet;
  /** A failed earlier attempt at this task (escalation); its summary, diff and test output go into the prompt, fenced. */
  priorAttempt?: PriorAttempt;
  temperature?: number;
  signal?: AbortSignal;
  onEvent?: (event: AgentEvent) => void;
  logger?: Logger;
}

export type AgentOutcome =
  | { status: 'finished'; summary: string }
  | { status: 'limit'; limit: LimitKind }
  | { status: 'cancelled' }
  | { status: 'failed'; code: string; message: string };

export interface AgentRunResult {
  outcome: AgentOutcome;
  /** The staged edits, whatever the outcome: a run stopped at a limit still leaves its work for review. */
  changeSet: ChangeSet;
  steps: number;
  usage: Usage;
  totalTokens: number;
  /** Undefined when the model's price is unknown, or when the provider did not report the usage of some call. */
  dollars: number | undefined;
}

/** Nudges allowed in a row for replies with no tool call before the reply is taken as the final summary. */
const maxNudges = 2;


/**
 * Runs the winning model as an agent until it calls `finish`, hits a limit, fails or is cancelled. Never throws
 * for model or tool trouble: the outcome says what happened, and events stream as it happens.
 */
export async function runAgent(input: AgentRunInput): Promise<AgentRunResult> {
  const limits: AgentLimits = { ...defaultAgentLimits, ...input.limits };
  const log = (input.logger ?? nullLogger).topic('agent');
  const changeSet = input.changeSet ?? new ChangeSet();
  const spec = input.client.spec;
  let steps = 0;
  let usage = emptyUsage();
  /** Dollars of the calls whose cost is known; the run's cost is unknown (not this sum) once `costUnknown`. */
  let knownDollars = 0;
  let costUnknown = !spec.price;
  const runDollars = (): number | undefined => (costUnknown ? undefined : knownDollars);
  const emit = (body: AgentEventBody) => input.onEvent?.({ ...body, time: input.clock.now(), step: steps });
  const done = (outcome: AgentOutcome): AgentRunResult => {
    if (outcome.status === 'finished') emit({ type: 'finished', summary: outcome.summary });
    else if (outcome.status === 'limit') emit({ type: 'limitReached', limit: outcome.limit });
    else if (outcome.status === 'cancelled') emit({ type: 'cancelled' });
    else emit({ type: 'failed', code: outcome.code, message: outcome.message });
    return { outcome, changeSet, steps, usage, totalTokens: usage.inputTokens + usage.outputTokens, dollars: runDollars() };
  };
  /**
   * The cap for the next call, or the limit that leaves no room for one. Worst case of a call = its input bound
   * plus the cap, in tokens and (when priced) in dollars; the cap is lowered until that fits what is left.
   */
  const nextCallCap = (inputBound: number): { cap: number } | { limit: LimitKind } => {
    const wanted = Math.min(limits.maxOutputTokensPerCall, spec.maxOutputTokens ?? Number.POSITIVE_INFINITY);
    const floor = Math.min(MIN_CALL_OUTPUT_TOKENS, wanted);
    let cap = Math.min(wanted, limits.maxTotalTokens - (usage.inputTokens + usage.outputTokens) - inputBound);
    if (cap < floor) return { limit: 'tokens' };
    if (limits.maxDollars !== undefined && spec.price) {
      const left = limits.maxDollars - knownDollars - (inputBound * spec.price.inputPerMTok) / 1_000_000;
      if (left < 0) return { limit: 'dollars' };
      if (spec.price.outputPerMTok > 0) cap = Math.min(cap, Math.floor((left * 1_000_000) / spec.price.outputPerMTok));
      if (cap < floor) return { limit: 'dollars' };
    }
    return { cap: Math.floor(cap) };
  };
  const overLimit = (): LimitKind | undefined => {
    if (usage.inputTokens + usage.outputTokens >= limits.maxTotalTokens) return 'tokens';
    // With a known price the known dollars are at least a lower bound of the spend, so reaching the limit is real.
    if (limits.maxDollars !== undefined && spec.price && knownDollars >= limits.maxDollars) return 'dollars';
    return undefined;
  };
  const record = (u: Usage, latencyMs: number, ok: boolean, model: string, errorCode?: string) => {
    const rec = buildCallRecord(
      spec,
      { phase: 'execution', time: new Date(input.clock.now()).toISOString(), ...(input.auctionId !== undefined ? { auctionId: input.auctionId } : {}) },
      { usage: u, latencyMs, ok, model, ...(errorCode !== undefined ? { errorCode } : {}) },
    );
    input.calls.record(rec);
    const callDollars = rec.dollars;
    usage = addUsage(usage, u);
    if (callDollars !== undefined) knownDollars += callDollars;
    else if (!costUnknown) {
      // A priced model whose provider reported no usage: the call cost money we cannot count. Say so once, and
      // report the run's cost as unknown, never as the smaller known sum.
      costUnknown = true;
      log.warn(`${spec.id} did not report token usage: the run's cost is unknown, and the token and dollar limits count only the calls that reported usage`);
    }
  };

  if (limits.maxDollars !== undefined && !spec.price) log.warn(`No price known for ${spec.id}: the dollar limit cannot be enforced, the token limit still applies`);
  const system = buildSystemPrompt({ plan: input.plan, context: input.context, textTools: !input.nativeTools, priorAttempt: input.priorAttempt });
  const messages: ChatMessage[] = [{ role: 'user', content: buildTaskMessage(input.task, input.context) }];
  const toolCtx = {
    workspace: input.workspace,
    shell: input.shell,
    approver: input.approver,
    changeSet,
    limits,
    signal: input.signal,
    emit,
    alwaysApproved: new Set<string>(),
  };
  let nudges = 0;

  try {
    for (;;) {
      if (input.signal?.aborted) return done({ status: 'cancelled' });
      if (steps >= limits.maxSteps) return done({ status: 'limit', limit: 'steps' });
      const tools = input.nativeTools ? toolSpecs : undefined;
      const room = nextCallCap(inputTokenBound(system, messages, tools));
      if ('limit' in room) return done({ status: 'limit', limit: room.limit });
      steps++;
      emit({ type: 'stepStarted' });
      const started = input.clock.now();
      let response: ChatResponse;
      try {
        response = await input.client.chat({
          system,
          messages: [...messages],
          tools,
          maxTokens: room.cap,
          temperature: input.temperature,
          signal: input.signal,
        });
      } catch (e) {
        const code = e instanceof SaleError ? e.code : 'model-error';
        record(billedUsage(e), input.clock.now() - started, false, spec.model, isCancellation(e) ? 'cancelled' : code);
        if (isCancellation(e) || input.signal?.aborted) return done({ status: 'cancelled' });
        log.error(`Model call failed: ${e instanceof Error ? e.message : String(e)}`);
        return done({ status: 'failed', code, message: e instanceof Error ? e.message : String(e) });
      }
      record(response.usage, response.latencyMs, true, response.model || spec.model);
      const dollars = runDollars();
      emit({ type: 'usage', usage, totalTokens: usage.inputTokens + usage.outputTokens, dollars: dollars ?? null, priceKnown: dollars !== undefined });
      if (response.text.trim()) emit({ type: 'assistantText', text: response.text });

      // Models with native tools sometimes still write text-format calls; honour those rather than stall.
      let calls: ToolCall[] = response.toolCalls;
      let parseErrors: string[] = [];
      if (!input.nativeTools || calls.length === 0) {
        const parsed = parseTextToolCalls(response.text);
        calls = input.nativeTools && parsed.calls.length === 0 ? [] : parsed.calls.map((c, i) => ({ id: `text-${steps}-${i + 1}`, name: c.name, argumentsJson: JSON.stringify(c.args) }));
        parseErrors = parsed.errors;
      }
      const nativeReply = input.nativeTools && response.toolCalls.length > 0;
      messages.push(nativeReply ? { role: 'assistant', content: response.text, toolCalls: calls } : { role: 'assistant', content: response.text });

      if (calls.length === 0) {
        nudges++;
        if (nudges >= maxNudges && parseErrors.length === 0) return done({ status: 'finished', summary: response.text.trim() || '(no summary)' });
        const problems = parseErrors.length ? `\n${parseErrors.join('\n')}` : '';
        messages.push({ role: 'user', content: `No tool call was found in your reply.${problems}\nContinue with a tool call, or call finish with a summary when the task is done.` });
        const limit = overLimit();
        if (limit) return done({ status: 'limit', limit });
        continue;
      }
      nudges = 0;

      const results: { call: ToolCall; outcome: ToolOutcome }[] = [];
      let finished: { summary: string } | undefined;
      for (const call of calls) {
        emit({ type: 'toolCall', callId: call.id, name: call.name, argumentsJson: call.argumentsJson });
        const outcome = await executeToolCall(call, toolCtx);
        emit({ type: 'toolResult', callId: call.id, name: call.name, isError: outcome.isError, preview: outcome.content.slice(0, 200) });
        results.push({ call, outcome });
        if (outcome.finished) {
          finished = outcome.finished;
          break; // calls after finish are ignored: the model said it was done
        }
      }
      if (finished) return done({ status: 'finished', summary: finished.summary });
      if (nativeReply) {
        for (const { call, outcome } of results) {
          messages.push({ role: 'tool', toolCallId: call.id, toolName: call.name, content: outcome.content, isError: outcome.isError || undefined });
        }
      } else {
        const blocks = results.map(({ call, outcome }) => formatTextToolResult(call.name, outcome.content, outcome.isError));
        blocks.push(...parseErrors.map((e) => formatTextToolResult('parse', e, true)));
        messages.push({ role: 'user', content: blocks.join('\n\n') });
      }
      const limit = overLimit();
      if (limit) return done({ status: 'limit', limit });
    }
  } catch (e) {
    if (isCancellation(e) || input.signal?.aborted) return done({ status: 'cancelled' });
    const code = e instanceof SaleError ? e.code : 'agent-error';
    log.error(`Agent run failed: ${e instanceof Error ? e.message : String(e)}`);
    return done({ status: 'failed', code, message: e instanceof Error ? e.message : String(e) });
  }
}
