import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as z from 'zod';
import type { Logger } from '../../../src/common/log';
import { defineProtocol } from '../../../src/common/protocol/channel';
import { WebviewChannel, type WebviewPort } from '../../../src/vscode/webviewChannel';

const protocol = defineProtocol({
  name: 'test view',
  version: 1,
  commands: z.discriminatedUnion('type', [z.object({ type: z.literal('refresh') })]),
  notifications: z.discriminatedUnion('type', [z.object({ type: z.literal('state'), n: z.number() })]),
  requests: { double: { params: z.object({ n: z.number() }), result: z.number() } },
});

/**
 * VS Code's `Webview` as the channel uses it: `postMessage` (a Thenable; a disposed webview throws) and the
 * `onDidReceiveMessage` event. `fromView` plays a message the view's script posts.
 */
function fakeWebview() {
  const posted: unknown[] = [];
  const listeners = new Set<(m: unknown) => unknown>();
  let disposed = false;
  const webview: WebviewPort = {
    postMessage: (m: unknown) => {
      if (disposed) throw new Error('Webview is disposed');
      posted.push(m);
      return Promise.resolve(true);
    },
    onDidReceiveMessage: (listener: (m: unknown) => unknown) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
  };
  return {
    webview,
    posted,
    listeners,
    fromView: (m: unknown) => {
      for (const l of [...listeners]) l(m);
    },
    dispose: () => (disposed = true),
  };
}

function logger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const log: Logger & { warnings: string[] } = {
    warnings,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (m: string) => warnings.push(m),
    error: (m: string | Error) => warnings.push(String(m)),
    topic: () => log,
  };
  return log;
}

const settle = () => new Promise((r) => setImmediate(() => setImmediate(r)));

function channel(log = logger()) {
  const refreshes: unknown[] = [];
  let readies = 0;
  const c = new WebviewChannel({
    protocol,
    commands: { refresh: (m) => void refreshes.push(m) },
    requests: { double: ({ n }) => n * 2 },
    onReady: () => readies++,
    log,
  });
  return { c, refreshes, readies: () => readies, log };
}

describe('WebviewChannel (the host adapter over VS Code webviews)', () => {
  it('serves the attached webview: holds the state until ready, then answers its commands and requests', async () => {
    const { c, refreshes, readies } = channel();
    const w = fakeWebview();
    c.attach(w.webview);
    c.notify({ type: 'state', n: 1 });
    assert.deepEqual(w.posted, []);
    assert.equal(c.ready, false);
    w.fromView({ type: 'ready', protocolVersion: 1 });
    assert.equal(c.ready, true);
    assert.equal(readies(), 1);
    assert.deepEqual(w.posted, [{ type: 'state', n: 1 }]);
    w.fromView({ type: 'refresh' });
    w.fromView({ type: 'request', id: 4, method: 'double', params: { n: 21 } });
    await settle();
    assert.deepEqual(refreshes, [{ type: 'refresh' }]);
    assert.deepEqual(w.posted.at(-1), { type: 'reply', id: 4, ok: true, value: 42 });
    await c.whenReady();
  });

  it('a new webview replaces the old one: the old one is no longer heard, the new one gets nothing before its ready', async () => {
    const { c, refreshes } = channel();
    const first = fakeWebview();
    c.attach(first.webview);
    first.fromView({ type: 'ready', protocolVersion: 1 });
    const second = fakeWebview();
    c.attach(second.webview);
    assert.equal(first.listeners.size, 0, 'the old listener is disposed');
    first.fromView({ type: 'refresh' });
    c.notify({ type: 'state', n: 2 });
    await settle();
    assert.deepEqual(refreshes, []);
    assert.deepEqual(second.posted, []);
    assert.deepEqual(first.posted, [], 'nothing goes to the old view either');
    second.fromView({ type: 'ready', protocolVersion: 1 });
    assert.deepEqual(second.posted, [{ type: 'state', n: 2 }]);
  });

  it('a hidden view that reloads says ready again and gets what was posted meanwhile', () => {
    const { c, readies } = channel();
    const w = fakeWebview();
    c.attach(w.webview);
    w.fromView({ type: 'ready', protocolVersion: 1 });
    c.expectReload();
    c.notify({ type: 'state', n: 3 });
    c.notify({ type: 'state', n: 4 });
    assert.deepEqual(w.posted, []);
    w.fromView({ type: 'ready', protocolVersion: 1 });
    assert.deepEqual(w.posted, [{ type: 'state', n: 4 }]);
    assert.equal(readies(), 2);
  });

  it('after detach, and with a webview disposed under it, nothing throws; a lost post is logged', async () => {
    const { c, log } = channel();
    const w = fakeWebview();
    c.attach(w.webview);
    w.fromView({ type: 'ready', protocolVersion: 1 });
    w.dispose();
    assert.doesNotThrow(() => c.notify({ type: 'state', n: 5 }));
    assert.match(log.warnings.join('\n'), /not delivered: Webview is disposed/);
    c.detach();
    assert.equal(c.ready, false);
    assert.equal(w.listeners.size, 0);
    assert.doesNotThrow(() => c.notify({ type: 'state', n: 6 }));
    await settle();
  });

  it('a view of another protocol version is asked to reopen and gets no state', () => {
    const { c, readies, log } = channel();
    const w = fakeWebview();
    c.attach(w.webview);
    c.notify({ type: 'state', n: 1 });
    w.fromView({ type: 'ready', protocolVersion: 0 });
    assert.deepEqual(w.posted, [{ type: 'protocolMismatch', protocolVersion: 1 }]);
    assert.equal(readies(), 0);
    assert.match(log.warnings.join('\n'), /view speaks protocol 0, the host 1/);
  });
});
