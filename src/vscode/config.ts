import * as vscode from 'vscode';
import { Emitter, type Disposable } from '../common/lifecycle';

import { SETTINGS_SECTION, settingDefaults, type Settings } from './settingsSchema';

export { SETTINGS_SECTION, settingDefaults, type Settings };

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
