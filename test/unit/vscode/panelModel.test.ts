import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import type { PanelTask } from '../../../src/common/protocol/panel';
import { emptyExecutionView } from '../../../src/common/panel/executionView';
import { PanelModel } from '../../../src/vscode/panel/panelModel';

/** VS Code's workspace state as the model uses it: a key-value store (in memory here). */
function memento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: (key: string, value: unknown) => {
      values.set(key, value);
      return Promise.resolve();
    },
  };
}

const task = (text: string): PanelTask => ({ id: `task-${text}`, text, source: 'palette', receivedAt: '2026-12-02T10:00:00.000Z' });

describe('PanelModel.setTask', () => {
  it('takes the finished auction off the screen, so its winner is never shown under the next task', async () => {
    const model = new PanelModel(memento());
    await model.setTask(task('first'));
    model.startAuction('A', 'first', '2026-12-02T10:00:01.000Z');
    model.failAuction('A', 'test', 'ended');
    assert.equal(model.state.auction?.status, 'failed');
    await model.setTask(task('second'));
    assert.equal(model.state.task?.text, 'second');
    assert.equal(model.state.auction, null);
    model.dispose();
  });

  it('keeps an auction that is still running (it ends or is cancelled on its own)', async () => {
    const model = new PanelModel(memento());
    model.startAuction('B', 'first', '2026-12-02T10:00:01.000Z');
    await model.setTask(task('second'));
    assert.equal(model.state.auction?.auctionId, 'B');
    assert.equal(model.state.auction?.status, 'running');
    model.dispose();
  });

  it('takes a finished run off the screen (its "Try the next bid" belongs to the last auction), keeps an open review', async () => {
    const model = new PanelModel(memento());
    const run = emptyExecutionView({ runId: 'r1', auctionId: 'A', bidId: 'b1', modelId: 'm', startedAt: '2026-12-02T10:00:02.000Z' });
    const execution = () => model.state.execution;
    model.setExecution({ ...run, status: 'failed' });
    await model.setTask(task('next'));
    assert.equal(execution(), null);
    model.setExecution({ ...run, status: 'finished', review: 'reviewing' });
    await model.setTask(task('after'));
    assert.equal(execution()?.runId, 'r1', 'a review still open is kept');
    model.setExecution({ ...run, status: 'running' });
    await model.setTask(task('later'));
    assert.equal(execution()?.status, 'running');
    model.dispose();
  });
});
