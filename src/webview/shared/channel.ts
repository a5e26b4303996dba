import type { z } from 'zod';
import { parseMessage } from '../../common/protocol/panel';

interface VsCodeApi<S> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}
declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

/** A view's typed channel to its host, with the webview's saved state (kept while the view is hidden). */
export interface Channel<ToHost, S> {
  post: (message: ToHost) => void;
  getState: () => S | undefined;
  setState: (state: S) => void;
}

/**
 * Connects a view to its host: every host message is validated against `fromHost` on arrival (an invalid one is
 * dropped with a console warning), then `ready` is sent, so the host posts nothing before the view listens.
 * `acquireVsCodeApi` may be called once per page: call this once.
 */
export function connectChannel<FromHost, ToHost, S>(fromHost: z.ZodType<FromHost>, ready: ToHost, onMessage: (m: FromHost) => void): Channel<ToHost, S> {
  const api = acquireVsCodeApi<S>();
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = parseMessage(fromHost, event.data);
    if (parsed.ok) onMessage(parsed.value);
    else console.warn('SALE: dropped an invalid message from the host', parsed.error);
  });
  const post = (m: ToHost) => api.postMessage(m);
  post(ready);
  return { post, getState: () => api.getState(), setState: (s: S) => api.setState(s) };
}
