import type { OutcomeFact } from '../common/memory/records';
import type { PanelState } from '../common/protocol/panel';

/**
 * What `activate()` returns. Other extensions and the extension-host tests use it; it exposes state, never
 * secrets.
 */
export interface SaleApi {
  /** Resolves once the side panel's webview has loaded and completed the ready handshake. */
  whenPanelReady(): Promise<void>;
  /** The state the side panel renders. */
  panelState(): PanelState;
  /** The outcome facts (review, undo, execution cost, tests) the auction memory holds for an auction, in order. */
  memoryOutcomes(auctionId: string): Promise<OutcomeFact[]>;
  /** Milliseconds from this module's evaluation to the end of `activate()` (for `npm run bench`). */
  readonly activationMs: number;
}
