import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as z from 'zod';
import { HostChannel, MISMATCH_MESSAGE, RequestFailedError, ViewChannel, defineProtocol, type HostChannelOptions, type NotificationOf, type RequestHandlers } from '../../../../src/common/protocol/channel';

/** A protocol of its own for the channel: a command, two notifications, three requests. */
const protocol = defineProtocol({
  name: 'test view',
  version: 3,
  commands: z.discriminatedUnion('type', [z.object({ type: z.literal('refresh') }), z.object({ type: z.literal('pick'), id: z.string().min(1) })]),
  notifications: z.discriminatedUnion('type', [z.object({ type: z.literal('state'), n: z.number() }), z.object({ type: z.literal('status'), text: z.string() })]),
  requests: {
    add: { params: z.object({ a: z.number(), b: z.number() }), result: z.number() },
    greet: { params: z.object({ name: z.string().trim().min(1) }), result: z.object({ greeting: z.string() }) },
    fail: { params: z.object({}), result: z.null() },
  },
});
type P = typeof protocol;

/** Log lines by level, as the channel writes them. */
function collectingLog() {
  const lines = { warn: [] as string[], error: [] as string[] };
  return { lines, log: { warn: (m: string) => lines.warn.push(m), error: (m: string | Error) => lines.error.push(String(m)) } };
}

/** What postMessage does between a webview and its host: a structured clone, delivered later. */
function wire(deliver: (message: unknown) => void) {
  const sent: unknown[] = [];
  return {
    sent,
    post: (message: unknown) => {
      sent.push(message);
      const copy = structuredClone(message);
      setImmediate(() => deliver(copy));
    },
  };
}

const settle = () => new Promise((r) => setImmediate(() => setImmediate(r)));

/** A host and a view joined by two wires, with the host's handlers able to be replaced per test. */
function pair(options: { viewVersion?: number; requests?: Partial<RequestHandlers<P>> } = {}) {
  const hostLog = collectingLog();
  const viewLog = collectingLog();
  const handled: unknown[] = [];
  const notifications: NotificationOf<P>[] = [];
  const mismatches: number[] = [];
  let readies = 0;
  // Messages arrive later (setImmediate): by then both ends exist.
  const toView = wire((m) => view.receive(m));
  const toHost = wire((m) => host.receive(m));
  const hostOptions: HostChannelOptions<P> = {
    protocol,
    transport: toView,
    log: hostLog.log,
    onReady: () => readies++,
    commands: { refresh: (c) => void handled.push(c), pick: (c) => void handled.push(c) },
    requests: {
      add: ({ a, b }) => a + b,
      greet: async ({ name }) => {
        await settle();
        return { greeting: `hello ${name}` };
      },
      fail: () => {
        throw new Error('The bid is no longer in the pool.');
      },
      ...options.requests,
    },
  };
  const host = new HostChannel(hostOptions);
  const viewProtocol = options.viewVersion === undefined ? protocol : { ...protocol, version: options.viewVersion };
  const view = new ViewChannel(viewProtocol, toHost, { onNotification: (n) => notifications.push(n), onMismatch: (v) => mismatches.push(v) }, viewLog.log);
  return { host, hostOptions, view, toView, toHost, hostLog: hostLog.lines, viewLog: viewLog.lines, handled, notifications, mismatches, readies: () => readies };
}

