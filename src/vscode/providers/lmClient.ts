import * as vscode from 'vscode';
import type { Logger } from '../../common/log';
import {
  CallCancelledError,
  ModelBlockedError,
  ModelConsentRefusedError,
  ModelUnavailableError,
  QuotaExhaustedError,
  RateLimitError,
  UnexpectedProviderError,
  type ProviderError,
  type ProviderErrorContext,
} from '../../common/providers/errors';
import type { ChatRequest, ChatResponse, ModelClient, ModelSpec, ToolCall, Usage } from '../../common/providers/types';
import { emptyUsage, unreportedUsage } from '../../common/providers/types';
import { jsonSchemaOf, parseStructured } from '../../node/providers/openaiConvert';

/** Tells the model to answer through the structured-output tool (the Language Model API has no response format). */
const STRUCTURED_TOOL_DESCRIPTION = 'Return your answer by calling this tool with arguments that match its schema.';

/** What the adapter needs from the pool: the live model, and the consent state kept across auctions. */
export interface LmAccess {
  /** The model with this id among `vscode.lm.selectChatModels()`, or undefined when VS Code does not offer it now. */
  model(id: string): Promise<vscode.LanguageModelChat | undefined>;
  /** True after VS Code refused SALE this model, until the user asks again: no request is sent meanwhile. */
  isRefused(id: string): boolean;
  /** Records a refusal (LanguageModelError.NoPermissions) once, so auctions do not ask again and again. */
  markRefused(id: string): void;
  /** Shown in VS Code's consent dialog the first time SALE uses a model. */
  justification: string;
}

/**
 * A ModelClient over VS Code's Language Model API (GitHub Copilot's models, and any model another extension
 * contributes). Differences from the SDK adapters, each deliberate:
 * - The API reports no token usage. Input and output are counted with the model's own `countTokens` and marked
 *   `counted` (a count, not the provider's bill); every answered request is one billed request (`requests: 1`).
 * - No logprobs, no temperature, no max-tokens option in the stable API: bids are scored on the other signals.
 * - Structured output is asked for as a tool whose input is the answer (as for Anthropic), since there is no
 *   response format; the reply is validated with zod here.
 * - No retries: a refusal, a quota or a blocked request will not pass on a second try, and Copilot bills per
 *   request. Errors map to the typed errors (consent refused, blocked, model gone, quota, rate limit).
 */
export class LanguageModelClient implements ModelClient {
  constructor(
    readonly spec: ModelSpec,
    private readonly access: LmAccess,
    private readonly log: Logger,
  ) {}

  async chat(req: ChatRequest): Promise<ChatResponse> {
    const started = Date.now();
    const ctx = (usage?: Usage): ProviderErrorContext => ({ modelId: this.spec.id, provider: 'vscode-lm', latencyMs: Date.now() - started, ...(usage ? { usage } : {}) });
    if (req.signal?.aborted) throw new CallCancelledError(ctx());
    if (this.access.isRefused(this.spec.model)) {
      throw new ModelConsentRefusedError(`${this.spec.id}: VS Code refused SALE the use of ${this.spec.model}; ask again to use it`, ctx());
    }
    const model = await this.access.model(this.spec.model);
    if (!model) throw new ModelUnavailableError(`${this.spec.id}: VS Code offers no language model with id ${this.spec.model}`, ctx());

    const cts = new vscode.CancellationTokenSource();
    const onAbort = (): void => cts.cancel();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const messages = toLmMessages(req);
    // Counted while the request runs; a count that fails leaves the usage unreported, never a made-up number.
    const inputCount = countAll(model, messages, cts.token);
    let text = '';
    const calls: ToolCall[] = [];
    // A request that failed before the model produced anything is taken as not billed; one that produced output
    // (and every request that completed) as one billed request.
    let answered = false;
    try {
      const response = await model.sendRequest(messages, requestOptions(req, this.access.justification), cts.token);
      for await (const part of response.stream) {
        answered = true;
        if (part instanceof vscode.LanguageModelTextPart) {
          text += part.value;
          if (part.value) req.onText?.(part.value);
        } else if (part instanceof vscode.LanguageModelToolCallPart) {
          calls.push({ id: part.callId, name: part.name, argumentsJson: JSON.stringify(part.input ?? {}) });
        }
      }
      if (req.signal?.aborted) throw new CallCancelledError(ctx(await this.usage(model, inputCount, text, calls, true)));
      const usage = await this.usage(model, inputCount, text, calls, true);
      return { ...finish(req, text, calls), usage, latencyMs: Date.now() - started, model: model.id };
    } catch (e) {
      if (e instanceof CallCancelledError) throw e;
      const usage = answered ? await this.usage(model, inputCount, text, calls, answered) : undefined;
      if (req.signal?.aborted || isCancellationError(e)) throw new CallCancelledError(ctx(usage));
      const typed = mapLmError(e, this.spec, ctx(usage));
      if (typed instanceof ModelConsentRefusedError) this.access.markRefused(this.spec.model);
      this.log.warn(`${this.spec.id}: ${typed.code}: ${typed.message}`);
      throw typed;
    } finally {
      req.signal?.removeEventListener('abort', onAbort);
      cts.dispose();
    }
  }

  /** Counted usage of one answered request: input and output through the model's own tokenizer. */
  private async usage(model: vscode.LanguageModelChat, input: Promise<number | undefined>, text: string, calls: ToolCall[], answered: boolean): Promise<Usage> {
    if (!answered) return emptyUsage();
    const outputText = text + calls.map((c) => c.name + c.argumentsJson).join('');
    const [inputTokens, outputTokens] = await Promise.all([input, outputText ? count(model, outputText) : Promise.resolve(0)]);
    if (inputTokens === undefined || outputTokens === undefined) {
      this.log.debug(`${this.spec.id}: countTokens failed; the call's token usage is unknown`);
      return { ...unreportedUsage(), requests: 1 };
    }
    return { ...emptyUsage(), inputTokens, outputTokens, counted: true, requests: 1 };
  }
}

