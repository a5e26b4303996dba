/**
 * Removes secrets from text before it reaches an error message or a log line. Knows the exact keys in use and,
 * as a second net, the shapes of common provider keys (a server may echo a key back in an error body).
 */
export type Redactor = (text: string) => string;

const KEY_SHAPES = /\b(sk-(?:ant-|proj-)?[A-Za-z0-9_-]{8,}|(?:Bearer)\s+[A-Za-z0-9._~+/=-]{8,})/g;

export function makeRedactor(secrets: readonly (string | undefined)[]): Redactor {
  // Longest first, so a key that contains another is removed whole.
  const exact = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const s of exact) out = out.split(s).join('[redacted]');
    return out.replace(KEY_SHAPES, '[redacted]');
  };
}

/** Redacts every string inside a log argument by turning it into redacted text. */
export function redactArg(arg: unknown, redact: Redactor): string {
  if (typeof arg === 'string') return redact(arg);
  if (arg instanceof Error) return redact(`${arg.name}: ${arg.message}`);
  try {
    return redact(JSON.stringify(arg) ?? String(arg));
  } catch {
    return redact(String(arg));
  }
}
