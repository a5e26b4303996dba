import {
  REPORT_PROTOCOL_VERSION,
  ReportHostToView,
  type ReportViewToHost,
  parseMessage,
} from '../../common/protocol/report';

interface VsCodeApi<S> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}
declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

/** The report view's typed channel to its host: every host message is validated on arrival, then `ready` is sent. */
export interface ReportChannel<S> {
  post(message: ReportViewToHost): void;
  getState(): S | undefined;
  setState(state: S): void;
}

export function connectReport<S>(onMessage: (m: ReportHostToView) => void): ReportChannel<S> {
  const api = acquireVsCodeApi<S>();
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = parseMessage(ReportHostToView, event.data);
    if (parsed.ok) onMessage(parsed.value);
    else console.warn('SALE: dropped an invalid message from the host', parsed.error);
  });
  const post = (m: ReportViewToHost) => api.postMessage(m);
  post({ type: 'ready', protocolVersion: REPORT_PROTOCOL_VERSION });
  return { post, getState: () => api.getState(), setState: (s: S) => api.setState(s) };
}
