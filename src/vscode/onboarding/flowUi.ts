import * as vscode from 'vscode';

/** What a step returns when the user pressed Back. */
// Registered (Symbol.for), so a caller bundled apart from the extension (the extension-host tests) can answer Back too.
export const BACK: unique symbol = Symbol.for('sale.flow.back');
export type Answer<T> = T | typeof BACK | undefined;

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
  /** Pre-selected (multi-select) or focused first (single). */
  picked?: boolean;
}

/** The items of a pick step, possibly fetched while the step is already on screen. */
export interface LoadedItems<T> {
  items: PickItem<T>[];
  /** Replaces the placeholder once loaded (for example: why the list is empty). */
  placeholder?: string;
}

interface StepBase {
  title: string;
  /** "2/6" in the title bar; omitted when the number of steps is not known. */
  step?: number;
  totalSteps?: number;
  canGoBack: boolean;
}

export interface PickStep<T> extends StepBase {
  placeholder?: string;
  items: PickItem<T>[] | ((signal: AbortSignal) => Promise<LoadedItems<T>>);
  /** Shown while `items` loads. */
  busyPlaceholder?: string;
  matchOnDescription?: boolean;
}

export interface InputStep extends StepBase {
  prompt: string;
  value?: string;
  placeholder?: string;
  password?: boolean;
  /** An error (blocks accepting), a warning (shown, does not block), or undefined when the value is fine. */
  validate?: (value: string) => string | { warning: string } | undefined;
}

/**
 * The UI the guided flows run over: one question at a time, with Back, and undefined when the user leaves (Escape).
 * The QuickInput implementation below is the real one; tests may script the answers at this boundary.
 */
export interface FlowUi {
  pick<T>(step: PickStep<T>): Promise<Answer<T>>;
  pickMany<T>(step: PickStep<T>): Promise<Answer<T[]>>;
  input(step: InputStep): Promise<Answer<string>>;
}

interface ValueItem<T> extends vscode.QuickPickItem {
  value: T;
}

const toItem = <T>(i: PickItem<T>): ValueItem<T> => ({ label: i.label, description: i.description, detail: i.detail, value: i.value, picked: i.picked });

/** FlowUi over VS Code's QuickPick and InputBox, with a Back button, busy state while items load, and Escape to leave. */
export class QuickInputUi implements FlowUi {
  pick<T>(step: PickStep<T>): Promise<Answer<T>> {
    return this.showPick(step, false).then((r) => (r === BACK || r === undefined ? r : r[0]));
  }

  pickMany<T>(step: PickStep<T>): Promise<Answer<T[]>> {
    return this.showPick(step, true);
  }

  private showPick<T>(step: PickStep<T>, many: boolean): Promise<Answer<T[]>> {
    const qp = vscode.window.createQuickPick<ValueItem<T>>();
    qp.title = step.title;
    if (step.step !== undefined) qp.step = step.step;
    if (step.totalSteps !== undefined) qp.totalSteps = step.totalSteps;
    qp.canSelectMany = many;
    qp.ignoreFocusOut = true;
    qp.matchOnDescription = step.matchOnDescription ?? false;
    qp.buttons = step.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    const loading = new AbortController();
    const setItems = (items: PickItem<T>[]) => {
      qp.items = items.map(toItem);
      if (many) qp.selectedItems = qp.items.filter((i) => i.picked);
      else {
        const first = qp.items.find((i) => i.picked);
        if (first) qp.activeItems = [first];
      }
    };
    return new Promise<Answer<T[]>>((resolve) => {
      let done = false;
      const finish = (a: Answer<T[]>) => {
        if (done) return;
        done = true;
        loading.abort();
        resolve(a);
        qp.hide();
      };
      qp.onDidTriggerButton((b) => (b === vscode.QuickInputButtons.Back ? finish(BACK) : undefined));
      qp.onDidAccept(() => {
        if (qp.busy) return;
        const chosen = many ? qp.selectedItems : qp.activeItems.slice(0, 1);
        if (!many && chosen.length === 0) return;
        finish(chosen.map((i) => i.value));
      });
      qp.onDidHide(() => {
        finish(undefined);
        qp.dispose();
      });
      if (typeof step.items === 'function') {
        qp.busy = true;
        qp.placeholder = step.busyPlaceholder ?? step.placeholder;
        step
          .items(loading.signal)
          .then((loaded) => {
            if (done) return;
            setItems(loaded.items);
            qp.placeholder = loaded.placeholder ?? step.placeholder;
          })
          .catch((e: unknown) => {
            if (!done) qp.placeholder = e instanceof Error ? e.message : String(e);
          })
          .finally(() => {
            qp.busy = false;
          });
      } else {
        qp.placeholder = step.placeholder;
        setItems(step.items);
      }
      qp.show();
    });
  }

  input(step: InputStep): Promise<Answer<string>> {
    const box = vscode.window.createInputBox();
    box.title = step.title;
    if (step.step !== undefined) box.step = step.step;
    if (step.totalSteps !== undefined) box.totalSteps = step.totalSteps;
    box.prompt = step.prompt;
    box.value = step.value ?? '';
    box.placeholder = step.placeholder;
    box.password = step.password ?? false;
    box.ignoreFocusOut = true;
    box.buttons = step.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    const problem = () => step.validate?.(box.value);
    const check = () => {
      const p = problem();
      box.validationMessage = typeof p === 'object' ? { message: p.warning, severity: vscode.InputBoxValidationSeverity.Warning } : p;
    };
    // A prefilled value is checked at once; an empty box is not scolded before the user typed anything.
    if (box.value) check();
    return new Promise<Answer<string>>((resolve) => {
      let done = false;
      const finish = (a: Answer<string>) => {
        if (done) return;
        done = true;
        resolve(a);
        box.hide();
      };
      box.onDidChangeValue(check);
      box.onDidTriggerButton((b) => (b === vscode.QuickInputButtons.Back ? finish(BACK) : undefined));
      box.onDidAccept(() => {
        if (typeof problem() === 'string') return check();
        finish(box.value);
      });
      box.onDidHide(() => {
        finish(undefined);
        box.dispose();
      });
      box.show();
    });
  }
}
