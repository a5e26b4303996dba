import type { Logger } from '../../common/log';
import { nullLogger } from '../../common/log';
import type { RetryClock, RetryPolicy } from '../../common/providers/retry';
import type { ModelClient, ModelSpec } from '../../common/providers/types';
import { AnthropicClient } from './anthropicClient';
import type { GetApiKey } from './clientSupport';
import { OpenAIClient } from './openaiClient';

/** Optional knobs of createModelClient; tests pass a clock so retries do not really wait. */
export interface CreateModelClientOptions {
  logger?: Logger;
  retry?: RetryPolicy;
  clock?: RetryClock;
  requestTimeoutMs?: number;
}

/**
 * The one way the rest of the extension gets a ModelClient. The key is looked up on every call (by the spec's
 * provider key, see providerKeyOf), so a key set after the client was made is used at once.
 */
export function createModelClient(spec: ModelSpec, getApiKey: GetApiKey, options: CreateModelClientOptions = {}): ModelClient {
  const opts = { getApiKey, logger: options.logger ?? nullLogger, retry: options.retry, clock: options.clock, requestTimeoutMs: options.requestTimeoutMs };
  switch (spec.provider) {
    case 'anthropic':
      return new AnthropicClient(spec, opts);
    case 'openai':
    case 'openai-compatible':
      return new OpenAIClient(spec, opts);
    case 'vscode-lm':
      // Those live in the extension host (src/vscode/providers/lmClient.ts); the pool makes them itself.
      throw new Error(`${spec.id}: a vscode-lm model needs the VS Code extension host`);
  }
}
