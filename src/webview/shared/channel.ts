import { MISMATCH_MESSAGE, ViewChannel, type CommandOf, type MethodOf, type NotificationOf, type ParamsOf, type Protocol, type ResultOf } from '../../common/protocol/channel';

interface VsCodeApi<S> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}
declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

/** A view's typed channel to its host (`src/common/protocol/channel.ts`), with the webview's saved state (kept while the view is hidden). */
export interface Channel<P extends Protocol, S> {
  /** Sends a command (fire and forget). */
  post: (command: CommandOf<P>) => void;
  /** Sends a request; resolves with the host's answer, rejects with an Error whose message is for the user. */
  request: <M extends MethodOf<P>>(method: M, params: ParamsOf<P, M>) => Promise<ResultOf<P, M>>;
  getState: () => S | undefined;
  setState: (state: S) => void;
}

const consoleLog = {
  warn: (message: string) => console.warn(`SALE: ${message}`),
  error: (message: string | Error) => console.error('SALE:', message),
};

/** A view of another version than its host's cannot work: say so in its place. */
function showMismatch(): void {
  const note = document.createElement('p');
  note.setAttribute('role', 'alert');
  note.id = 'protocol-mismatch';
  note.textContent = MISMATCH_MESSAGE;
  document.getElementById('root')?.setAttribute('hidden', '');
  document.body.prepend(note);
}

/**
 * Connects a view to its host: every host message is validated on arrival (an invalid one is dropped with a console
 * warning), each reply is matched to its request, then `ready` is sent, so the host posts nothing before the view
 * listens. `acquireVsCodeApi` may be called once per page: call this once.
 */
export function connectChannel<P extends Protocol, S>(protocol: P, onNotification: (n: NotificationOf<P>) => void): Channel<P, S> {
  const api = acquireVsCodeApi<S>();
  const channel = new ViewChannel(protocol, { post: (m) => api.postMessage(m) }, { onNotification, onMismatch: showMismatch }, consoleLog);
  window.addEventListener('message', (event: MessageEvent<unknown>) => channel.receive(event.data));
  channel.start();
  return {
    post: (command) => channel.post(command),
    request: (method, params) => channel.request(method, params),
    getState: () => api.getState(),
    setState: (s) => api.setState(s),
  };
}
