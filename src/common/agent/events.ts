import type { Usage } from '../providers/types';
import type { ChangeKind } from './changeSet';

/** Why a run stopped early at a limit. */
export type LimitKind = 'steps' | 'tokens' | 'dollars';

/**
 * What the agent is doing, as plain JSON-serialisable data so the host can post it to a webview unchanged.
 * `step` counts model calls (1-based); `time` is the Clock's milliseconds.
 */
export type AgentEventBody =
  | { type: 'stepStarted' }
  | { type: 'assistantText'; text: string }
  | { type: 'toolCall'; callId: string; name: string; argumentsJson: string }
  | { type: 'toolResult'; callId: string; name: string; isError: boolean; preview: string }
  | { type: 'fileRead'; path: string; startLine: number; endLine: number; totalLines: number }
  | { type: 'commandAwaitingApproval'; command: string; cwd: string }
  | { type: 'commandDenied'; command: string; reason: 'user' | 'untrusted' }
  | { type: 'commandFinished'; command: string; exitCode: number | null; timedOut: boolean; truncated: boolean }
  | { type: 'editStaged'; path: string; kind: ChangeKind | 'unstaged'; hunks: number }
  /** `priceKnown` is false (and `dollars` null) when the run's cost is unknown: no price, or usage not reported. */
  | { type: 'usage'; usage: Usage; totalTokens: number; dollars: number | null; priceKnown: boolean }
  | { type: 'finished'; summary: string }
  | { type: 'limitReached'; limit: LimitKind }
  | { type: 'failed'; code: string; message: string }
  | { type: 'cancelled' };

export type AgentEvent = AgentEventBody & { time: number; step: number };