function requestOptions(req: ChatRequest, justification: string): vscode.LanguageModelChatRequestOptions {
  const tools: vscode.LanguageModelChatTool[] = (req.tools ?? []).map((t) => ({ name: t.name, description: t.description, inputSchema: t.parameters }));
  const format = req.responseFormat;
  if (format) tools.push({ name: format.name, description: STRUCTURED_TOOL_DESCRIPTION, inputSchema: jsonSchemaOf(format.schema) });
  const options: vscode.LanguageModelChatRequestOptions = { justification };
  // `req.reasoningEffort` is ignored: VS Code's Language Model API has no such option.
  if (tools.length) {
    options.tools = tools;
    // Forced only when the answer tool is the only one: with other tools the model must stay free to call them.
    options.toolMode = format && !req.tools?.length ? vscode.LanguageModelChatToolMode.Required : vscode.LanguageModelChatToolMode.Auto;
  }
  return options;
}

function finish(req: ChatRequest, text: string, calls: ToolCall[]): Pick<ChatResponse, 'text' | 'toolCalls' | 'finishReason' | 'parsed'> {
  const format = req.responseFormat;
  const answer = format ? calls.find((c) => c.name === format.name) : undefined;
  const toolCalls = answer ? calls.filter((c) => c !== answer) : calls;
  const out: Pick<ChatResponse, 'text' | 'toolCalls' | 'finishReason' | 'parsed'> = {
    text: text || (answer?.argumentsJson ?? ''),
    toolCalls,
    // The API says nothing about why a reply ended; a tool call is the only reason it shows.
    finishReason: toolCalls.length ? 'tool_calls' : 'stop',
  };
  if (format) {
    const parsed = parseStructured(answer ? answer.argumentsJson : text, format.schema);
    if (parsed !== undefined) out.parsed = parsed;
  }
  return out;
}

/**
 * The port's messages in the API's shape. The API has no system role: the system prompt goes first as a user
 * message. Consecutive tool results go back together in one user message, as the API expects.
 */
export function toLmMessages(req: Pick<ChatRequest, 'system' | 'messages'>): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  if (req.system) out.push(vscode.LanguageModelChatMessage.User(req.system));
  let results: vscode.LanguageModelToolResultPart[] | undefined;
  const flush = (): void => {
    if (results?.length) out.push(vscode.LanguageModelChatMessage.User(results));
    results = undefined;
  };
  for (const m of req.messages) {
    if (m.role === 'tool') {
      results ??= [];
      const content = m.isError ? `Error: ${m.content}` : m.content;
      results.push(new vscode.LanguageModelToolResultPart(m.toolCallId, [new vscode.LanguageModelTextPart(content)]));
      continue;
    }
    flush();
    if (m.role === 'user') out.push(vscode.LanguageModelChatMessage.User(m.content));
    else {
      const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[] = [];
      if (m.content) parts.push(new vscode.LanguageModelTextPart(m.content));
      for (const c of m.toolCalls ?? []) parts.push(new vscode.LanguageModelToolCallPart(c.id, c.name, parseArgs(c.argumentsJson)));
      out.push(vscode.LanguageModelChatMessage.Assistant(parts.length ? parts : ''));
    }
  }
  flush();
  return out;
}

function parseArgs(json: string): object {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

async function count(model: vscode.LanguageModelChat, text: string | vscode.LanguageModelChatMessage, token?: vscode.CancellationToken): Promise<number | undefined> {
  try {
    const n = await model.countTokens(text, token);
    return Number.isFinite(n) && n >= 0 ? Math.round(n) : undefined;
  } catch {
    return undefined;
  }
}

async function countAll(model: vscode.LanguageModelChat, messages: vscode.LanguageModelChatMessage[], token: vscode.CancellationToken): Promise<number | undefined> {
  const counts = await Promise.all(messages.map((m) => count(model, m, token)));
  return counts.some((c) => c === undefined) ? undefined : counts.reduce<number>((s, c) => s + (c ?? 0), 0);
}

function isCancellationError(e: unknown): boolean {
  return e instanceof vscode.CancellationError || (e instanceof Error && (e.name === 'Canceled' || e.name === 'AbortError'));
}

/**
 * A failure of the Language Model API as the project's typed error. `LanguageModelError.code` names the three
 * documented cases; quota and rate limits have no code of their own, so they are read from the message.
 */
export function mapLmError(e: unknown, spec: ModelSpec, ctx: ProviderErrorContext): ProviderError {
  const message = e instanceof Error ? e.message : String(e);
  const code = e instanceof vscode.LanguageModelError ? e.code : (e as { code?: unknown } | null)?.code;
  const what = `${spec.id}: ${message}`;
  if (code === vscode.LanguageModelError.NoPermissions.name || code === 'NoPermissions') return new ModelConsentRefusedError(what, ctx);
  if (code === vscode.LanguageModelError.Blocked.name || code === 'Blocked') return new ModelBlockedError(what, ctx);
  if (code === vscode.LanguageModelError.NotFound.name || code === 'NotFound') return new ModelUnavailableError(what, ctx);
  if (/quota|premium request|exhausted|out of (?:requests|credits)/i.test(message)) return new QuotaExhaustedError(what, ctx);
  if (/rate.?limit|too many requests|\b429\b/i.test(message)) return new RateLimitError(what, ctx, undefined);
  return new UnexpectedProviderError(what, ctx);
}
