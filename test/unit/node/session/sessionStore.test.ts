// The session log: journal facts in → the session log's lines → a reloaded window's sessions out, over a real file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as lockfile from 'proper-lockfile';
import { runAuction } from '../../../../src/common/auction/engine';
import type { AuctionContext, AuctionResult } from '../../../../src/common/auction/types';
import { Journal, journalEntries } from '../../../../src/common/journal/journal';
import type { PanelTask } from '../../../../src/common/protocol/panel';
import { reviewLabel } from '../../../../src/common/protocol/outcomes';
import { AuctionSessions, type AuctionSession } from '../../../../src/common/session/auctionSession';
import { chooseNextBid } from '../../../../src/common/session/escalation';
import { persistSessions } from '../../../../src/common/session/sessionPersistence';
import { runsLine, sessionLine, SESSION_RECORD_VERSION } from '../../../../src/common/session/sessionRecord';
import { SESSION_LOG_FILE, SessionStore } from '../../../../src/node/session/sessionStore';
import { bidJson, depsFor, judgeJson, ScriptedClient, spec } from '../../common/auction/scriptedClient';
import { collectingLogger, tempDir } from '../memory/helpers';

const task = (id: string, text: string): PanelTask => ({ id, text, source: 'palette', receivedAt: '2026-12-01T10:00:00.000Z' });
const context: AuctionContext = { files: [{ path: 'src/config.ts', content: 'export const port = 80;\n' }], selection: { file: 'src/config.ts', startLine: 1, endLine: 1, text: 'export const port = 80;' } };

/** A real auction of two scripted bidders; the jury prefers `big`. */
async function finished(auctionId: string, text: string): Promise<AuctionResult> {
  const clients = ['small', 'big'].map((m, i) => new ScriptedClient(spec(m, [1, 5][i]), { judge: (author) => ({ text: judgeJson(author === 'big' ? 5 : 2) }), bid: { text: bidJson(`${m}-${auctionId}`) } }));
  return runAuction({ auctionId, task: text, pool: ['small', 'big'], weights: { cost: 1e-3 }, refinement: { enabled: false } }, depsFor(clients));
}

/** A window: its sessions, a journal over collecting sinks, and the session log persisted from the journal's facts. */
function window(dir: string) {
  const log = collectingLogger();
  const sessions = new AuctionSessions();
  let n = 0;
  const journal = new Journal({ memory: { appendAuction: () => Promise.resolve(), appendOutcome: () => Promise.resolve() }, ledger: { appendFact: () => undefined } }, log, () => ({ time: new Date().toISOString(), id: `out-${++n}` }));
  const store = new SessionStore(dir, log);
  const pending: Promise<unknown>[] = [];
  // Every append is awaited by the test before the "reload", as the real window's appends are on disk when they resolve.
  const persistence = persistSessions(journal, sessions, { append: (line) => (pending.push(store.append(line)), pending.at(-1) as Promise<unknown>) }, log);
  return { sessions, journal, store, log, persistence, settled: () => Promise.all(pending) };
}

/** Runs an auction to its end in `w`, as the auction controller does: the session finishes, then the journal records it. */
async function auction(w: ReturnType<typeof window>, id: string, text: string): Promise<AuctionSession> {
  const session = w.sessions.start(id, task(`t-${id}`, text), context);
  const result = await finished(id, text);
  session.finish(result);
  await w.journal.record({ type: 'auction-recorded', result, contextFiles: ['src/config.ts'] });
  return session;
}

/** Auctions `ids` in `w`, each with three finished runs of its winner: four log lines each. */
async function auctionsWithRuns(w: ReturnType<typeof window>, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const s = await auction(w, id, `task ${id}`);
    const bid = s.bid() ?? assert.fail('a winner');
    for (let r = 0; r < 3; r++) {
      s.startRun(`${id}-run-${r}`, bid).status = 'finished';
      await w.journal.record({ type: 'bid-executed', auctionId: id, bidId: bid.id, modelId: bid.modelId, status: 'finished', staged: 0, usage: { inputTokens: 1, outputTokens: 1 }, attempt: 1 });
    }
  }
}

