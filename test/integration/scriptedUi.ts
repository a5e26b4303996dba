import assert from 'node:assert/strict';
import type { Answer, FlowUi, InputStep, PickItem, PickStep } from '../../src/vscode/onboarding/flowUi';

/** The flows' Back answer: a registered symbol, the same in this bundle as in the extension's. */
export const BACK = Symbol.for('sale.flow.back');

/** What one step showed, as the user would have seen it (after its items loaded). */
export interface SeenStep {
  kind: 'pick' | 'pickMany' | 'input';
  title: string;
  step?: number;
  canGoBack: boolean;
  placeholder?: string;
  prompt?: string;
  value?: string;
  labels: string[];
}

type Answerer = (seen: SeenStep, items: PickItem<unknown>[], step: PickStep<unknown> | InputStep) => unknown;

/**
 * A FlowUi that answers from a script, for the extension-host tests: the flows' logic, the settings, Secret
 * Storage, the live model list and the probe are all real; only the QuickInput dialogs are replaced. Items that
 * load (the model list) are loaded through the flow's own loader, as the real QuickPick does.
 */
export class ScriptedUi implements FlowUi {
  readonly seen: SeenStep[] = [];
  private readonly answers: Answerer[];

  constructor(...answers: Answerer[]) {
    this.answers = answers;
  }

  get remaining(): number {
    return this.answers.length;
  }

  async pick<T>(step: PickStep<T>): Promise<Answer<T>> {
    return (await this.ask('pick', step)) as Answer<T>;
  }

  async pickMany<T>(step: PickStep<T>): Promise<Answer<T[]>> {
    return (await this.ask('pickMany', step)) as Answer<T[]>;
  }

  input(step: InputStep): Promise<Answer<string>> {
    const seen: SeenStep = { kind: 'input', title: step.title, step: step.step, canGoBack: step.canGoBack, prompt: step.prompt, value: step.value, placeholder: step.placeholder, labels: [] };
    return Promise.resolve(this.answer(seen, [], step) as Answer<string>);
  }

  private async ask<T>(kind: 'pick' | 'pickMany', step: PickStep<T>): Promise<unknown> {
    let items: PickItem<T>[];
    let placeholder = step.placeholder;
    if (typeof step.items === 'function') {
      const loaded = await step.items(new AbortController().signal);
      items = loaded.items;
      placeholder = loaded.placeholder ?? step.placeholder;
    } else items = step.items;
    const seen: SeenStep = { kind, title: step.title, step: step.step, canGoBack: step.canGoBack, placeholder, labels: items.map((i) => i.label) };
    return this.answer(seen, items, step);
  }

  private answer(seen: SeenStep, items: PickItem<unknown>[], step: PickStep<unknown> | InputStep): unknown {
    this.seen.push(seen);
    const next = this.answers.shift();
    assert.ok(next, `no scripted answer left for step ${JSON.stringify(seen)}`);
    return next(seen, items, step);
  }
}

/** Picks the item whose label contains `text` (fails when none does). */
export const pick = (text: string): Answerer => (seen, items) => {
  const item = items.find((i) => i.label.includes(text));
  assert.ok(item, `"${text}" is offered at step ${JSON.stringify(seen)}`);
  return item.value;
};

/** Picks (multi-select) every item whose label is in `labels`. */
export const pickMany = (...labels: string[]): Answerer => (_seen, items) => items.filter((i) => labels.includes(i.label)).map((i) => i.value);

/** Types `text` into an input step; the step's own validation must accept it (a warning is fine). */
export const type = (text: string): Answerer => (seen, _items, step) => {
  const problem = (step as InputStep).validate?.(text);
  assert.ok(typeof problem !== 'string', `"${text}" accepted at ${seen.title} step ${String(seen.step)}: ${JSON.stringify(problem)}`);
  return text;
};

/** Checks what the step showed, then answers with `then`. */
export const expect = (check: (seen: SeenStep) => void, then: Answerer): Answerer => (seen, items, step) => {
  check(seen);
  return then(seen, items, step);
};

export const back: Answerer = () => BACK;
export const escape: Answerer = () => undefined;
