import assert from 'node:assert/strict';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { predictSuccess } from '../../../../src/common/learning/successPredictor';
import { memoryTrackRecord, type TrackRecordSource } from '../../../../src/common/memory/trackRecordPort';
import { MemoryStore } from '../../../../src/node/memory/memoryStore';
import { trackRecordSourceOf } from '../../../../src/node/memory/trackRecordSource';
import { accepted, auction, outcome, rejected } from '../../common/memory/builders';
import { tempDir } from './helpers';

const query = { task: 'Fix the date parser for ISO weeks', modelIds: ['good', 'bad'], jurorIds: [] };
const noJury = (modelId: string) => ({ modelId, jury: [] });

describe('the track record over the workspace memory', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let store: MemoryStore;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    store = await MemoryStore.open({ localPath: path.join(dir, 'memory.jsonl'), snapshot: false });
    // Six auctions each: `good`'s work was accepted every time, `bad`'s rejected every time.
    for (let i = 0; i < 6; i++) {
      for (const [model, fact] of [['good', accepted], ['bad', rejected]] as const) {
        const id = `${model}_${i}`;
        await store.recordAuction(auction(id, `Fix the date parser, case ${i}`, model, [], { time: `2026-01-01T00:0${i}:00.000Z` }));
        await store.recordOutcomeLine(outcome(id, fact, `2026-01-01T00:0${i}:30.000Z`, `${id}:${model}`));
      }
    }
    // An auction nobody ran: no outcome, so nothing to learn from it.
    await store.recordAuction(auction('unrun', 'Fix the date parser again', 'bad', []));
  });
  afterEach(async () => {
    store.dispose();
    await cleanup();
  });

  it('learns from the recorded outcomes: the accepted model is predicted to succeed more often', async () => {
    const port = memoryTrackRecord(() => Promise.resolve(trackRecordSourceOf(store)));
    const record = await port.load(query, new AbortController().signal);
    const good = predictSuccess(record, noJury('good'));
    const bad = predictSuccess(record, noJury('bad'));
    assert.ok(good.p > bad.p, `${good.p} > ${bad.p}`);
    assert.ok(good.outcomes >= 6 && bad.outcomes >= 6, `outcomes counted: ${good.outcomes}, ${bad.outcomes}`);
  });

  it('reads at most maxAuctions auctions with outcomes, never one without outcomes', async () => {
    const read: string[] = [];
    const source = trackRecordSourceOf(store);
    const counting: TrackRecordSource = { ...source, auction: (id) => (read.push(id), source.auction(id)) };
    const port = memoryTrackRecord(() => Promise.resolve(counting), { maxAuctions: 3, concurrency: 2 });
    await port.load(query, new AbortController().signal);
    assert.equal(read.length, 3);
    assert.ok(!read.includes('unrun'));
  });

  it('stops when the auction is cancelled', async () => {
    const abort = new AbortController();
    const source = trackRecordSourceOf(store);
    const cancelling: TrackRecordSource = { ...source, similar: (task, k, signal) => source.similar(task, k, signal).finally(() => abort.abort()) };
    const port = memoryTrackRecord(() => Promise.resolve(cancelling));
    await assert.rejects(port.load(query, abort.signal), (e: Error) => e.name === 'AbortError' || /cancel/i.test(e.message));
  });

  it('gives up with a reason when the memory does not open before the deadline', async () => {
    const port = memoryTrackRecord(() => new Promise<TrackRecordSource>(() => undefined), { deadlineMs: 20 });
    await assert.rejects(port.load(query, new AbortController().signal), /did not open in time/);
  });
});
