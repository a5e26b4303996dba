import type { AuctionResult } from '../common/auction';
import type { LedgerLine } from '../common/ledger/entry';
import type { OutcomeFact } from '../common/memory/records';
import type { PanelState } from '../common/protocol/panel';
import type { PoolEntry } from '../common/providers/poolSchema';

/** One past auction as the memory holds it (a summary). */
export interface MemoryAuctionSummary {
  id: string;
  task: string;
  winnerModelId: string | undefined;
  bids: number;
  label: string | undefined;
}

/**
 * What `activate()` returns. Other extensions and the extension-host tests use it; it exposes state, never
 * secrets.
 */
export interface SaleApi extends ActivationFigures {
  /** Resolves once the side panel's webview has loaded and completed the ready handshake. */
  whenPanelReady(): Promise<void>;
  /** The state the side panel renders. */
  panelState(): PanelState;
  /** The last auction's full result (every bid and number), or undefined. */
  lastAuctionResult(): AuctionResult | undefined;
  /** Every auction in this workspace's memory, newest first. */
  memoryAuctions(): Promise<MemoryAuctionSummary[]>;
  /**
   * The embedding model the memory retrieves with now (`<pool id>/<model>`, a pool member with the embedder
   * role), or undefined when retrieval is lexical (BM25).
   */
  memoryEmbedder(): string | undefined;
  /** What the memory browser lists now (label and description of each past auction). */
  memoryBrowserItems(): Promise<{ id: string; label: string; description: string }[]>;
  /** Every line of this workspace's cost ledger (after pending appends are on disk). */
  ledgerLines(): Promise<LedgerLine[]>;
  /** The folder holding this workspace's memory, ledger and checkpoints. */
  readonly storageDir: string;
  /** The outcome facts (review, undo, execution cost, tests) the auction memory holds for an auction, in order. */
  memoryOutcomes(auctionId: string): Promise<OutcomeFact[]>;
  /**
   * The chat models VS Code offers through its Language Model API, as `sale.models` entries (provider `vscode-lm`)
   * with ids unique against the configured pool. For the Add Model flow and the tests; sends no request.
   */
  languageModelPoolEntries(): Promise<PoolEntry[]>;
  /**
   * Gives the user's "Run shadow tests" answer for this test command ahead of the dialog, for this window (the
   * extension-host tests, an extension that drives SALE). Shadow runs still need `sale.shadowRuns.share` above 0.
   */
  approveShadowTests(command: string): void;
  /** Resolves when no shadow run is deciding or running. */
  shadowRunsIdle(): Promise<void>;
  /**
   * Forgets this window's auction sessions and restores them from the workspace's session log, as a reloaded window
   * does at start (for the extension-host tests). Resolves with the restored auction ids, oldest first.
   */
  reloadSessions(): Promise<string[]>;
  /** Names of the contributions that failed to register at activation (each is logged; the rest work). */
  failedContributions(): string[];
}

/** How activation went, for `npm run bench`; answered by the entry bundle itself, never loading the core. */
export interface ActivationFigures {
  /**
   * Milliseconds from the evaluation of the extension's entry bundle to the end of `activate()`, including any time
   * the host spent on other work between loading the bundle and calling `activate()` (for `npm run bench`).
   */
  readonly activationMs: number;
  /** Milliseconds the `activate()` call itself took (for `npm run bench`). */
  readonly activateMs: number;
  /** Milliseconds loading and starting the core (`dist/core.js`) took after activation, once it has (for `npm run bench`). */
  readonly coreLoadMs: number | undefined;
}

/** The API members the core answers (`contributions.ts`). */
export type CoreApi = Omit<SaleApi, keyof ActivationFigures>;
