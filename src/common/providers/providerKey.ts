import type { ModelSpec } from './types';

export const DEFAULT_BASE_URLS = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
} as const;

/**
 * The SecretStorage key of a model's endpoint: one key per provider endpoint, so two models on the same endpoint
 * share a key and a key for OpenRouter never goes to OpenAI. Never contains the key itself.
 */
export function providerKeyOf(spec: Pick<ModelSpec, 'provider' | 'baseUrl'>): string {
  // Reached through VS Code, which holds the account: SALE stores no key for it.
  if (spec.provider === 'vscode-lm') return 'vscode-lm:';
  const base = (spec.baseUrl ?? (spec.provider === 'openai-compatible' ? '' : DEFAULT_BASE_URLS[spec.provider])).replace(/\/+$/, '');
  return `${spec.provider}:${base.toLowerCase()}`;
}

/** A short label for a provider key, for pickers: "OpenAI", "Anthropic", or the endpoint's host. */
export function providerKeyLabel(key: string): string {
  const [provider, ...rest] = key.split(':');
  const url = rest.join(':');
  if (provider === 'openai' && url === DEFAULT_BASE_URLS.openai) return 'OpenAI';
  if (provider === 'anthropic' && url === DEFAULT_BASE_URLS.anthropic) return 'Anthropic';
  if (provider === 'vscode-lm') return 'VS Code language models';
  try {
    return `${provider} (${new URL(url).host})`;
  } catch {
    return key;
  }
}

/** Local servers accept any key but the SDK refuses to run without one. */
export const LOCAL_PLACEHOLDER_KEY = 'sale-local-no-key';
