/**
 * The base of every typed error in the core. The core never words messages for the user's next step;
 * it names the step (`nextStep`), and the VS Code edge turns it into a button.
 */
export type NextStep =
  | { kind: 'setApiKey'; providerKey: string }
  | { kind: 'startLocalServer'; server: string; baseUrl: string }
  | { kind: 'openSettings'; setting: string }
  | { kind: 'retry'; afterMs?: number }
  | { kind: 'showLogs' }
  | { kind: 'raiseBudget'; setting: string }
  /** VS Code refused SALE the use of a Language Model API model: ask the user again (VS Code's own consent). */
  | { kind: 'askModelConsent'; modelId: string };

export abstract class SaleError extends Error {
  abstract readonly code: string;
  readonly nextStep: NextStep | undefined;

  constructor(message: string, options?: { cause?: unknown; nextStep?: NextStep }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.nextStep = options?.nextStep;
  }
}

export class CancelledError extends SaleError {
  readonly code = 'cancelled';
  constructor(message = 'Cancelled') {
    super(message);
  }
}

export function isCancellation(e: unknown): boolean {
  return e instanceof CancelledError || (e instanceof Error && e.name === 'AbortError');
}

/** Throws a CancelledError when the signal has been aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
