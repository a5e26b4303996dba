import { isLoopbackUrl } from '../providers/localServers';
import { DEFAULT_BASE_URLS } from '../providers/providerKey';
import type { ProviderKind } from '../providers/types';

/**
 * The kinds of endpoint "Add Model…" knows, each with the wire format it speaks and where it usually listens. The
 * base URL is only a prefill: every one of them can be edited (a vLLM on another machine, a proxy).
 */
export interface ProviderPreset {
  id: 'openai' | 'anthropic' | 'openrouter' | 'ollama' | 'lmstudio' | 'llamacpp' | 'vllm' | 'other';
  /** The provider's own name (not translated). */
  name: string;
  provider: ProviderKind;
  /** Prefilled base URL; empty for "other" (the user must give one). */
  baseUrl: string;
  /**
   * `required`: the endpoint never answers without a key. `optional`: ask, but an empty answer is fine (a vLLM or
   * a proxy may or may not check one). `none`: a server on this machine that takes no key.
   */
  key: 'required' | 'optional' | 'none';
  /** Where a key is made, shown next to the key prompt. */
  keyHelpUrl?: string;
  /** A short prefix for generated pool ids (`ollama/qwen3:8b`); none for OpenAI and Anthropic, whose names are unique. */
  idPrefix?: string;
}

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  { id: 'openai', name: 'OpenAI', provider: 'openai', baseUrl: DEFAULT_BASE_URLS.openai, key: 'required', keyHelpUrl: 'https://platform.openai.com/api-keys' },
  { id: 'anthropic', name: 'Anthropic', provider: 'anthropic', baseUrl: DEFAULT_BASE_URLS.anthropic, key: 'required', keyHelpUrl: 'https://console.anthropic.com/settings/keys' },
  { id: 'openrouter', name: 'OpenRouter', provider: 'openai-compatible', baseUrl: 'https://openrouter.ai/api/v1', key: 'required', keyHelpUrl: 'https://openrouter.ai/settings/keys', idPrefix: 'openrouter' },
  { id: 'ollama', name: 'Ollama', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1', key: 'none', idPrefix: 'ollama' },
  { id: 'lmstudio', name: 'LM Studio', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:1234/v1', key: 'none', idPrefix: 'lmstudio' },
  { id: 'llamacpp', name: 'llama.cpp server', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:8080/v1', key: 'none', idPrefix: 'llamacpp' },
  { id: 'vllm', name: 'vLLM', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000/v1', key: 'optional', idPrefix: 'vllm' },
  { id: 'other', name: 'OpenAI-compatible', provider: 'openai-compatible', baseUrl: '', key: 'optional', idPrefix: 'custom' },
];

/** Why a base URL cannot be used, or undefined when it can. Returns a reason code the UI words. */
export function baseUrlProblem(raw: string): 'empty' | 'not-http' | 'has-query' | undefined {
  const text = raw.trim();
  if (!text) return 'empty';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not-http';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'not-http';
  if (url.search || url.hash) return 'has-query';
  return undefined;
}

/** The base URL as it is written to `sale.models`: trimmed, without a trailing slash. */
export function normalizeBaseUrl(raw: string): string {
  return raw.trim().replace(/\/+$/, '');
}

/** Whether this endpoint needs a key: never for a server on this machine, else as the preset says. */
export function keyNeed(preset: ProviderPreset, baseUrl: string): 'required' | 'optional' | 'none' {
  if (isLoopbackUrl(baseUrl)) return preset.key === 'required' ? 'required' : 'none';
  // A "local" kind (Ollama…) reached over the network may sit behind a proxy that checks a key.
  return preset.key === 'none' ? 'optional' : preset.key;
}

/**
 * A common OpenAI-compatible mistake: the server's root without `/v1`. Returns the URL with `/v1` added when the
 * path is empty, so the prefill can suggest it; undefined when the URL already has a path.
 */
export function suggestV1(preset: ProviderPreset, baseUrl: string): string | undefined {
  if (preset.provider !== 'openai-compatible') return undefined;
  try {
    const url = new URL(baseUrl);
    return url.pathname === '/' || url.pathname === '' ? `${normalizeBaseUrl(baseUrl)}/v1` : undefined;
  } catch {
    return undefined;
  }
}
