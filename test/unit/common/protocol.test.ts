import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage } from '../../../src/common/protocol/channel';
import { panelProtocol } from '../../../src/common/protocol/panel';

const { commands, notifications, requests } = panelProtocol;

describe('panel protocol', () => {
  it('accepts a task submission as a request, trimmed', () => {
    const r = parseMessage(requests.submitTask.params, { text: '  fix the bug  ' });
    assert.ok(r.ok && r.value.text === 'fix the bug');
    assert.equal(parseMessage(requests.submitTask.result, { taskId: 't1' }).ok, true);
  });
  it('rejects unknown, malformed and empty messages without throwing', () => {
    for (const raw of [null, 'ready', { type: 'nope' }, { type: 'submitTask', text: 'a task is a request now' }, { type: 'removeContextFile' }]) {
      assert.equal(parseMessage(commands, raw).ok, false, JSON.stringify(raw));
    }
    for (const raw of [{ text: '   ' }, {}, { text: 'x'.repeat(20_001) }]) assert.equal(parseMessage(requests.submitTask.params, raw).ok, false, JSON.stringify(raw));
  });
  it('a bid to run names its auction and its bid', () => {
    assert.equal(parseMessage(requests.runBid.params, { auctionId: 'a1', bidId: 'b1' }).ok, true);
    assert.equal(parseMessage(requests.runBid.params, { bidId: 'b1' }).ok, false);
    assert.equal(parseMessage(requests.runBid.result, null).ok, true);
    assert.equal(parseMessage(requests.runBid.result, { runId: 'r1', status: 'finished' }).ok, true);
    assert.equal(parseMessage(requests.runBid.result, { runId: 'r1', status: 'exploded' }).ok, false);
  });
  it('validates the state the host sends', () => {
    assert.equal(parseMessage(notifications, { type: 'state', state: { task: null } }).ok, true);
    assert.equal(parseMessage(notifications, { type: 'state', state: { task: { id: 'x' } } }).ok, false);
  });
});
