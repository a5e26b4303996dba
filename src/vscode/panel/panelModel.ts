import type * as vscode from 'vscode';
import type { AuctionEvent } from '../../common/auction/events';
import { Emitter, type Disposable } from '../../common/lifecycle';
import { applyAuctionEvent, emptyAuctionView } from '../../common/panel/auctionView';
import type { AuctionView, PoolMemberView } from '../../common/protocol/auctionView';
import type { ExecutionView } from '../../common/protocol/executionView';
import { PanelState, type PanelBudget, type PanelNotice, type PanelTask } from '../../common/protocol/panel';

const STATE_KEY = 'sale.panel.state.v1';
const SAVE_DELAY_MS = 400;

/**
 * The panel's state lives in the extension host, not in the webview: a hidden, rebuilt or reloaded view restores
 * from it. It is saved in workspace state (throttled while an auction streams, at once when it ends), so a window
 * reload shows the last auction again. An auction that was running when the window went away is shown as
 * interrupted: the extension host that ran it is gone.
 */
export class PanelModel implements Disposable {
  private readonly changed = new Emitter<PanelState>();
  readonly onDidChange = this.changed.event;
  private current: PanelState;
  private pool = new Map<string, PoolMemberView>();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly memento: vscode.Memento) {
    const saved = PanelState.safeParse(memento.get(STATE_KEY));
    this.current = saved.success ? interruptRunning(saved.data) : PanelState.parse({ task: null });
    for (const m of this.current.pool) this.pool.set(m.id, m);
  }

  get state(): PanelState {
    return this.current;
  }

  /**
   * A new task replaces the finished auction on screen: until the new auction starts (context is read, budgets are
   * checked) the last one's "Run the winner" must not sit under the new task as if it were its winner, nor its run's
   * "Try the next bid". An auction still running stays (it ends on its own or is cancelled), and so does a run still
   * running or a review still open (nothing staged is dropped).
   */
  async setTask(task: PanelTask): Promise<void> {
    const { auction, execution } = this.current;
    const keepExecution = execution && (execution.status === 'running' || execution.review === 'reviewing');
    this.update({
      task,
      ...(auction && auction.status !== 'running' ? { auction: null } : {}),
      ...(execution && !keepExecution ? { execution: null } : {}),
    });
    await this.flush();
  }

  setPool(pool: PoolMemberView[]): void {
    this.pool = new Map(pool.map((m) => [m.id, m]));
    this.update({ pool });
  }

  setContextFiles(contextFiles: string[]): void {
    this.update({ contextFiles });
    void this.flush();
  }

  setBudget(budget: PanelBudget): void {
    this.update({ budget });
  }

  setNotice(notice: PanelNotice | null): void {
    this.update({ notice });
  }

  startAuction(auctionId: string, task: string, startedAt: string): void {
    this.update({ auction: emptyAuctionView(auctionId, task, startedAt), notice: null });
  }

  applyAuctionEvent(event: AuctionEvent): void {
    const auction = this.current.auction;
    if (!auction || auction.auctionId !== event.auctionId) return;
    const next = applyAuctionEvent(auction, event, this.pool);
    this.update({ auction: next });
    if (next.status !== 'running') void this.flush();
  }

  /** Marks the current auction as failed with a message (for errors outside the engine, e.g. no pool). */
  failAuction(auctionId: string, code: string, message: string): void {
    const a = this.current.auction;
    if (!a || a.auctionId !== auctionId || a.status !== 'running') return;
    this.update({ auction: { ...a, status: 'failed', phase: 'done', finishedAt: new Date().toISOString(), error: { code, message, reasons: [] } } });
    void this.flush();
  }

  /** Forgets an auction that could not start (an empty pool): the notice says why, the auction view nothing. */
  clearAuction(auctionId: string): void {
    if (this.current.auction?.auctionId !== auctionId) return;
    this.update({ auction: null });
    void this.flush();
  }

  /** Replaces the execution view (the execution controller owns its content). */
  setExecution(execution: ExecutionView | null): void {
    this.update({ execution });
  }

  private update(patch: Partial<PanelState>): void {
    this.current = { ...this.current, ...patch };
    this.changed.fire(this.current);
    this.saveTimer ??= setTimeout(() => void this.flush(), SAVE_DELAY_MS);
  }

  /** Saves now. */
  async flush(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.memento.update(STATE_KEY, this.current);
  }

  dispose(): void {
    void this.flush();
    this.changed.dispose();
  }
}

function interruptRunning(state: PanelState): PanelState {
  // The staged edits of a run lived in the extension host that is gone: the review cannot continue.
  const e = state.execution;
  if (e && (e.status === 'running' || e.review === 'reviewing')) {
    state = { ...state, execution: { ...e, status: e.status === 'running' ? 'cancelled' : e.status, review: 'none', files: [], awaitingApproval: null, outcome: 'The window was reloaded: the staged edits are gone; run the winner again to review new ones.' } };
  }
  const a: AuctionView | null = state.auction;
  if (!a || a.status !== 'running') return state;
  return {
    ...state,
    auction: {
      ...a,
      status: 'cancelled',
      phase: 'done',
      error: { code: 'interrupted', message: 'The window was reloaded while this auction ran; run it again to finish it.', reasons: [] },
    },
  };
}
