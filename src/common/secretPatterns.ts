/**
 * Credential-looking text, found by pattern: keys of the common providers, private keys, tokens, and
 * `name = value` assignments of secrets. Used wherever text a user or a model wrote is stored (memory, ledger),
 * because a user can paste a key into a task and a model can echo one from a context file.
 */

const SECRET_PATTERNS: RegExp[] = [
  // The header, the base64 lines under it (whole lines only) and the footer: prose that names the header keeps
  // the words after it.
  /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:\r?\n[A-Za-z0-9+/=]+(?=\r?\n|$))*(?:\r?\n-----END [A-Z ]*PRIVATE KEY-----)?/g,
  // OpenAI and Anthropic (sk-ant-...) keys: 20+ characters with a digit, a capital or a 24-character run (random
  // text, not dashed words), not inside a longer word or a CSS variable (`sk-learn-compatible`, `--sk-color`).
  /(?<![\w-])sk-(?=[A-Za-z0-9_-]*(?:\d|[A-Z]|[a-z0-9]{24}))[A-Za-z0-9_-]{20,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, // JWT
  /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g,
];
/**
 * `api_key = "..."`, `password: ...`: keep the name, drop the value. The value must look like one: a quoted
 * string of 8+ characters without spaces or template syntax, or a bare token of 8+ characters that is not a
 * type name, a call, a member access or an index (`token = getToken()`, `apiKey: string`, `token: cfg.token`).
 */
const ASSIGNED_SECRET =
  /\b((?:api[_-]?key|secret|token|passw(?:or)?d|access[_-]?key)["']?\s*[:=]\s*)(?:(["'])[^\s"'`${}()<>]{8,}\2|(?!(?:string|number|boolean|undefined|null|true|false|any|unknown)\b)[A-Za-z0-9_+/=~-]{8,}(?![\w(.[]))/gi;

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
