import type OpenAI from 'openai';
import type { ChatRequest, ChatResponse, EmbeddingResponse, FinishReason, ModelClient, ModelSpec, TokenLogprob } from '../../common/providers/types';
import { emptyUsage, unreportedUsage } from '../../common/providers/types';
import { MalformedReplyError, RequestRejectedError } from '../../common/providers/errors';
import type { Redactor } from '../../common/providers/redact';
import type { AttemptState } from '../../common/providers/retry';
import { abortStreamWith, addUsage, assertStreamComplete, DEFAULT_REQUEST_TIMEOUT_MS, runCall, sdkLogger, type AttemptProgress, type ClientOptions } from './clientSupport';
import { loadOpenAI } from './sdkLoader';
import { openAIFinish, openAILogprobs, openAIToolCalls, openAIUsage, parseStructured, toOpenAIParams, toOpenAIStreamParams, ToolCallAccumulator } from './openaiConvert';


const SYSTEM_ROLE_REJECTED = /does not support ['"]?system['"]?|['"]?system['"]? (role )?is not supported|unsupported.*\bsystem\b.*role|role.*\bsystem\b.*not (supported|allowed)/i;
/**
 * A 400 about `reasoning_effort`: OpenAI's "Unsupported parameter: 'reasoning_effort' is not supported with this
 * model." (gpt-4.1, gpt-4o), a value the model does not take, a compatible server's "unrecognized"/"unknown field"
 * naming it, or Ollama, which turns it into `think` and answers `think value "low" is not supported for this model`
 * or `"<model>" does not support thinking`. Only a message about reasoning or thinking counts: any other 400 would
 * fail again without it.
 */
const REASONING_EFFORT_REJECTED = /reasoning|think/i;

/** The request without `reasoning_effort`: the provider's default reasoning applies. */
function withoutReasoningEffort(req: ChatRequest): ChatRequest {
  if (req.reasoningEffort === undefined) return req;
  const { reasoningEffort: _drop, ...rest } = req;
  return rest;
}

/** The request with its system prompt moved in front of the first user message (or as one, when none). */
export function foldSystemIntoUser(req: ChatRequest): ChatRequest {
  if (!req.system) return req;
  const { system, ...rest } = req;
  const i = req.messages.findIndex((m) => m.role === 'user');
  const first = i >= 0 ? req.messages[i] : undefined;
  if (!first || first.role !== 'user') return { ...rest, messages: [{ role: 'user', content: system }, ...req.messages] };
  const messages = [...req.messages];
  messages[i] = { role: 'user', content: `${system}\n\n${first.content}` };
  return { ...rest, messages };
}

/** OpenAI and every OpenAI-compatible endpoint (Ollama, LM Studio, llama.cpp server, vLLM, OpenRouter). */
export class OpenAIClient implements ModelClient {
  private sdk: { key: string; client: OpenAI } | undefined;
  /** Set once the model rejected the `system` role (o1-mini, o1-preview): every later call folds it into the user turn. */
  private systemAsUser = false;
  /** Set once the model rejected `reasoning_effort` (a non-reasoning model, a server without it): later calls leave it out. */
  private noReasoningEffort = false;

  constructor(
    readonly spec: ModelSpec,
    private readonly opts: ClientOptions,
  ) {}

  async chat(req: ChatRequest): Promise<ChatResponse> {
    if (this.systemAsUser) return this.chatAdapting(foldSystemIntoUser(req));
    try {
      return await this.chatAdapting(req);
    } catch (e) {
      // Some reasoning models reject the `system` role with a 400 ("does not support 'system' with this model").
      // Failing every call the same way would leave the model unusable; the instructions work as the first user
      // turn, so ask again that way and remember it for this model.
      if (req.system && e instanceof RequestRejectedError && SYSTEM_ROLE_REJECTED.test(e.message)) {
        this.systemAsUser = true;
        this.opts.logger.info(`${this.spec.id}: the model does not take a system message; sending the instructions as the first user message`);
        return this.chatAdapting(foldSystemIntoUser(req));
      }
      throw e;
    }
  }

  private async chatAdapting(req: ChatRequest): Promise<ChatResponse> {
    const asked = this.noReasoningEffort ? withoutReasoningEffort(req) : req;
    try {
      return await this.chatWithoutLogprobsIfRejected(asked);
    } catch (e) {
      // Non-reasoning models (gpt-4.1, gpt-4o) and some OpenAI-compatible servers reject `reasoning_effort` with a
      // 400. It only ever asks a reasoning model to think less, so ask again without it (the provider's default
      // applies) and leave it out of this model's later calls.
      if (asked.reasoningEffort && e instanceof RequestRejectedError && REASONING_EFFORT_REJECTED.test(this.providerDetail(e.message))) {
        const response = await this.chatWithoutLogprobsIfRejected(withoutReasoningEffort(req));
        // Learnt only once the call without it succeeded: a 400 that failed again had another cause.
        if (!this.noReasoningEffort) this.opts.logger.info(`${this.spec.id}: the model does not take reasoning_effort; asking without it from now on`);
        this.noReasoningEffort = true;
        return response;
      }
      throw e;
    }
  }

  /** An error message without the model id it starts with (an id such as `o3-reasoning` must not match a pattern). */
  private providerDetail(message: string): string {
    const prefix = `${this.spec.id}:`;
    return message.startsWith(prefix) ? message.slice(prefix.length) : message;
  }

  private async chatWithoutLogprobsIfRejected(req: ChatRequest): Promise<ChatResponse> {
    try {
      return await this.chatOnce(req);
    } catch (e) {
      // OpenAI's reasoning models (and some servers) reject `logprobs` with a 400. Logprobs are optional to every
      // caller (the value term renormalises without entropy), so ask again without them instead of failing.
      if (req.logprobs && e instanceof RequestRejectedError && /logprob/i.test(e.message)) {
        this.opts.logger.info(`${this.spec.id}: logprobs rejected by the provider; asking without them`);
        return this.chatOnce({ ...req, logprobs: undefined });
      }
      throw e;
    }
  }

  private async chatOnce(req: ChatRequest): Promise<ChatResponse> {
    const streaming = req.onText !== undefined;
    const r = await runCall(this.spec, this.opts, req.signal, (key, state, progress, redact) =>
      streaming ? this.streamOnce(key, req, state, progress, redact) : this.jsonOnce(key, req, state, progress, redact),
    );
    return { ...r.value, usage: addUsage(r.earlierUsage, r.value.usage), latencyMs: r.latencyMs };
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<EmbeddingResponse> {
    const r = await runCall(this.spec, this.opts, signal, async (key, state, progress, redact) => {
      // The SDK asks for base64 and decodes it itself; the vectors come back as plain number arrays.
      const res = await (await this.client(key, redact)).embeddings.create({ model: this.spec.model, input: texts }, this.requestOptions(progress, state));
      if (!Array.isArray(res?.data)) throw new SyntaxError('embeddings reply without data');
      const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => Array.from(d.embedding));
      // A server that sends no `usage` has not said what it billed: unreported, not zero.
      return { vectors, usage: res.usage ? { ...emptyUsage(), inputTokens: res.usage.prompt_tokens ?? 0 } : unreportedUsage() };
    });
    return { vectors: r.value.vectors, usage: addUsage(r.earlierUsage, r.value.usage), latencyMs: r.latencyMs };
  }

  private async jsonOnce(key: string, req: ChatRequest, state: AttemptState, progress: AttemptProgress, redact: Redactor): Promise<Omit<ChatResponse, 'latencyMs'>> {
    const params = toOpenAIParams(this.spec, req);
    const res = await (await this.client(key, redact)).chat.completions.create(params, this.requestOptions(progress, state));
    const usage = openAIUsage(res?.usage);
    // A reply that fails below was still billed: its usage goes with the failure, not 0 tokens.
    if (res?.usage) progress.usage = usage;
    const choice = res?.choices?.[0];
    if (!choice) throw new MalformedReplyError(`${this.spec.id}: the reply has no choices`, { modelId: this.spec.id, provider: this.spec.provider, usage });
    const text = choice.message?.content ?? '';
    const out: Omit<ChatResponse, 'latencyMs'> = {
      text,
      toolCalls: openAIToolCalls(choice.message?.tool_calls),
      finishReason: openAIFinish(choice.finish_reason),
      usage,
      model: res.model ?? this.spec.model,
    };
    const logprobs = openAILogprobs(choice.logprobs?.content);
    if (logprobs) out.logprobs = logprobs;
    const parsed = parseStructured(text, req.responseFormat?.schema);
    if (parsed !== undefined) out.parsed = parsed;
    return out;
  }

  private async streamOnce(
    key: string,
    req: ChatRequest,
    state: AttemptState,
    progress: AttemptProgress,
    redact: Redactor,
  ): Promise<Omit<ChatResponse, 'latencyMs'>> {
    const params = toOpenAIStreamParams(this.spec, req);
    const stream = await (await this.client(key, redact)).chat.completions.create(params, this.requestOptions(progress, state));
    let text = '';
    let finish: FinishReason = 'other';
    let sawFinish = false;
    let model = this.spec.model;
    let logprobs: TokenLogprob[] | undefined;
    const tools = new ToolCallAccumulator();
    abortStreamWith(progress, stream);
    for await (const chunk of stream) {
      progress.touch();
      if (chunk.model) model = chunk.model;
      // The usage chunk comes last, with empty `choices`; some servers also put usage on the final choice chunk.
      if (chunk.usage) progress.usage = openAIUsage(chunk.usage);
      for (const choice of chunk.choices ?? []) {
        if (choice.index !== 0) continue;
        const delta = choice.delta?.content;
        if (delta) {
          text += delta;
          state.streamedText = true;
          req.onText?.(delta);
        }
        tools.add(choice.delta?.tool_calls);
        const lp = openAILogprobs(choice.logprobs?.content);
        if (lp) logprobs = [...(logprobs ?? []), ...lp];
        if (choice.finish_reason) {
          finish = openAIFinish(choice.finish_reason);
          sawFinish = true;
        }
      }
    }
    assertStreamComplete(progress, sawFinish);
    // No usage chunk at all (the server ignored `include_usage`): unreported, so a priced model's cost is unknown.
    const out: Omit<ChatResponse, 'latencyMs'> = { text, toolCalls: tools.calls(), finishReason: finish, usage: progress.usage ?? unreportedUsage(), model };
    if (logprobs) out.logprobs = logprobs;
    const parsed = parseStructured(text, req.responseFormat?.schema);
    if (parsed !== undefined) out.parsed = parsed;
    return out;
  }

  private requestOptions(progress: AttemptProgress, state: AttemptState): OpenAI.RequestOptions {
    return { signal: progress.signal, timeout: Math.min(this.opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, state.remainingMs), maxRetries: 0 };
  }

  /** One SDK client per key; rebuilt when the user sets a new key. The SDK itself loads on the first call. */
  private async client(key: string, redact: Redactor): Promise<OpenAI> {
    if (this.sdk?.key !== key) {
      const Sdk = await loadOpenAI();
      const client = new Sdk({
        apiKey: key,
        baseURL: this.spec.baseUrl ?? null,
        // SALE retries itself, with a cap on retry-after and an overall deadline (see retry.ts).
        maxRetries: 0,
        logger: sdkLogger(this.opts.logger.topic('openai'), redact),
        logLevel: 'warn',
        organization: null,
        project: null,
      });
      this.sdk = { key, client };
    }
    return this.sdk.client;
  }
}
