import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostToView, ViewToHost, parseMessage } from '../../../src/common/protocol/panel';

describe('panel protocol', () => {
  it('accepts the ready handshake and a task submission', () => {
    assert.equal(parseMessage(ViewToHost, { type: 'ready', protocolVersion: 1 }).ok, true);
    const r = parseMessage(ViewToHost, { type: 'submitTask', text: '  fix the bug  ' });
    assert.ok(r.ok && r.value.type === 'submitTask' && r.value.text === 'fix the bug');
  });
  it('rejects unknown, malformed and empty messages without throwing', () => {
    for (const raw of [null, 'ready', { type: 'nope' }, { type: 'submitTask', text: '   ' }, { type: 'submitTask' }]) {
      assert.equal(parseMessage(ViewToHost, raw).ok, false, JSON.stringify(raw));
    }
  });
  it('validates the state the host sends', () => {
    assert.equal(parseMessage(HostToView, { type: 'state', state: { task: null } }).ok, true);
    assert.equal(parseMessage(HostToView, { type: 'state', state: { task: { id: 'x' } } }).ok, false);
  });
});
