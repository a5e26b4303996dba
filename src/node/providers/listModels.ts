import type { Logger } from '../../common/log';
import { classifyFailure } from '../../common/providers/classify';
import { MissingApiKeyError, type ModelCallError } from '../../common/providers/errors';
import { DEFAULT_BASE_URLS, LOCAL_PLACEHOLDER_KEY, providerKeyOf } from '../../common/providers/providerKey';
import { makeRedactor } from '../../common/providers/redact';
import type { ProviderKind } from '../../common/providers/types';
import { sdkLogger } from './clientSupport';
import { failureFacts } from './errorFacts';
import { loadAnthropic, loadOpenAI } from './sdkLoader';

/** One model an endpoint lists. */
export interface ListedModel {
  id: string;
  /** Anthropic's `display_name`. */
  displayName?: string;
}

/** Which endpoint to ask, and with which key. */
export interface ListModelsRequest {
  provider: ProviderKind;
  /** Absent: the provider's own API (OpenAI, Anthropic). */
  baseUrl?: string;
  /** A server on this machine: no key needed (the SDK still wants one, so a placeholder is sent). */
  local: boolean;
  /** The stored key of the endpoint, when there is one. */
  apiKey?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  logger: Logger;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** OpenRouter lists a few hundred models; past this many a picker is no help anyway. */
const MAX_MODELS = 2_000;

/**
 * The models an endpoint offers, fetched live through the real SDKs: `GET /v1/models` with `openai` for OpenAI and
 * every OpenAI-compatible server, Anthropic's model list with `@anthropic-ai/sdk` (pages followed). Failures are
 * thrown as the same typed errors a model call gives (no key, key rejected, nothing listening, server error,
 * not an API), so the caller can say why and what to do.
 */
export async function listModels(req: ListModelsRequest): Promise<ListedModel[]> {
  const target = `${req.provider === 'openai-compatible' ? '' : `${req.provider} `}${req.baseUrl ?? DEFAULT_BASE_URLS[req.provider === 'anthropic' ? 'anthropic' : 'openai']}`;
  const providerKey = providerKeyOf(req);
  const key = req.apiKey?.trim() || (req.local || req.provider === 'openai-compatible' ? LOCAL_PLACEHOLDER_KEY : undefined);
  if (!key) throw new MissingApiKeyError(`${target}: no API key is set for ${providerKey}`, { modelId: target, provider: req.provider }, providerKey);
  const redact = makeRedactor([key === LOCAL_PLACEHOLDER_KEY ? undefined : key]);
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
  const common = { apiKey: key, maxRetries: 0, timeout: timeoutMs, logger: sdkLogger(req.logger.topic('models'), redact), logLevel: 'warn' as const };
  const models: ListedModel[] = [];
  // Loaded before the call, outside the failure classification: a missing SDK bundle is a packaging bug.
  const AnthropicSdk = req.provider === 'anthropic' ? await loadAnthropic() : undefined;
  const OpenAISdk = AnthropicSdk ? undefined : await loadOpenAI();
  try {
    if (AnthropicSdk) {
      const client = new AnthropicSdk({ ...common, baseURL: req.baseUrl ?? DEFAULT_BASE_URLS.anthropic });
      for await (const m of client.models.list({ limit: 100 }, { signal })) {
        if (typeof m?.id === 'string' && m.id) models.push(m.display_name ? { id: m.id, displayName: m.display_name } : { id: m.id });
        if (models.length >= MAX_MODELS) break;
      }
    } else if (OpenAISdk) {
      const client = new OpenAISdk({ ...common, baseURL: req.baseUrl ?? DEFAULT_BASE_URLS.openai, organization: null, project: null });
      for await (const m of client.models.list({ signal })) {
        if (typeof m?.id === 'string' && m.id) models.push({ id: m.id });
        if (models.length >= MAX_MODELS) break;
      }
    }
  } catch (e) {
    const facts = deadline.aborted && !req.signal?.aborted ? { name: 'TimeoutError', message: 'no reply within the time limit' } : failureFacts(e, req.signal);
    throw classifyFailure(facts, { modelId: target, provider: req.provider, providerKey, baseUrl: req.baseUrl, local: req.local, redact }) satisfies ModelCallError;
  }
  return models;
}