describe('webview channel: ready handshake and queue', () => {
  it('posts nothing before ready; then the latest notification of each type, before the host sends the whole state', async () => {
    const p = pair();
    p.host.notify({ type: 'state', n: 1 });
    p.host.notify({ type: 'status', text: 'loading' });
    p.host.notify({ type: 'state', n: 2 });
    await settle();
    assert.deepEqual(p.toView.sent, [], 'nothing before ready');
    assert.equal(p.host.ready, false);
    p.view.start();
    await p.host.whenReady();
    await settle();
    assert.deepEqual(p.notifications, [
      { type: 'status', text: 'loading' },
      { type: 'state', n: 2 },
    ]);
    assert.equal(p.readies(), 1);
    p.host.notify({ type: 'state', n: 3 });
    await settle();
    assert.deepEqual(p.notifications.at(-1), { type: 'state', n: 3 }, 'once ready, sent at once');
  });

  it('holds again after a reset (the view reloads) and calls onReady at its next ready', async () => {
    const p = pair();
    p.view.start();
    await p.host.whenReady();
    p.host.reset();
    p.host.notify({ type: 'state', n: 7 });
    await settle();
    assert.deepEqual(p.notifications, []);
    p.view.start();
    await settle();
    assert.deepEqual(p.notifications, [{ type: 'state', n: 7 }]);
    assert.equal(p.readies(), 2);
  });

  it('a view of another version is told to reopen; its requests are refused and its commands dropped', async () => {
    const p = pair({ viewVersion: 2 });
    p.host.notify({ type: 'state', n: 1 });
    p.view.start();
    await settle();
    assert.deepEqual(p.mismatches, [3]);
    assert.equal(p.host.ready, false);
    assert.deepEqual(p.notifications, [], 'the state is not sent to a view that cannot read it');
    await assert.rejects(p.view.request('add', { a: 1, b: 2 }), (e: unknown) => e instanceof RequestFailedError && e.message === MISMATCH_MESSAGE);
    p.view.post({ type: 'refresh' });
    await settle();
    assert.deepEqual(p.handled, []);
    assert.equal(p.readies(), 0);
    assert.match(p.hostLog.warn.join('\n'), /view speaks protocol 2, the host 3/);
  });
});

describe('webview channel: requests', () => {
  it('answers each request with its own value, in whatever order the answers come', async () => {
    const p = pair();
    p.view.start();
    await p.host.whenReady();
    const slow = p.view.request('greet', { name: '  Ada ' });
    const fast = p.view.request('add', { a: 2, b: 40 });
    assert.equal(await fast, 42);
    assert.deepEqual(await slow, { greeting: 'hello Ada' }, 'params are parsed (trimmed) before the handler sees them');
    assert.equal(p.view.pendingRequests, 0);
  });

  it('replies a handler error as a message for the view, sync or async', async () => {
    const p = pair({ requests: { add: () => Promise.reject(new Error('Run the auction first.')) } });
    p.view.start();
    await p.host.whenReady();
    await assert.rejects(p.view.request('fail', {}), (e: unknown) => e instanceof RequestFailedError && e.method === 'fail' && e.message === 'The bid is no longer in the pool.');
    await assert.rejects(p.view.request('add', { a: 1, b: 1 }), /Run the auction first\./);
  });

  it('answers a request with invalid parameters or an unknown method with an error, without calling a handler', async () => {
    let called = 0;
    const p = pair({ requests: { add: () => ++called } });
    p.view.start();
    await p.host.whenReady();
    await assert.rejects(p.view.request('add', { a: 1 } as never), /Invalid add request/);
    assert.equal(p.toHost.sent.filter((m) => (m as { type?: string }).type === 'request').length, 0, 'the view checks its own params before sending');
    // A view that sends them anyway (an older bundle, a bug) gets the same answer from the host.
    const replies: unknown[] = [];
    const raw = new HostChannel({ ...p.hostOptions, transport: { post: (m) => replies.push(m) } });
    raw.receive({ type: 'ready', protocolVersion: 3 });
    raw.receive({ type: 'request', id: 5, method: 'add', params: { a: 'one', b: 2 } });
    raw.receive({ type: 'request', id: 6, method: 'delete', params: {} });
    raw.receive({ type: 'request', id: 7, method: 'toString', params: {} });
    await settle();
    assert.equal(called, 0);
    assert.deepEqual(
      replies.map((r) => [(r as { id: number }).id, (r as { ok: boolean }).ok, (r as { error: string }).error.split(':')[0]]),
      [
        [5, false, 'Invalid add request'],
        [6, false, 'Unknown request'],
        [7, false, 'Unknown request'],
      ],
    );
  });

  it('a handler value that breaks the protocol is not sent: the view gets an error and the host logs it', async () => {
    const p = pair({ requests: { add: () => 'forty-two' as unknown as number } });
    p.view.start();
    await p.host.whenReady();
    await assert.rejects(p.view.request('add', { a: 1, b: 2 }), /could not answer add/);
    assert.match(p.hostLog.error.join('\n'), /the add reply failed validation/);
  });

  it('drops the answer to a view that has gone since it asked', async () => {
    let release: () => void = () => undefined;
    const p = pair({ requests: { add: () => new Promise<number>((r) => (release = () => r(1))) } });
    p.view.start();
    await p.host.whenReady();
    void p.view.request('add', { a: 0, b: 1 });
    await settle();
    p.host.reset();
    release();
    await settle();
    assert.equal(p.toView.sent.filter((m) => (m as { type?: string }).type === 'reply').length, 0);
  });
});

