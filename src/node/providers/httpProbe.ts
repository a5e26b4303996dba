import type { HttpProbe } from '../../common/providers/localServers';

/** The local-server detection probe over Node's fetch: a GET with a hard timeout, undefined when nothing answers. */
export const fetchProbe: HttpProbe = {
  async get(url, timeoutMs, signal) {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      return { status: res.status, body: await res.text() };
    } catch {
      return undefined;
    }
  },
};
