import * as vscode from 'vscode';
import { Emitter } from '../../common/lifecycle';
import { resolveWeights, type AuctionWeights } from '../../common/auction/weights';
import type { Adoption } from '../../common/learning/weightHistory';
import { auctionSettings } from '../auction/auctionSettings';
import type { Config } from '../config';
import { SETTINGS_SECTION } from '../settingsSchema';

/** workspaceState key: the weights adopted through the fit command, with when, so older auctions are read through the weights in force then. */
export const HISTORY_KEY = 'sale.weightFit.history';
/** The workspace weight settings: the ones a fit writes, and `record`, which it carries unfitted; a reset removes them all (relative to `sale.`). */
export const WEIGHT_KEYS = ['auction.weights.cost', 'auction.weights.entropy', 'auction.weights.jury', 'auction.weights.jurors', 'auction.weights.record'] as const;

/** The auction weights in force, read from the settings exactly as the auction reads them (the rule included). */
export function currentWeights(config: Pick<Config, 'get'>): AuctionWeights {
  return resolveWeights(auctionSettings(config).weights);
}

/** The adoptions and resets made through the fit command in this workspace, oldest first. */
export function adoptionHistory(state: vscode.Memento): Adoption[] {
  return state.get<Adoption[]>(HISTORY_KEY, []);
}

/** Whether any weight is set in the workspace settings (fitted, or edited by hand). */
export function weightsFromWorkspace(): boolean {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return WEIGHT_KEYS.some((k) => config.inspect(k)?.workspaceValue !== undefined);
}

/** A fit made in this window: what it proposed against what was in force, and whether it was adopted. */
export interface LastFit {
  time: string;
  baseline: AuctionWeights;
  fitted: AuctionWeights;
  adopted: boolean;
}

/** The last fit of this window, for the Routing insights view's replay; it fires when a fit ends or the weights are reset. */
export class FitLog {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private fit: LastFit | undefined;

  get last(): LastFit | undefined {
    return this.fit;
  }

  record(fit: LastFit): void {
    this.fit = fit;
    this.changed.fire();
  }

  /** The adoption history changed without a fit (a reset). */
  historyChanged(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
