import type Anthropic from '@anthropic-ai/sdk';
import type { Stream } from '@anthropic-ai/sdk/core/streaming';
import type { ChatRequest, ChatResponse, FinishReason, ModelClient, ModelSpec, ToolCall } from '../../common/providers/types';
import type { Redactor } from '../../common/providers/redact';
import type { AttemptState } from '../../common/providers/retry';
import { abortStreamWith, addUsage, assertStreamComplete, DEFAULT_REQUEST_TIMEOUT_MS, runCall, sdkLogger, type AttemptProgress, type ClientOptions } from './clientSupport';
import { loadAnthropic } from './sdkLoader';
import { anthropicFinish, anthropicUsage, mergeAnthropicUsage, toAnthropicParams, type AnthropicUsageLike } from './anthropicConvert';
import { parseStructured } from './openaiConvert';


/**
 * Requests go through the client's `post` rather than `messages.create`: `create` writes a deprecation notice for
 * older model names with `console.warn`, past the logger we pass, and an extension must not write to the console.
 * `post` is the same request (auth, retries off, SSE parsing through our logger) without that side effect.
 */
const MESSAGES_PATH = '/v1/messages';

type Reply = Omit<ChatResponse, 'latencyMs'>;

/** Anthropic's Messages API. No logprobs (the API has none) and no embeddings. */
export class AnthropicClient implements ModelClient {
  private sdk: { key: string; client: Anthropic } | undefined;

  constructor(
    readonly spec: ModelSpec,
    private readonly opts: ClientOptions,
  ) {}

  async chat(req: ChatRequest): Promise<ChatResponse> {
    const streaming = req.onText !== undefined;
    const r = await runCall(this.spec, this.opts, req.signal, (key, state, progress, redact) =>
      streaming ? this.streamOnce(key, req, state, progress, redact) : this.jsonOnce(key, req, state, progress, redact),
    );
    return { ...r.value, usage: addUsage(r.earlierUsage, r.value.usage), latencyMs: r.latencyMs };
  }

  private async jsonOnce(key: string, req: ChatRequest, state: AttemptState, progress: AttemptProgress, redact: Redactor): Promise<Reply> {
    const msg = await (await this.client(key, redact)).post<Anthropic.Messages.Message>(MESSAGES_PATH, {
      body: toAnthropicParams(this.spec, req),
      ...this.requestOptions(progress, state),
    });
    // A reply that fails below was still billed: its usage goes with the failure, not 0 tokens.
    if (msg?.usage) progress.usage = anthropicUsage(msg.usage);
    if (!msg || !Array.isArray(msg.content)) throw new SyntaxError('the messages reply has no content');
    let text = '';
    const calls: ToolCall[] = [];
    for (const block of msg.content) {
      if (block.type === 'text') text += block.text;
      else if (block.type === 'tool_use') calls.push({ id: block.id, name: block.name, argumentsJson: JSON.stringify(block.input ?? {}) });
    }
    return this.finish(req, text, calls, anthropicFinish(msg.stop_reason), anthropicUsage(msg.usage), msg.model ?? this.spec.model);
  }

  /**
   * Reads the raw event stream rather than `messages.stream().finalMessage()`: the helper rejects the whole
   * message when one tool call's input is not valid JSON, losing the other calls and the usage.
   */
  private async streamOnce(key: string, req: ChatRequest, state: AttemptState, progress: AttemptProgress, redact: Redactor): Promise<Reply> {
    const stream = await (await this.client(key, redact)).post<Stream<Anthropic.Messages.RawMessageStreamEvent>>(MESSAGES_PATH, {
      body: { ...toAnthropicParams(this.spec, req), stream: true },
      stream: true,
      ...this.requestOptions(progress, state),
    });
    let text = '';
    let model = this.spec.model;
    let stop: string | null | undefined;
    let sawStop = false;
    let startUsage: AnthropicUsageLike | undefined;
    let deltaUsage: AnthropicUsageLike | undefined;
    const blocks = new Map<number, { id: string; name: string; json: string }>();
    abortStreamWith(progress, stream);
    for await (const event of stream) {
      progress.touch();
      switch (event.type) {
        case 'message_start':
          model = event.message.model ?? model;
          startUsage = event.message.usage;
          break;
        case 'content_block_start':
          if (event.content_block.type === 'tool_use') blocks.set(event.index, { id: event.content_block.id, name: event.content_block.name, json: '' });
          break;
        case 'content_block_delta':
          if (event.delta.type === 'text_delta') {
            text += event.delta.text;
            state.streamedText = true;
            req.onText?.(event.delta.text);
          } else if (event.delta.type === 'input_json_delta') {
            const b = blocks.get(event.index);
            if (b) b.json += event.delta.partial_json;
          }
          break;
        case 'message_delta':
          stop = event.delta.stop_reason ?? stop;
          deltaUsage = event.usage;
          break;
        case 'message_stop':
          sawStop = true;
          break;
        default:
          break;
      }
      // Usage known so far is what the provider bills even if the stream breaks after this event.
      const known = mergeAnthropicUsage(startUsage, deltaUsage);
      if (known) progress.usage = anthropicUsage(known);
    }
    assertStreamComplete(progress, sawStop);
    const calls = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, b]) => ({ id: b.id, name: b.name, argumentsJson: b.json || '{}' }));
    return this.finish(req, text, calls, anthropicFinish(stop), anthropicUsage(mergeAnthropicUsage(startUsage, deltaUsage)), model);
  }

  /** Separates the structured-output tool call (its input is the answer) from the caller's own tool calls. */
  private finish(req: ChatRequest, text: string, calls: ToolCall[], finishReason: FinishReason, usage: ChatResponse['usage'], model: string): Reply {
    const reply: Reply = { text, toolCalls: calls, finishReason, usage, model };
    const format = req.responseFormat;
    if (!format) return reply;
    const answer = calls.find((c) => c.name === format.name);
    if (answer) {
      reply.toolCalls = calls.filter((c) => c !== answer);
      if (!reply.text) reply.text = answer.argumentsJson;
      if (finishReason === 'tool_calls' && reply.toolCalls.length === 0) reply.finishReason = 'stop';
    }
    const parsed = parseStructured(answer ? answer.argumentsJson : text, format.schema);
    if (parsed !== undefined) reply.parsed = parsed;
    return reply;
  }

  private requestOptions(progress: AttemptProgress, state: AttemptState): Anthropic.RequestOptions {
    return { signal: progress.signal, timeout: Math.min(this.opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, state.remainingMs), maxRetries: 0 };
  }

  /** One SDK client per key; rebuilt when the user sets a new key. The SDK itself loads on the first call. */
  private async client(key: string, redact: Redactor): Promise<Anthropic> {
    if (this.sdk?.key !== key) {
      const Sdk = await loadAnthropic();
      const client = new Sdk({
        // Always explicit: without it the SDK would look for credentials in the environment and on disk.
        apiKey: key,
        baseURL: this.spec.baseUrl ?? 'https://api.anthropic.com',
        maxRetries: 0,
        logger: sdkLogger(this.opts.logger.topic('anthropic'), redact),
        logLevel: 'warn',
      });
      this.sdk = { key, client };
    }
    return this.sdk.client;
  }
}
