import type * as vscode from 'vscode';
import { Emitter, type Disposable } from '../../common/lifecycle';
import { PanelState, type PanelTask } from '../../common/protocol/panel';

const STATE_KEY = 'sale.panel.state.v1';

/**
 * The panel's state lives in the extension host, not in the webview: a hidden, rebuilt or reloaded view restores
 * from it. It is saved in workspace state so a window reload shows the last task again.
 */
export class PanelModel implements Disposable {
  private readonly changed = new Emitter<PanelState>();
  readonly onDidChange = this.changed.event;
  private current: PanelState;

  constructor(private readonly memento: vscode.Memento) {
    const saved = PanelState.safeParse(memento.get(STATE_KEY));
    this.current = saved.success ? saved.data : { task: null };
  }

  get state(): PanelState {
    return this.current;
  }

  async setTask(task: PanelTask): Promise<void> {
    this.current = { ...this.current, task };
    this.changed.fire(this.current);
    await this.memento.update(STATE_KEY, this.current);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
