import type Anthropic from '@anthropic-ai/sdk';
import type { ChatMessage, ChatRequest, FinishReason, ModelSpec, Usage } from '../../common/providers/types';
import { emptyUsage, unreportedUsage } from '../../common/providers/types';
import { jsonSchemaOf } from './openaiConvert';

type Params = Anthropic.Messages.MessageCreateParamsNonStreaming;
type MessageParam = Anthropic.Messages.MessageParam;
type Block = Anthropic.Messages.ContentBlockParam;

/** Anthropic requires `max_tokens`; this is what SALE asks for when neither the call nor the pool says. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** The tool name structured output is requested through, when the caller names none. */
export const STRUCTURED_TOOL_DESCRIPTION = 'Return your answer by calling this tool with arguments that match its schema.';

/** The messages body. Structured output is asked for as a forced tool call whose input is the answer. */
export function toAnthropicParams(spec: ModelSpec, req: ChatRequest): Params {
  const params: Params = {
    model: spec.model,
    max_tokens: req.maxTokens ?? spec.maxOutputTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages: toMessages(req.messages),
  };
  if (req.system) params.system = req.system;
  // `temperature` is not sent: the Messages API of this SDK generation no longer declares it.
  // `reasoningEffort` is not sent either: this adapter never asks for extended thinking (`thinking`), so a Claude
  // call has no thinking to lower.
  const tools: Anthropic.Messages.Tool[] = (req.tools ?? []).map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: t.parameters as Anthropic.Messages.Tool.InputSchema,
  }));
  if (req.responseFormat) {
    tools.push({ name: req.responseFormat.name, description: STRUCTURED_TOOL_DESCRIPTION, input_schema: jsonSchemaOf(req.responseFormat.schema) as Anthropic.Messages.Tool.InputSchema });
    // Forced only when it is the only tool: with other tools the model must stay free to call them first.
    if (!req.tools?.length) params.tool_choice = { type: 'tool', name: req.responseFormat.name };
  }
  if (tools.length) params.tools = tools;
  return params;
}

/** Anthropic wants alternating turns with tool results inside a user turn: consecutive same-role turns are merged. */
function toMessages(messages: readonly ChatMessage[]): MessageParam[] {
  const out: { role: 'user' | 'assistant'; content: Block[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    const last = out[out.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of messages) {
    if (m.role === 'user') push('user', userBlocks(m.content, m.cacheUpTo));
    else if (m.role === 'assistant') {
      const blocks: Block[] = m.content ? [{ type: 'text', text: m.content }] : [];
      for (const t of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: t.id, name: t.name, input: parseObject(t.argumentsJson) });
      push('assistant', blocks);
    } else {
      push('user', [{ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content, ...(m.isError ? { is_error: true } : {}) }]);
    }
  }
  return out;
}

/**
 * A user turn; with `cacheUpTo` inside the text, the shared prefix is its own block marked `cache_control`, so
 * Anthropic caches system + prefix and later calls that repeat it read it at the cache price.
 */
function userBlocks(text: string, cacheUpTo: number | undefined): Block[] {
  if (cacheUpTo === undefined || cacheUpTo <= 0 || cacheUpTo > text.length) return [{ type: 'text', text }];
  const prefix: Block = { type: 'text', text: text.slice(0, cacheUpTo), cache_control: { type: 'ephemeral' } };
  return cacheUpTo === text.length ? [prefix] : [prefix, { type: 'text', text: text.slice(cacheUpTo) }];
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The subset of Anthropic's usage object SALE reads; every field may be null or absent on the wire. */
export interface AnthropicUsageLike {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
}

/**
 * Anthropic counts cache reads and writes apart from `input_tokens`; the port's convention (see pricing.ts) is
 * that `inputTokens` includes both, so they are added here and priced apart by costOf. A message without usage
 * (an Anthropic-format server that does not report it) is `unreported`, never a reported zero.
 */
export function anthropicUsage(u: AnthropicUsageLike | null | undefined): Usage {
  if (!u) return unreportedUsage();
  const usage = emptyUsage();
  const read = u.cache_read_input_tokens ?? 0;
  const write = u.cache_creation_input_tokens ?? 0;
  usage.inputTokens = (u.input_tokens ?? 0) + read + write;
  usage.cachedInputTokens = read;
  usage.cacheWriteInputTokens = write;
  usage.outputTokens = u.output_tokens ?? 0;
  usage.reasoningTokens = u.output_tokens_details?.thinking_tokens ?? 0;
  return usage;
}

/**
 * Streaming usage: `message_start` carries the input side, `message_delta` the cumulative output (and, on newer
 * servers, the input fields again). Later non-null figures win. Undefined when neither event carried usage.
 */
export function mergeAnthropicUsage(start: AnthropicUsageLike | null | undefined, delta: AnthropicUsageLike | null | undefined): AnthropicUsageLike | undefined {
  if (!start && !delta) return undefined;
  const pick = <K extends keyof AnthropicUsageLike>(k: K) => (delta?.[k] ?? start?.[k]);
  return {
    input_tokens: pick('input_tokens'),
    output_tokens: pick('output_tokens'),
    cache_read_input_tokens: pick('cache_read_input_tokens'),
    cache_creation_input_tokens: pick('cache_creation_input_tokens'),
    output_tokens_details: pick('output_tokens_details'),
  };
}

export function anthropicFinish(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other';
  }
}
