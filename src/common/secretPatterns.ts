/**
 * Credential-looking text, found by pattern: keys of the common providers, private keys, tokens, and
 * `name = value` assignments of secrets. Used wherever text a user or a model wrote is stored (memory, ledger),
 * because a user can paste a key into a task and a model can echo one from a context file.
 */

const SECRET_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI and Anthropic (sk-ant-...) keys
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, // JWT
  /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g,
];
/** `api_key = "..."`, `password: ...`: keep the name, drop the value. */
const ASSIGNED_SECRET = /\b((?:api[_-]?key|secret|token|passw(?:or)?d|access[_-]?key)["']?\s*[:=]\s*)(["']?)[^\s"',;]{6,}\2/gi;

export const REDACTED = '[redacted]';

/** The text with anything that looks like a credential replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const p of SECRET_PATTERNS) out = out.replace(p, REDACTED);
  return out.replace(ASSIGNED_SECRET, (_m, name: string) => `${name}${REDACTED}`);
}

export function containsSecret(text: string): boolean {
  return redactSecrets(text) !== text;
}
