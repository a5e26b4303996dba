import type OpenAI from 'openai';
import * as z from 'zod';
import type { ChatRequest, FinishReason, ModelSpec, TokenLogprob, ToolCall, Usage } from '../../common/providers/types';
import { emptyUsage, unreportedUsage } from '../../common/providers/types';

type Params = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type StreamParams = OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming;
type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** The output cap SALE sends when neither the call nor the pool names one (as for Anthropic, which requires one). */
export const OPENAI_DEFAULT_MAX_TOKENS = 4096;

/** The streaming chat-completions body: usage arrives in a last chunk only when `include_usage` is asked for. */
export function toOpenAIStreamParams(spec: ModelSpec, req: ChatRequest): StreamParams {
  return { ...toOpenAIParams(spec, req), stream: true, stream_options: { include_usage: true } };
}

/** The chat-completions body for one non-streaming request. */
export function toOpenAIParams(spec: ModelSpec, req: ChatRequest): Params {
  const messages: Message[] = [];
  if (req.system) messages.push({ role: 'system', content: req.system });
  for (const m of req.messages) {
    if (m.role === 'user') messages.push({ role: 'user', content: m.content });
    else if (m.role === 'assistant') {
      messages.push({
        role: 'assistant',
        content: m.content,
        ...(m.toolCalls?.length
          ? { tool_calls: m.toolCalls.map((t) => ({ id: t.id, type: 'function' as const, function: { name: t.name, arguments: t.argumentsJson } })) }
          : {}),
      });
    } else messages.push({ role: 'tool', tool_call_id: m.toolCallId, content: m.content });
  }
  const params: Params = { model: spec.model, messages };
  if (req.temperature !== undefined) params.temperature = req.temperature;
  // Every request carries a cap: without one a server may generate (and bill) until the context is full.
  const maxTokens = req.maxTokens ?? spec.maxOutputTokens ?? OPENAI_DEFAULT_MAX_TOKENS;
  // OpenAI's own API takes `max_completion_tokens` for every chat model, and its reasoning models (o-series,
  // gpt-5) reject `max_tokens`. OpenAI-compatible servers (Ollama, LM Studio, llama.cpp, vLLM, routers) all know
  // `max_tokens`, and several ignore or reject the newer name: they get `max_tokens`.
  if (spec.provider === 'openai') params.max_completion_tokens = maxTokens;
  else params.max_tokens = maxTokens;
  if (req.logprobs) {
    params.logprobs = true;
    params.top_logprobs = req.logprobs.topAlternatives;
  }
  // OpenAI's reasoning models (GPT-5, o-series) and some OpenAI-compatible servers take it; a model that rejects
  // it is asked again without it (openaiClient.ts).
  if (req.reasoningEffort) params.reasoning_effort = req.reasoningEffort;
  if (req.tools?.length) {
    params.tools = req.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
  }
  if (req.responseFormat) {
    params.response_format = {
      type: 'json_schema',
      // Not `strict`: strict mode rejects optional properties; the reply is validated with zod here instead.
      json_schema: { name: req.responseFormat.name, schema: jsonSchemaOf(req.responseFormat.schema), strict: false },
    };
  }
  return params;
}

/** A zod schema as JSON schema for the wire, without the `$schema` marker some servers choke on. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/**
 * The port's usage from OpenAI's `usage` object. A reply without one (a server that ignores
 * `stream_options.include_usage`, a JSON reply without `usage`) is `unreported`, never a reported zero.
 */
export function openAIUsage(u: OpenAI.CompletionUsage | null | undefined): Usage {
  if (!u) return unreportedUsage();
  const usage = emptyUsage();
  usage.inputTokens = u.prompt_tokens ?? 0;
  usage.outputTokens = u.completion_tokens ?? 0;
  usage.cachedInputTokens = u.prompt_tokens_details?.cached_tokens ?? 0;
  // Newer OpenAI models report the prompt-cache write too (part of `prompt_tokens`, like `cached_tokens`); the
  // SDK's types do not name it yet.
  const written = (u.prompt_tokens_details as { cache_write_tokens?: unknown } | undefined)?.cache_write_tokens;
  if (typeof written === 'number' && written > 0) usage.cacheWriteInputTokens = written;
  usage.reasoningTokens = u.completion_tokens_details?.reasoning_tokens ?? 0;
  return usage;
}

export function openAIFinish(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'other';
  }
}

export function openAILogprobs(content: readonly OpenAI.Chat.Completions.ChatCompletionTokenLogprob[] | null | undefined): TokenLogprob[] | undefined {
  if (!content) return undefined;
  return content.map((t) => ({ token: t.token, logprob: t.logprob, top: (t.top_logprobs ?? []).map((a) => ({ token: a.token, logprob: a.logprob })) }));
}

export function openAIToolCalls(calls: readonly OpenAI.Chat.Completions.ChatCompletionMessageToolCall[] | undefined): ToolCall[] {
  const out: ToolCall[] = [];
  for (const c of calls ?? []) if (c.type === 'function') out.push({ id: c.id, name: c.function.name, argumentsJson: c.function.arguments });
  return out;
}

/** Folds streamed tool-call fragments (keyed by index) into whole calls. */
export class ToolCallAccumulator {
  private readonly byIndex = new Map<number, { id: string; name: string; args: string }>();

  add(deltas: readonly OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta.ToolCall[] | undefined): void {
    for (const d of deltas ?? []) {
      const cur = this.byIndex.get(d.index) ?? { id: '', name: '', args: '' };
      if (d.id) cur.id = d.id;
      if (d.function?.name) cur.name += d.function.name;
      if (d.function?.arguments) cur.args += d.function.arguments;
      this.byIndex.set(d.index, cur);
    }
  }

  calls(): ToolCall[] {
    return [...this.byIndex.entries()].sort(([a], [b]) => a - b).map(([, c]) => ({ id: c.id, name: c.name, argumentsJson: c.args }));
  }
}

/** Structured output checked against the caller's schema; undefined when the reply is not valid JSON of that shape. */
export function parseStructured(text: string, schema: z.ZodType | undefined): unknown {
  if (!schema) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(stripFence(text));
  } catch {
    return undefined;
  }
  const r = schema.safeParse(json);
  return r.success ? r.data : undefined;
}

/** Some local models wrap JSON in a Markdown fence even when asked for JSON. */
function stripFence(text: string): string {
  const m = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(text);
  return m?.[1] ?? text;
}
