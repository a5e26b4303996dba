import type { FailureFacts } from '../../common/providers/classify';

/**
 * The facts of whatever an SDK call threw: the SDKs' own error classes (read by shape, so both SDKs and their
 * future versions work), and the bare errors they let through unwrapped (`SyntaxError` for a non-JSON 200 or a
 * broken stream line, `TypeError: terminated` for a dropped connection, a raw AbortError).
 */
export function failureFacts(e: unknown, signal?: AbortSignal): FailureFacts {
  const facts: FailureFacts = {};
  if (signal?.aborted) facts.aborted = true;
  if (!e || typeof e !== 'object') {
    facts.message = String(e);
    return facts;
  }
  const err = e as { status?: unknown; headers?: unknown; error?: unknown; name?: unknown; message?: unknown; constructor?: { name?: string } };
  if (typeof err.status === 'number') facts.status = err.status;
  const headers = headerRecord(err.headers);
  if (headers) facts.headers = headers;
  if (err.error !== undefined) facts.body = err.error;
  const ctorName = err.constructor?.name;
  // SDK classes set `name` inconsistently; the constructor name is the precise one ("RateLimitError").
  facts.name = ctorName && ctorName !== 'Object' && ctorName !== 'Error' ? ctorName : typeof err.name === 'string' ? err.name : undefined;
  if (typeof err.message === 'string') facts.message = err.message;
  const code = causeCode(e);
  if (code) facts.causeCode = code;
  return facts;
}

function headerRecord(h: unknown): Record<string, string> | undefined {
  if (!h || typeof h !== 'object') return undefined;
  const out: Record<string, string> = {};
  if (typeof (h as Headers).forEach === 'function' && typeof (h as Headers).get === 'function') {
    (h as Headers).forEach((value, key) => {
      out[key.toLowerCase()] = value;
    });
    return out;
  }
  for (const [k, v] of Object.entries(h as Record<string, unknown>)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

/** The first Node system error code in the cause chain (fetch wraps `ECONNREFUSED` two levels deep). */
function causeCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 6; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
    const errors = (cur as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length) {
      const inner = causeCode(errors[0]);
      if (inner) return inner;
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
