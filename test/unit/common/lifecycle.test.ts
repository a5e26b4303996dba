import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DisposableStore, Emitter, registerEach, toDisposable } from '../../../src/common/lifecycle';

describe('DisposableStore', () => {
  it('disposes its items newest first, once', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push('a')));
    store.add(toDisposable(() => order.push('b')));
    store.dispose();
    store.dispose();
    assert.deepEqual(order, ['b', 'a']);
  });
  it('disposes at once what is added after it was disposed', () => {
    const store = new DisposableStore();
    store.dispose();
    let disposed = false;
    store.add(toDisposable(() => (disposed = true)));
    assert.equal(disposed, true);
  });
  it('disposes every item even when one throws, then rethrows', () => {
    const store = new DisposableStore();
    let second = false;
    store.add(toDisposable(() => (second = true)));
    store.add(toDisposable(() => { throw new Error('boom'); }));
    assert.throws(() => store.dispose(), /boom/);
    assert.equal(second, true);
  });
});

describe('Emitter', () => {
  it('delivers to listeners until their registration is disposed', () => {
    const e = new Emitter<number>();
    const seen: number[] = [];
    const sub = e.event((n) => seen.push(n));
    e.fire(1);
    sub.dispose();
    e.fire(2);
    assert.deepEqual(seen, [1]);
  });
});

describe('registerEach', () => {
  it('logs a contribution that throws at registration and still registers the others', () => {
    const errors: string[] = [];
    const registered: string[] = [];
    const { disposables, failed } = registerEach(
      [
        { name: 'first', register: () => [toDisposable(() => registered.push('first disposed'))] },
        { name: 'broken', register: () => { throw new Error('view id taken'); } },
        { name: 'last', register: () => [toDisposable(() => registered.push('last disposed'))] },
      ],
      { error: (m) => errors.push(m) },
    );
    assert.deepEqual(failed, ['broken']);
    assert.equal(disposables.length, 2);
    assert.match(errors[0] ?? '', /The broken contribution failed to register.*view id taken/s);
    for (const d of disposables) d.dispose();
    assert.deepEqual(registered, ['first disposed', 'last disposed']);
  });
});
