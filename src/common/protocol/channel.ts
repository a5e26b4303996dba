import * as z from 'zod';

/**
 * One typed channel between a webview and its host, the same code on both sides (pure: no DOM, no vscode).
 *
 * A protocol has three kinds of messages, each a zod schema validated on arrival:
 * - commands, view → host, fire and forget (`{ type: 'refresh' }`);
 * - requests, view → host, each answered by one reply: `{ type: 'request', id, method, params }`, then
 *   `{ type: 'reply', id, ok: true, value }` or `{ type: 'reply', id, ok: false, error }` (a message to show);
 * - notifications, host → view (`{ type: 'state', state }`), whole values.
 * The channel owns four message types of its own, which a protocol must not use: `ready`, `request`, `reply`,
 * `protocolMismatch`. The view says `ready` with its protocol version once it listens; the host posts nothing before
 * that (it keeps the latest notification of each type and sends them on `ready`). A view of another version gets
 * `protocolMismatch` instead, and its commands and requests are refused. A malformed message is dropped and logged,
 * never thrown.
 */

/** A request the view can make: its parameters and the value a successful reply carries. */
export interface RequestSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P;
  result: R;
}

/** A webview's protocol: its name (for the log), its version, and the schemas of its messages. */
export interface Protocol<C extends z.ZodType<{ type: string }> = z.ZodType<{ type: string }>, N extends z.ZodType<{ type: string }> = z.ZodType<{ type: string }>, R extends Record<string, RequestSpec> = Record<string, RequestSpec>> {
  readonly name: string;
  readonly version: number;
  readonly commands: C;
  readonly notifications: N;
  readonly requests: R;
}

/** Declares a protocol (keeps its precise types). */
export function defineProtocol<C extends z.ZodType<{ type: string }>, N extends z.ZodType<{ type: string }>, R extends Record<string, RequestSpec>>(p: Protocol<C, N, R>): Protocol<C, N, R> {
  return p;
}

export type CommandOf<P extends Protocol> = z.output<P['commands']>;
export type NotificationOf<P extends Protocol> = z.output<P['notifications']>;
export type MethodOf<P extends Protocol> = keyof P['requests'] & string;
/** What the view passes to a request (before the host's parse applies defaults and trimming). */
export type ParamsOf<P extends Protocol, M extends MethodOf<P>> = z.input<P['requests'][M]['params']>;
/** What the host's handler receives. */
export type ParsedParamsOf<P extends Protocol, M extends MethodOf<P>> = z.output<P['requests'][M]['params']>;
export type ResultOf<P extends Protocol, M extends MethodOf<P>> = z.output<P['requests'][M]['result']>;

/** The host's answer to each request: a table, one function per method (no switch over every message). */
export type RequestHandlers<P extends Protocol> = { [M in MethodOf<P>]: (params: ParsedParamsOf<P, M>) => Promise<z.input<P['requests'][M]['result']>> | z.input<P['requests'][M]['result']> };
/** The host's handling of each command. */
export type CommandHandlers<P extends Protocol> = { [T in CommandOf<P>['type']]: (command: Extract<CommandOf<P>, { type: T }>) => void | Promise<void> };

/** Where a channel's log lines go (the host's Logger fits; the view passes the console). */
export interface ChannelLog {
  warn(message: string): void;
  error(message: string | Error): void;
}

/** How a side posts a message to the other (the webview's or the host's `postMessage`). */
export interface ChannelTransport {
  post(message: unknown): void;
}

const id = z.number().int().nonnegative();
const Ready = z.object({ type: z.literal('ready'), protocolVersion: z.number().int() });
const Request = z.object({ type: z.literal('request'), id, method: z.string().min(1).max(100), params: z.unknown() });
const Reply = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('reply'), id, ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('reply'), id, ok: z.literal(false), error: z.string().max(4000) }),
]);
const Mismatch = z.object({ type: z.literal('protocolMismatch'), protocolVersion: z.number().int() });

/** Parses an untrusted message; never throws. */
export function parseMessage<T>(schema: z.ZodType<T>, raw: unknown): { ok: true; value: T } | { ok: false; error: string } {
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: z.prettifyError(r.error) };
}