describe('webview channel: malformed messages are dropped and logged, never thrown', () => {
  it('on the host', async () => {
    const p = pair();
    p.view.start();
    await p.host.whenReady();
    for (const raw of [null, undefined, 'ready', 42, { type: 'nope' }, { type: 'pick' }, { type: 'pick', id: '' }, { type: 'ready' }, { type: 'request', id: -1, method: 'add' }, { type: 'request', method: 'add', params: {} }]) {
      assert.doesNotThrow(() => p.host.receive(raw), JSON.stringify(raw));
    }
    await settle();
    assert.deepEqual(p.handled, []);
    assert.equal(p.hostLog.warn.length, 10);
    assert.equal(p.toView.sent.filter((m) => (m as { type?: string }).type === 'reply').length, 0, 'a request without a usable id gets no reply');
    p.host.receive({ type: 'pick', id: 'b1' });
    await settle();
    assert.deepEqual(p.handled, [{ type: 'pick', id: 'b1' }], 'the channel still works');
  });

  it('on the view, including replies to nothing and replies that break the protocol', async () => {
    const p = pair();
    for (const raw of [null, { type: 'state' }, { type: 'state', n: 'one' }, { type: 'reply', id: 99, ok: true, value: 1 }, { type: 'reply', id: 1 }, { type: 'protocolMismatch' }]) {
      assert.doesNotThrow(() => p.view.receive(raw), JSON.stringify(raw));
    }
    assert.deepEqual(p.notifications, []);
    assert.deepEqual(p.mismatches, []);
    assert.equal(p.viewLog.warn.length, 6);
    // A reply whose value is not what the method returns rejects the request rather than handing it on.
    const asked = p.view.request('add', { a: 1, b: 2 });
    const { id } = p.toHost.sent.at(-1) as { id: number };
    p.view.receive({ type: 'reply', id, ok: true, value: 'three' });
    await assert.rejects(asked, /could not be read/);
  });

  it('a notification the host gets wrong is logged and not sent', async () => {
    const p = pair();
    p.view.start();
    await p.host.whenReady();
    p.host.notify({ type: 'state', n: 'x' } as never);
    await settle();
    assert.deepEqual(p.notifications, []);
    assert.match(p.hostLog.error.join('\n'), /state notification failed validation/);
  });

  it('a command handler that throws is logged; the next command still runs', async () => {
    const p = pair();
    const errors: string[] = [];
    const handled: string[] = [];
    const host = new HostChannel({
      ...p.hostOptions,
      log: { warn: () => undefined, error: (m) => errors.push(String(m)) },
      commands: {
        refresh: () => {
          throw new Error('boom');
        },
        pick: (c) => void handled.push(c.id),
      },
      transport: { post: () => undefined },
    });
    host.receive({ type: 'ready', protocolVersion: 3 });
    host.receive({ type: 'refresh' });
    host.receive({ type: 'pick', id: 'b2' });
    await settle();
    assert.match(errors.join('\n'), /boom/);
    assert.deepEqual(handled, ['b2']);
  });
});
