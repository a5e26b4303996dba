import * as vscode from 'vscode';
import { Emitter, type Disposable } from '../common/lifecycle';

/**
 * Every setting, declared once with its type. `package.json` documents each of them; a unit test checks the
 * two lists agree.
 */
export interface Settings {
  'task.selectionPreviewChars': number;
  /** The model pool as the user wrote it; validated by parsePool (src/common/providers/poolSchema.ts). */
  models: unknown[];
  /** Look for Ollama, LM Studio, llama.cpp and vLLM on their default ports. */
  'localServers.detect': boolean;
}

export const SETTINGS_SECTION = 'sale';

export const settingDefaults: Settings = {
  'task.selectionPreviewChars': 80,
  models: [],
  'localServers.detect': true,
};

/** Typed access to the `sale.*` settings with one change event. */
export class Config implements Disposable {
  private readonly changed = new Emitter<readonly (keyof Settings)[]>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      const keys = (Object.keys(settingDefaults) as (keyof Settings)[]).filter((k) => e.affectsConfiguration(`${SETTINGS_SECTION}.${k}`));
      if (keys.length) this.changed.fire(keys);
    });
  }

  get<K extends keyof Settings>(key: K): Settings[K] {
    return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<Settings[K]>(key) ?? settingDefaults[key];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
