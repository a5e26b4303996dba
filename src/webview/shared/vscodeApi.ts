import { HostToView, PROTOCOL_VERSION, type ViewToHost, parseMessage } from '../../common/protocol/panel';

interface VsCodeApi<S> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}
declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

/** The one typed channel from a webview to its host. Every message is validated on arrival. */
export function connect<S>(onMessage: (m: HostToView) => void) {
  const api = acquireVsCodeApi<S>();
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = parseMessage(HostToView, event.data);
    if (parsed.ok) onMessage(parsed.value);
    else console.warn('SALE: dropped an invalid message from the host', parsed.error);
  });
  const post = (m: ViewToHost) => api.postMessage(m);
  post({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
  return { post, getState: () => api.getState(), setState: (s: S) => api.setState(s) };
}