describe('session log: a reload restores the sessions from the journal\'s facts', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('an auction, a rejected run and a run in flight → the restored session runs the winner, offers the next bid, and shows the in-flight run as interrupted', async () => {
    const w = window(dir);
    const a = await auction(w, 'A', 'Make the port configurable');
    const result = a.result as AuctionResult;
    const winner = a.bid() ?? assert.fail('a winner');
    // The winner runs, its work is rejected (as the execution controller and the review state the facts).
    const first = a.startRun('run-1', winner);
    const started = { type: 'run-started', auctionId: 'A', bidId: winner.id, modelId: winner.modelId, runId: 'run-1', attempt: first.attempt } as const;
    assert.deepEqual(journalEntries(started, { time: 't', id: 'i' }), { memory: [], ledger: [] }, 'a run start is for the session log only');
    await w.journal.record(started);
    first.status = 'finished';
    first.evidence = { summary: 'made it configurable', diff: '--- a/src/config.ts' };
    await w.journal.record({ type: 'bid-executed', auctionId: 'A', bidId: winner.id, modelId: winner.modelId, status: 'finished', staged: 1, usage: { inputTokens: 10, outputTokens: 5 }, attempt: 1 });
    const files = [{ path: 'src/config.ts', decision: 'rejected' as const }];
    first.applied = true;
    first.review = reviewLabel(files);
    await w.journal.record({ type: 'reviewed', auctionId: 'A', bidId: winner.id, modelId: winner.modelId, files });
    // A newer auction, and a run of its winner still in flight when the window goes away.
    const b = await auction(w, 'B', 'Log the port');
    const bWinner = b.bid() ?? assert.fail('a winner of B');
    b.startRun('run-2', bWinner);
    await w.journal.record({ type: 'run-started', auctionId: 'B', bidId: bWinner.id, modelId: bWinner.modelId, runId: 'run-2', attempt: 1 });
    await w.settled();

    // The reload: a new window reads the same folder.
    const log = collectingLogger();
    const reloaded = new AuctionSessions();
    reloaded.restore(new SessionStore(dir, log).restore());
    await reloaded.whenRestored();

    const runWinner = reloaded.resolveRun({});
    assert.ok(!('refused' in runWinner), 'the newest finished auction is there to run');
    assert.equal(runWinner.session.id, 'B');
    const restoredA = reloaded.get('A') ?? assert.fail('A is restored');
    assert.deepEqual(restoredA.context, context, 'the context the auction ran with, not rebuilt from today\'s files');
    assert.deepEqual(restoredA.task, task('t-A', 'Make the port configurable'));
    assert.equal(restoredA.status, 'finished');
    assert.deepEqual(restoredA.result?.ranking.map((r) => [r.bidId, r.eligible]), result.ranking.map((r) => [r.bidId, r.eligible]));
    const resolvedA = reloaded.resolveRun({ auctionId: 'A', bidId: winner.id });
    assert.ok(!('refused' in resolvedA));
    assert.equal(resolvedA.bid.planText, winner.planText);
    assert.deepEqual(restoredA.runs.map((r) => [r.runId, r.status, r.review, r.applied]), [['run-1', 'finished', 'rejected', true]]);
    assert.equal(restoredA.runs[0]?.evidence?.summary, 'made it configurable', 'what the next attempt learns from survives');
    // "Try the next bid" on the restored session: the other model's bid, escalating from the rejected winner.
    const next = chooseNextBid(restoredA);
    assert.ok(!('refused' in next), JSON.stringify(next));
    assert.notEqual(next.bid.id, winner.id);
    assert.equal(next.escalatedFrom, winner.id);
    assert.equal(next.attempt, 2);

    const restoredB = reloaded.get('B') ?? assert.fail('B is restored');
    assert.deepEqual(restoredB.runs.map((r) => [r.runId, r.status, r.interrupted]), [['run-2', 'cancelled', true]], 'not "running" forever');
    const afterInterrupt = chooseNextBid(restoredB);
    assert.ok('refused' in afterInterrupt && afterInterrupt.refused === 'not-failed', 'an interrupted run is no failure to escalate from');
    assert.equal(log.warnings.length, 0);
  });

  it('a half-written line and a line of a newer version are skipped with a warning; the other sessions are restored', async () => {
    const w = window(dir);
    await auction(w, 'A', 'First task');
    await w.settled();
    const file = path.join(dir, SESSION_LOG_FILE);
    const newer = { v: SESSION_RECORD_VERSION + 1, kind: 'session', auctionId: 'FUTURE', time: new Date().toISOString(), shape: 'unknown' };
    await fs.appendFile(file, `${JSON.stringify(newer)}\n{"v":1,"kind":"session","auctionId":"TORN","ti\n`);
    const w2 = window(dir);
    await auction(w2, 'C', 'Third task');
    await w2.settled();
    // A crash in the middle of the last write leaves a tail without its newline.
    await fs.appendFile(file, '{"v":1,"kind":"runs","auctionId":"C","time":"2026');

    const log = collectingLogger();
    const restored = await new SessionStore(dir, log).restore();
    assert.deepEqual(restored.map((s) => s.id), ['A', 'C']);
    assert.equal(log.warnings.filter((m) => m.startsWith('session log: skipped 3 line(s)')).length, 1, log.warnings.join('\n'));
    assert.ok(restored.every((s) => s.result?.winner), 'each restored session has its result');
  });

  it('keeps the newest sessions; the log is compacted to the lines that state them and restores the same', async () => {
    const w = window(dir);
    const ids = Array.from({ length: 6 }, (_, i) => `S${i}`);
    await auctionsWithRuns(w, ids);
    await w.settled();
    const file = path.join(dir, SESSION_LOG_FILE);
    const before = (await fs.readFile(file, 'utf8')).trim().split('\n').length;
    assert.equal(before, 6 * 4);
    const first = new SessionStore(dir, collectingLogger());
    const restored = await first.restore(3);
    assert.deepEqual(restored.map((s) => s.id), ['S3', 'S4', 'S5']);
    await first.settled();
    const after = (await fs.readFile(file, 'utf8')).trim().split('\n');
    assert.equal(after.length, 3 * 2, 'each kept session: its session line and its newest runs line');
    const again = await new SessionStore(dir, collectingLogger()).restore(3);
    assert.deepEqual(again.map((s) => [s.id, s.runs.length]), restored.map((s) => [s.id, s.runs.length]));
    assert.deepEqual(again.map((s) => s.runs.length), [3, 3, 3]);
  });

  it('two windows compacting at once keep every restored session with its runs', async () => {
    const w = window(dir);
    await auctionsWithRuns(w, ['C0', 'C1', 'C2', 'C3']);
    await w.settled();
    const [a, b] = [new SessionStore(dir, collectingLogger()), new SessionStore(dir, collectingLogger())];
    await Promise.all([a.restore(2), b.restore(2)]);
    await Promise.all([a.settled(), b.settled()]);
    const again = await new SessionStore(dir, collectingLogger()).restore(2);
    assert.deepEqual(again.map((s) => [s.id, s.runs.length]), [['C2', 3], ['C3', 3]]);
  });

  it('a compaction that fails loses nothing: the sessions read are restored and the failure is logged', async () => {
    const w = window(dir);
    await auctionsWithRuns(w, ['F0', 'F1', 'F2']);
    await w.settled();
    // Another window holds the log's lock past this window's patience: the compaction cannot run.
    const release = await lockfile.lock(path.join(dir, SESSION_LOG_FILE), { realpath: false, stale: 60_000 });
    try {
      const log = collectingLogger();
      const store = new SessionStore(dir, log, { lockTimeoutMs: 150 });
      const restored = await store.restore(1);
      assert.deepEqual(restored.map((s) => [s.id, s.runs.length]), [['F2', 3]], 'restored before the compaction ends');
      await store.settled();
      assert.ok(log.warnings.some((l) => /could not compact/.test(l)), log.warnings.join('\n'));
    } finally {
      await release();
    }
    assert.equal((await fs.readFile(path.join(dir, SESSION_LOG_FILE), 'utf8')).trim().split('\n').length, 3 * 4, 'the log stays as it was');
  });

  it('an undone apply is restored as undone: the restored session offers the next bid', async () => {
    const w = window(dir);
    const a = await auction(w, 'U', 'Rename the port');
    const winner = a.bid() ?? assert.fail('a winner');
    const run = a.startRun('run-u', winner);
    run.status = 'finished';
    await w.journal.record({ type: 'bid-executed', auctionId: 'U', bidId: winner.id, modelId: winner.modelId, status: 'finished', staged: 1, usage: { inputTokens: 1, outputTokens: 1 }, attempt: 1 });
    const files = [{ path: 'src/config.ts', decision: 'accepted' as const }];
    Object.assign(run, { applied: true, review: reviewLabel(files), checkpointId: 'cp-1' });
    await w.journal.record({ type: 'reviewed', auctionId: 'U', bidId: winner.id, modelId: winner.modelId, files });
    // As `sale.undoLastAuction` does: the session's run first, then the fact the session log follows.
    const undone = w.sessions.get('U')?.runWithCheckpoint('cp-1') ?? assert.fail('the run of the checkpoint');
    undone.undone = true;
    await w.journal.record({ type: 'undone', auctionId: 'U', bidId: winner.id, files: ['src/config.ts'] });
    await w.settled();
    const [restored] = await new SessionStore(dir, collectingLogger()).restore();
    assert.deepEqual(restored?.runs.map((r) => [r.review, r.checkpointId, r.undone]), [['accepted', 'cp-1', true]]);
    const next = chooseNextBid(restored ?? assert.fail('restored'));
    assert.ok(!('refused' in next), JSON.stringify(next));
    assert.equal(next.escalatedFrom, winner.id);
  });

  it('a session of this window is kept over the restored copy, and the restored ones come before it', async () => {
    const w = window(dir);
    await auction(w, 'OLD', 'old task');
    await w.settled();
    const now = new AuctionSessions();
    const fresh = now.start('NEW', task('t-new', 'new task'), {});
    fresh.finish(await finished('NEW', 'new task'));
    now.restore(new SessionStore(dir, collectingLogger()).restore());
    await now.whenRestored();
    const latest = now.latestFinished();
    assert.equal(latest?.id, 'NEW', 'what was started in this window is newer than anything restored');
    assert.ok(now.get('OLD'));
  });

  it('forgetting auctions (the memory\'s delete and clear) leaves none of their task or context text in the log', async () => {
    const w = window(dir);
    await auction(w, 'KEEP', 'task to keep');
    await auction(w, 'GONE', 'secret task to forget');
    await w.settled();
    const file = path.join(dir, SESSION_LOG_FILE);
    // A newer version's line about the forgotten auction, and one about another.
    await fs.appendFile(file, `${JSON.stringify({ v: SESSION_RECORD_VERSION + 1, kind: 'session', auctionId: 'GONE', note: 'secret task to forget' })}\n${JSON.stringify({ v: SESSION_RECORD_VERSION + 1, kind: 'session', auctionId: 'OTHER' })}\n`);
    const before = (await fs.readFile(file, 'utf8')).split('\n').filter((l) => l.includes('"GONE"')).length;
    assert.ok(before >= 2, 'the forgotten auction has lines of this version and a newer one');

    const { dropped } = await w.store.forget(['GONE']);
    assert.equal(dropped, before, 'every line about it goes, the newer one included');
    const after = await fs.readFile(file, 'utf8');
    assert.doesNotMatch(after, /secret task to forget/);
    assert.match(after, /"OTHER"/, 'a newer line about another auction stays');
    assert.deepEqual((await new SessionStore(dir, collectingLogger()).restore()).map((s) => s.id), ['KEEP']);

    // A write torn inside a multi-byte character: not valid UTF-8, and it still holds task text.
    await fs.appendFile(file, Buffer.concat([Buffer.from('{"v":1,"kind":"session","auctionId":"T","task":"geheime Aufgabe '), Buffer.from([0xc3]), Buffer.from('\n')]));
    await w.store.forget(['OTHER-ID']);
    assert.match(await fs.readFile(file, 'latin1'), /geheime Aufgabe/, 'a delete of another auction keeps it (whose it is cannot be told)');
    await w.store.forget();
    assert.equal((await fs.readFile(file, 'utf8')).trim(), '', 'a clear leaves nothing, newer and broken lines included');
    assert.deepEqual(await new SessionStore(dir, collectingLogger()).restore(), []);
  });

  it('a key in the task, the context, a plan or a run\'s evidence never reaches the log: every string is redacted', async () => {
    const key = 'sk-proj-Abc123Def456Ghi789Jkl012';
    const w = window(dir);
    const session = w.sessions.start('K', task('t-k', `Use ${key} to call the API`), { files: [{ path: '.env', content: `OPENAI_API_KEY=${key}\n` }] });
    const result = await finished('K', `Use ${key} to call the API`);
    session.finish(result);
    await w.journal.record({ type: 'auction-recorded', result, contextFiles: ['.env'] });
    const bid = session.bid() ?? assert.fail('a winner');
    const run = session.startRun('K-run', bid);
    run.status = 'failed';
    run.evidence = { summary: `exported ${key}`, diff: `+token = "${key}"`, testOutput: `Authorization: Bearer ${key}` };
    await w.journal.record({ type: 'bid-executed', auctionId: 'K', bidId: bid.id, modelId: bid.modelId, status: 'failed', staged: 0, usage: { inputTokens: 1, outputTokens: 1 }, attempt: 1 });
    await w.settled();
    const text = await fs.readFile(path.join(dir, SESSION_LOG_FILE), 'utf8');
    assert.ok(!text.includes(key), text);
    assert.match(text, /\[redacted\]/);
    const [restored] = await new SessionStore(dir, collectingLogger()).restore();
    assert.equal(restored?.task.text, 'Use [redacted] to call the API');
  });

  it('a forgotten auction gets no more lines, even when a fact about it comes later; flush waits for pending lines', async () => {
    const w = window(dir);
    const a = await auction(w, 'X', 'task to forget');
    await w.persistence.flush();
    w.persistence.forget(['X']);
    await w.store.forget(['X']);
    const bid = a.bid() ?? assert.fail('a winner');
    a.startRun('X-run', bid).status = 'finished';
    await w.journal.record({ type: 'bid-executed', auctionId: 'X', bidId: bid.id, modelId: bid.modelId, status: 'finished', staged: 0, usage: { inputTokens: 1, outputTokens: 1 }, attempt: 1 });
    await w.persistence.flush();
    assert.equal((await fs.readFile(path.join(dir, SESSION_LOG_FILE), 'utf8')).trim(), '');
    // Other auctions are still written; a clear forgets every session the window holds.
    await auction(w, 'Y', 'another task');
    await w.persistence.flush();
    assert.match(await fs.readFile(path.join(dir, SESSION_LOG_FILE), 'utf8'), /another task/);
    w.persistence.forget();
    const y = w.sessions.get('Y') ?? assert.fail('Y');
    y.startRun('Y-run', y.bid() ?? assert.fail('a winner')).status = 'finished';
    await w.journal.record({ type: 'bid-executed', auctionId: 'Y', bidId: 'b', modelId: 'm', status: 'finished', staged: 0, usage: { inputTokens: 1, outputTokens: 1 }, attempt: 1 });
    await w.persistence.flush();
    assert.equal((await fs.readFile(path.join(dir, SESSION_LOG_FILE), 'utf8')).trim().split('\n').length, 1, 'nothing more about Y');
  });

  it('session and runs lines round-trip what a session holds; a running auction has no session line yet', async () => {
    const sessions = new AuctionSessions();
    const s = sessions.start('R', task('t', 'x'), context);
    assert.equal(sessionLine(s, 'now'), undefined);
    s.finish(await finished('R', 'x'));
    const line = sessionLine(s, 'now');
    assert.equal(line?.kind, 'session');
    assert.deepEqual(JSON.parse(JSON.stringify(line?.result)) as unknown, JSON.parse(JSON.stringify(s.result)) as unknown);
    assert.deepEqual(runsLine(s, 'now'), { v: 1, kind: 'runs', auctionId: 'R', time: 'now', runs: [] });
  });
});
