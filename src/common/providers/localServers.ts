import type { ModelSpec } from './types';

/** A kind of OpenAI-compatible server people run on their own machine, and where it listens by default. */
export interface LocalServerKind {
  /** Shown to the user: "Is Ollama running?" */
  name: string;
  /** A short slug used in generated pool ids (`ollama/qwen3:8b`). */
  slug: string;
  port: number;
}

/** The default ports of the local servers SALE looks for. Order matters: it is the order they are offered in. */
export const LOCAL_SERVERS: readonly LocalServerKind[] = [
  { name: 'Ollama', slug: 'ollama', port: 11434 },
  { name: 'LM Studio', slug: 'lmstudio', port: 1234 },
  { name: 'llama.cpp server', slug: 'llamacpp', port: 8080 },
  { name: 'vLLM', slug: 'vllm', port: 8000 },
];

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '0.0.0.0']);

/** True when the URL points at this machine. */
export function isLoopbackUrl(baseUrl: string | undefined): boolean {
  if (!baseUrl) return false;
  try {
    return LOOPBACK_HOSTS.has(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}

/** The local server kind a loopback URL's port belongs to, if it is one of the known defaults. */
export function localServerForUrl(baseUrl: string | undefined): LocalServerKind | undefined {
  if (!baseUrl || !isLoopbackUrl(baseUrl)) return undefined;
  try {
    const port = Number(new URL(baseUrl).port);
    return LOCAL_SERVERS.find((s) => s.port === port);
  } catch {
    return undefined;
  }
}

/** The one HTTP call detection needs: a GET with a short timeout. Resolves undefined when nothing answers. */
export interface HttpProbe {
  get(url: string, timeoutMs: number, signal?: AbortSignal): Promise<{ status: number; body: string } | undefined>;
}

/** A local server that answered, with the models it lists. */
export interface DetectedServer {
  kind: LocalServerKind;
  baseUrl: string;
  models: string[];
}

export interface DetectOptions {
  /** Per-port timeout; short, so a closed port never slows activation. */
  timeoutMs?: number;
  host?: string;
  servers?: readonly LocalServerKind[];
  signal?: AbortSignal;
}

/**
 * Looks for local servers on their default ports, in parallel, by listing `/v1/models` (every one of these
 * servers speaks the OpenAI models endpoint). A port that does not answer, or answers with something else, is
 * skipped, never an error.
 */
export async function detectLocalServers(probe: HttpProbe, opts: DetectOptions = {}): Promise<DetectedServer[]> {
  const host = opts.host ?? '127.0.0.1';
  const timeoutMs = opts.timeoutMs ?? 400;
  const found = await Promise.all(
    (opts.servers ?? LOCAL_SERVERS).map(async (kind): Promise<DetectedServer | undefined> => {
      const baseUrl = `http://${host}:${kind.port}/v1`;
      let reply: { status: number; body: string } | undefined;
      try {
        reply = await probe.get(`${baseUrl}/models`, timeoutMs, opts.signal);
      } catch {
        return undefined;
      }
      if (!reply || reply.status !== 200) return undefined;
      const models = parseModelList(reply.body);
      return models ? { kind, baseUrl, models } : undefined;
    }),
  );
  return found.filter((d): d is DetectedServer => d !== undefined);
}

/** Model ids from an OpenAI `GET /models` body; undefined when the body is not that shape. */
export function parseModelList(body: string): string[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return undefined;
  return data.map((m) => (m as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string' && id.length > 0);
}

/**
 * Detected models as pool members: price 0 (they run on the user's machine). Disabled unless `enabled` says
 * otherwise (the pool service enables them only when the user configured nothing), so a server started for
 * something else never joins auctions by surprise. Ids that the configured pool already uses are skipped.
 */
export function detectedToSpecs(
  detected: readonly DetectedServer[],
  existingIds: ReadonlySet<string> = new Set(),
  enabled = false,
): ModelSpec[] {
  const specs: ModelSpec[] = [];
  for (const server of detected) {
    for (const model of server.models) {
      const id = `${server.kind.slug}/${model}`;
      if (existingIds.has(id)) continue;
      specs.push({
        id,
        provider: 'openai-compatible',
        baseUrl: server.baseUrl,
        model,
        price: { inputPerMTok: 0, outputPerMTok: 0, source: 'local' },
        roles: ['bidder', 'juror', 'executor'],
        enabled,
        local: true,
      });
    }
  }
  return specs;
}
