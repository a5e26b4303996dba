import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryState, foldOutcome, labelQuality } from '../../../../src/common/memory/fold';
import { MEMORY_SCHEMA_VERSION } from '../../../../src/common/memory/records';
import { accepted, auction, outcome, rejected } from './builders';

describe('foldOutcome', () => {
  it('has no label before any verdict', () => {
    assert.equal(foldOutcome([]), undefined);
    assert.equal(foldOutcome([outcome('a', { type: 'execution-cost', inputTokens: 1, outputTokens: 1 })]), undefined);
  });

  it('labels a review by its files: all accepted, some, none', () => {
    assert.equal(foldOutcome([outcome('a', accepted)]), 'accepted');
    assert.equal(foldOutcome([outcome('a', rejected)]), 'rejected');
    const mixed = { type: 'review' as const, files: [{ path: 'a', decision: 'accepted' as const }, { path: 'b', decision: 'rejected' as const }] };
    assert.equal(foldOutcome([outcome('a', mixed)]), 'partially-accepted');
    const hunks = { type: 'review' as const, files: [{ path: 'a', decision: 'partial' as const, hunks: [{ index: 0, accepted: true }, { index: 1, accepted: false }] }] };
    assert.equal(foldOutcome([outcome('a', hunks)]), 'partially-accepted');
    assert.equal(foldOutcome([outcome('a', { type: 'review', files: [], overall: 'accepted' })]), 'accepted');
  });

  it('lets tests after apply decide, and an undo override both', () => {
    assert.equal(foldOutcome([outcome('a', accepted), outcome('a', { type: 'tests', passed: true })]), 'tests-passed');
    assert.equal(foldOutcome([outcome('a', accepted), outcome('a', { type: 'tests', passed: false })]), 'tests-failed');
    assert.equal(foldOutcome([outcome('a', accepted), outcome('a', { type: 'tests', passed: false }), outcome('a', { type: 'tests', passed: true })]), 'tests-passed');
    assert.equal(foldOutcome([outcome('a', accepted), outcome('a', { type: 'tests', passed: true }), outcome('a', { type: 'undone' })]), 'undone');
  });

  it('starts over at a new review, and keeps a rejection even if tests ran', () => {
    assert.equal(foldOutcome([outcome('a', accepted), outcome('a', { type: 'undone' }), outcome('a', accepted)]), 'accepted');
    assert.equal(foldOutcome([outcome('a', rejected), outcome('a', { type: 'tests', passed: true })]), 'rejected');
  });

  it('classes labels by what they say about the work', () => {
    assert.deepEqual(
      (['accepted', 'partially-accepted', 'tests-passed', 'rejected', 'undone', 'tests-failed', undefined] as const).map(labelQuality),
      ['good', 'good', 'good', 'bad', 'bad', 'bad', 'unknown'],
    );
  });
});

describe('MemoryState', () => {
  it('folds an auction and its events into one view, in time order whatever the arrival order', () => {
    const s = new MemoryState();
    s.ingest(outcome('a1', { type: 'undone' }, '2026-01-03T00:00:00.000Z'));
    s.ingest(auction('a1', 'task', 'big', ['small']));
    s.ingest(outcome('a1', accepted, '2026-01-02T00:00:00.000Z'));
    const v = s.get('a1');
    assert.ok(v);
    assert.equal(v.label, 'undone');
    assert.equal(v.head.winner?.modelId, 'big');
    assert.equal(v.outcomeCount, 2);
    assert.deepEqual(s.eventLines('a1').map(({ line }) => ('kind' in line ? line.fact.type : 'on disk')), ['review', 'undone']);
  });

  it('ignores a second copy of an auction or an event (local and team files merged)', () => {
    const s = new MemoryState();
    const full = auction('a1', 'full local task', 'big', []);
    s.ingest(full);
    s.ingest({ ...full, task: 'sanitised team copy' });
    const o = outcome('a1', { type: 'execution-cost', inputTokens: 100, outputTokens: 10, dollars: 0.5 });
    s.ingest(o);
    s.ingest(o);
    assert.equal(s.size, 1);
    assert.equal(s.get('a1')?.head.task, 'full local task');
    assert.deepEqual(s.get('a1')?.execution, { inputTokens: 100, outputTokens: 10, dollars: 0.5 });
  });

  it('reports an unknown price as unknown dollars, never as a partial sum', () => {
    const s = new MemoryState();
    s.ingest(auction('a1', 't', 'big', []));
    s.ingest(outcome('a1', { type: 'execution-cost', inputTokens: 1, outputTokens: 1, dollars: 0.5 }));
    s.ingest(outcome('a1', { type: 'execution-cost', inputTokens: 2, outputTokens: 2 }));
    assert.deepEqual(s.get('a1')?.execution, { inputTokens: 3, outputTokens: 3, dollars: undefined });
  });

  it('keeps a deleted auction deleted when a copy arrives afterwards', () => {
    const deletedIds: string[] = [];
    const s = new MemoryState({ onDeleted: (id) => deletedIds.push(id) });
    s.ingest(auction('a1', 't', 'big', []));
    s.ingest({ v: MEMORY_SCHEMA_VERSION, kind: 'deleted', id: 'a1/deleted', auctionId: 'a1', time: '2026-01-05T00:00:00.000Z' });
    s.ingest(auction('a1', 't', 'big', []));
    s.ingest(outcome('a1', accepted));
    assert.equal(s.get('a1'), undefined);
    assert.deepEqual(deletedIds, ['a1']);
  });
});