function typeOf(raw: unknown): unknown {
  return typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The words a view of another version gets, on the host side and the view side alike. */
export const MISMATCH_MESSAGE = 'This view belongs to another version of SALE. Close it and open it again.';

/** What the host side of a channel answers with. */
export interface HostChannelOptions<P extends Protocol> {
  protocol: P;
  transport: ChannelTransport;
  commands: CommandHandlers<P>;
  requests: RequestHandlers<P>;
  /** After each `ready` of a view of this version (first load, or a reload): send it the whole state. */
  onReady?(): void;
  log: ChannelLog;
}

/**
 * The host's side: validates what the view sends, runs the command and request handlers, answers each request, and
 * holds notifications back until the view is ready.
 */
export class HostChannel<P extends Protocol> {
  private isReady = false;
  /** Bumped at every `ready` and reset: a reply to a view that has gone since it asked is not sent. */
  private generation = 0;
  /** The latest notification of each type posted while no view was ready, in the order of their last post. */
  private readonly held = new Map<string, unknown>();
  private waiters: (() => void)[] = [];

  constructor(private readonly options: HostChannelOptions<P>) {}

  /** A view of this protocol's version has said `ready` and has not gone since. */
  get ready(): boolean {
    return this.isReady;
  }

  /** Resolves once a view is ready (now, or at its next `ready`). */
  whenReady(): Promise<void> {
    return this.isReady ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The view has gone or is reloading: nothing is posted (notifications are held) until a view says `ready`. */
  reset(): void {
    this.isReady = false;
    this.generation++;
  }

  /** Sends a notification now, or holds it (the latest of its type) until the view is ready. */
  notify(notification: NotificationOf<P>): void {
    const { protocol, log } = this.options;
    const parsed = parseMessage(protocol.notifications, notification);
    if (!parsed.ok) {
      // A bug, not user input: log it and keep the view as it was rather than throwing into the caller.
      log.error(`${protocol.name}: a ${String(typeOf(notification))} notification failed validation and was not sent: ${parsed.error}`);
      return;
    }
    if (this.isReady) {
      this.options.transport.post(parsed.value);
      return;
    }
    const type = String(typeOf(parsed.value));
    this.held.delete(type);
    this.held.set(type, parsed.value);
  }

  /** Handles one message from the view (the adapter feeds every message here). */
  receive(raw: unknown): void {
    const type = typeOf(raw);
    if (type === 'ready') return this.onReady(raw);
    if (type === 'request') return this.onRequest(raw);
    this.onCommand(raw);
  }

  private onReady(raw: unknown): void {
    const { protocol, log, transport } = this.options;
    const ready = parseMessage(Ready, raw);
    if (!ready.ok) return log.warn(`${protocol.name}: dropped a malformed ready message: ${ready.error}`);
    this.generation++;
    if (ready.value.protocolVersion !== protocol.version) {
      this.isReady = false;
      log.warn(`${protocol.name}: the view speaks protocol ${ready.value.protocolVersion}, the host ${protocol.version}; it was asked to reopen`);
      transport.post({ type: 'protocolMismatch', protocolVersion: protocol.version });
      return;
    }
    this.isReady = true;
    for (const message of this.held.values()) transport.post(message);
    this.held.clear();
    try {
      this.options.onReady?.();
    } catch (e) {
      log.error(e instanceof Error ? e : messageOf(e));
    }
    for (const w of this.waiters.splice(0)) w();
  }

  private onRequest(raw: unknown): void {
    const { protocol, log } = this.options;
    const request = parseMessage(Request, raw);
    if (!request.ok) return log.warn(`${protocol.name}: dropped a malformed request: ${request.error}`);
    const { id, method } = request.value;
    const generation = this.generation;
    const reply = (message: z.input<typeof Reply>) => {
      if (generation === this.generation && this.isReady) this.options.transport.post(message);
    };
    const fail = (error: string) => reply({ type: 'reply', id, ok: false, error });
    if (!this.isReady) {
      log.warn(`${protocol.name}: refused request ${method} from a view that has not said ready with protocol ${protocol.version}`);
      // The view that asked is of another version (or never said ready): answer so it does not wait forever.
      this.options.transport.post({ type: 'reply', id, ok: false, error: MISMATCH_MESSAGE });
      return;
    }
    const spec = Object.hasOwn(protocol.requests, method) ? protocol.requests[method] : undefined;
    const handler = spec && (this.options.requests as Record<string, (params: unknown) => unknown>)[method];
    if (!spec || !handler) {
      log.warn(`${protocol.name}: unknown request ${method}`);
      return fail(`Unknown request: ${method}`);
    }
    const params = parseMessage(spec.params, request.value.params);
    if (!params.ok) {
      log.warn(`${protocol.name}: invalid ${method} request: ${params.error}`);
      return fail(`Invalid ${method} request: ${params.error}`);
    }
    void Promise.resolve()
      .then(() => handler(params.value))
      .then(
        (value) => {
          const result = parseMessage(spec.result, value);
          if (result.ok) return reply({ type: 'reply', id, ok: true, value: result.value });
          log.error(`${protocol.name}: the ${method} reply failed validation: ${result.error}`);
          fail(`SALE could not answer ${method}; see the SALE log.`);
        },
        (e: unknown) => {
          log.warn(`${protocol.name}: ${method} failed: ${messageOf(e)}`);
          fail(messageOf(e));
        },
      );
  }

  private onCommand(raw: unknown): void {
    const { protocol, log } = this.options;
    const command = parseMessage(protocol.commands, raw);
    if (!command.ok) return log.warn(`${protocol.name}: dropped an invalid message from the view: ${command.error}`);
    if (!this.isReady) return log.warn(`${protocol.name}: dropped ${command.value.type} from a view that has not said ready with protocol ${protocol.version}`);
    const handler = (this.options.commands as Record<string, (c: unknown) => unknown>)[command.value.type];
    if (!handler) return log.warn(`${protocol.name}: no handler for ${command.value.type}`);
    void Promise.resolve()
      .then(() => handler(command.value))
      .catch((e: unknown) => log.error(e instanceof Error ? e : messageOf(e)));
  }
}

/** A request the host answered with an error: `message` is for the user. */
export class RequestFailedError extends Error {
  constructor(
    readonly method: string,
    message: string,
  ) {
    super(message);
    this.name = 'RequestFailedError';
  }
}

/** What the view side does with what the host sends. */
export interface ViewChannelHandlers<P extends Protocol> {
  onNotification(notification: NotificationOf<P>): void;
  /** The host speaks another version of the protocol (the view should ask to be reopened). */
  onMismatch?(hostVersion: number): void;
}

/** The view's side: says `ready`, sends commands and requests, and matches each reply to its request. */
export class ViewChannel<P extends Protocol> {
  private nextId = 1;
  private readonly pending = new Map<number, { method: string; resolve: (value: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly protocol: P,
    private readonly transport: ChannelTransport,
    private readonly handlers: ViewChannelHandlers<P>,
    private readonly log: ChannelLog,
  ) {}

  /** Says `ready` (call once the listener is attached): the host then sends the whole state. */
  start(): void {
    this.transport.post({ type: 'ready', protocolVersion: this.protocol.version });
  }

  /** Sends a command; one that does not match the protocol is a bug, logged and not sent. */
  post(command: CommandOf<P>): void {
    const parsed = parseMessage(this.protocol.commands, command);
    if (!parsed.ok) return this.log.error(`${this.protocol.name}: not sent, invalid: ${parsed.error}`);
    this.transport.post(parsed.value);
  }

  /** Sends a request; resolves with the host's value, rejects with a `RequestFailedError` whose message is for the user. */
  request<M extends MethodOf<P>>(method: M, params: ParamsOf<P, M>): Promise<ResultOf<P, M>> {
    const spec = this.protocol.requests[method];
    const parsed = spec ? parseMessage(spec.params, params) : { ok: false as const, error: 'unknown method' };
    if (!parsed.ok) return Promise.reject(new RequestFailedError(method, `Invalid ${method} request: ${parsed.error}`));
    const id = this.nextId++;
    return new Promise<ResultOf<P, M>>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject });
      this.transport.post({ type: 'request', id, method, params });
    });
  }

  /** Requests sent and not answered yet. */
  get pendingRequests(): number {
    return this.pending.size;
  }

  /** Handles one message from the host. */
  receive(raw: unknown): void {
    const type = typeOf(raw);
    if (type === 'reply') return this.onReply(raw);
    if (type === 'protocolMismatch') {
      const m = parseMessage(Mismatch, raw);
      if (!m.ok) return this.log.warn(`${this.protocol.name}: dropped a malformed protocolMismatch: ${m.error}`);
      this.log.warn(`${this.protocol.name}: the host speaks protocol ${m.value.protocolVersion}, this view ${this.protocol.version}`);
      return this.handlers.onMismatch?.(m.value.protocolVersion);
    }
    const notification = parseMessage(this.protocol.notifications, raw);
    if (!notification.ok) return this.log.warn(`${this.protocol.name}: dropped an invalid message from the host: ${notification.error}`);
    this.handlers.onNotification(notification.value as NotificationOf<P>);
  }

  private onReply(raw: unknown): void {
    const reply = parseMessage(Reply, raw);
    if (!reply.ok) return this.log.warn(`${this.protocol.name}: dropped a malformed reply: ${reply.error}`);
    const waiting = this.pending.get(reply.value.id);
    if (!waiting) return this.log.warn(`${this.protocol.name}: dropped a reply to no pending request (${reply.value.id})`);
    this.pending.delete(reply.value.id);
    if (!reply.value.ok) return waiting.reject(new RequestFailedError(waiting.method, reply.value.error));
    const spec = this.protocol.requests[waiting.method];
    const value = spec ? parseMessage(spec.result, reply.value.value) : { ok: false as const, error: 'unknown method' };
    if (value.ok) waiting.resolve(value.value);
    else {
      this.log.warn(`${this.protocol.name}: the ${waiting.method} reply failed validation: ${value.error}`);
      waiting.reject(new RequestFailedError(waiting.method, `The ${waiting.method} reply could not be read.`));
    }
  }
}
