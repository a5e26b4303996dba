import * as z from 'zod';
import { RequestRejectedError } from './errors';
import type { ChatResponse, ModelCapabilities, ModelClient } from './types';

/** What the probe learned, with the calls it made so the caller can charge them to the ledger (phase 'probe'). */
export interface ProbeResult {
  capabilities: ModelCapabilities;
  /** Latency of the plain text call: what the user sees as the model's responsiveness. */
  latencyMs: number;
  /** Every response the probe got; errors of optional features are swallowed into `false`. */
  responses: ChatResponse[];
}

const PROBE_TOOL = {
  name: 'report_status',
  description: 'Report that you are working.',
  parameters: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
};
const probeSchema = z.object({ ok: z.boolean() });

/**
 * Learns what a model really does with tiny requests, run in parallel: a streamed text reply asking for
 * logprobs (does text stream, do logprobs come back?), a tool call, and a structured reply. They are separate
 * because a reply that is a tool call carries no content tokens, so it cannot show logprobs. A failure of the
 * plain call (key, connection, rate limit) is the model's failure and is thrown; a rejected optional feature
 * (a 400 for `tools` on a server without them) just means "no". A member whose only role is `embedder` is
 * probed by one embedding call instead (its failure is thrown).
 */
export async function probeCapabilities(client: ModelClient, signal?: AbortSignal, now: () => Date = () => new Date()): Promise<ProbeResult> {
  // A member that only embeds (an embedding model has no chat endpoint) is probed by one embedding, which must work.
  if (client.embed && client.spec.roles.every((r) => r === 'embedder')) {
    const embedded = await client.embed(['ready'], signal);
    return {
      capabilities: { streaming: false, logprobs: false, tools: false, structuredOutput: false, embeddings: embedded.vectors.length > 0, probedAt: now().toISOString() },
      latencyMs: embedded.latencyMs,
      responses: [],
    };
  }
  const responses: ChatResponse[] = [];
  const keep = (r: ChatResponse) => {
    responses.push(r);
    return r;
  };
  let streamed = false;
  const plainP = client
    .chat({
      messages: [{ role: 'user', content: 'Reply with the single word: ready' }],
      maxTokens: 8,
      logprobs: { topAlternatives: 2 },
      signal,
      onText: () => {
        streamed = true;
      },
    })
    .then(keep);
  const toolP = optional(
    client.chat({ messages: [{ role: 'user', content: 'Call the report_status tool with ok=true.' }], tools: [PROBE_TOOL], maxTokens: 64, signal }).then(keep),
  );
  const jsonP = optional(
    client.chat({ messages: [{ role: 'user', content: 'Answer with JSON {"ok": true}.' }], responseFormat: { name: 'status', schema: probeSchema }, maxTokens: 64, signal }).then(keep),
  );
  const embedP = client.embed && client.spec.roles.includes('embedder') ? optional(client.embed(['ready'], signal)) : Promise.resolve(undefined);
  const [plain, tool, json, embedded] = await Promise.all([plainP, toolP, jsonP, embedP]);
  return {
    capabilities: {
      streaming: streamed,
      logprobs: (plain.logprobs?.length ?? 0) > 0,
      tools: (tool?.toolCalls.length ?? 0) > 0,
      structuredOutput: json?.parsed !== undefined,
      embeddings: (embedded?.vectors.length ?? 0) > 0,
      probedAt: now().toISOString(),
    },
    latencyMs: plain.latencyMs,
    responses,
  };
}

async function optional<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof RequestRejectedError) return undefined;
    throw e;
  }
}
