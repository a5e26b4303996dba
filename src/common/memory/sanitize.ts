import { SaleError } from '../errors';
import type { AuctionLine, MemoryLine, OutcomeLine } from './records';

/**
 * What may enter the team memory file, which is committed to the repository and read by every clone: task
 * text, plans, scores and outcomes. Not: context file lists, the agent's free-text summary, test output (these
 * can quote file contents), cached vectors (per machine and per embedding model), or anything that looks like a
 * credential (redacted wherever it appears, because a user can paste a key into a task).
 */

const SECRET_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g, // OpenAI and Anthropic (sk-ant-...) keys
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, // JWT
  /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g,
];
/** `api_key = "..."`, `password: ...`: keep the name, drop the value. */
const ASSIGNED_SECRET = /\b((?:api[_-]?key|secret|token|passw(?:or)?d|access[_-]?key)["']?\s*[:=]\s*)(["']?)[^\s"',;]{6,}\2/gi;

export const REDACTED = '[redacted]';

/** The text with anything that looks like a credential replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const p of SECRET_PATTERNS) out = out.replace(p, REDACTED);
  return out.replace(ASSIGNED_SECRET, (_m, name: string) => `${name}${REDACTED}`);
}

function containsSecret(text: string): boolean {
  return redactSecrets(text) !== text;
}

function sanitizeAuction(line: AuctionLine): AuctionLine {
  const { execution, ...rest } = line;
  return {
    ...rest,
    task: redactSecrets(line.task),
    contextFiles: [],
    bids: line.bids.map((b) => ({ ...b, plan: redactSecrets(b.plan) })),
    ...(execution
      ? {
          execution: {
            status: execution.status,
            ...(execution.filesChanged !== undefined ? { filesChanged: execution.filesChanged } : {}),
            ...(execution.turns !== undefined ? { turns: execution.turns } : {}),
          },
        }
      : {}),
  };
}

function sanitizeOutcome(line: OutcomeLine): OutcomeLine {
  const f = line.fact;
  if (f.type !== 'tests') return line;
  return { ...line, fact: { type: 'tests', passed: f.passed, ...(f.command !== undefined ? { command: redactSecrets(f.command) } : {}) } };
}

/** The team-safe copy of a memory line, or undefined when the line never goes to the team file. */
export function sanitizeForTeam(line: MemoryLine): MemoryLine | undefined {
  switch (line.kind) {
    case 'auction':
      return sanitizeAuction(line);
    case 'outcome':
      return sanitizeOutcome(line);
    case 'deleted':
      return line;
    case 'embedding':
      return undefined;
  }
}

/** A line about to be written to the team file still holds something that must not be shared. */
export class TeamMemoryLeakError extends SaleError {
  readonly code = 'team-memory-leak';
}

/**
 * Checks a line that is about to be written to the team file, independently of how it was produced, so a
 * future field added to the records cannot leak through a sanitiser that forgot it.
 */
export function assertTeamSafe(line: MemoryLine): void {
  const fail = (what: string): never => {
    throw new TeamMemoryLeakError(`refusing to write ${what} to the team memory (line ${line.id})`);
  };
  if (line.kind === 'embedding') fail('a cached vector');
  if (line.kind === 'auction') {
    if (line.contextFiles.length > 0) fail('context file names');
    if (line.execution?.summary !== undefined) fail("the agent's summary");
    if (containsSecret(line.task) || line.bids.some((b) => containsSecret(b.plan))) fail('a credential');
  }
  if (line.kind === 'outcome' && line.fact.type === 'tests') {
    if (line.fact.output !== undefined) fail('test output');
    if (line.fact.command !== undefined && containsSecret(line.fact.command)) fail('a credential');
  }
  // Anything a newer schema adds must be vetted here before it may go to the team file.
  const allowed: Record<MemoryLine['kind'], readonly string[]> = {
    auction: ['v', 'kind', 'id', 'time', 'task', 'contextFiles', 'pool', 'bids', 'winnerBidId', 'execution', 'auctionDollars'],
    outcome: ['v', 'kind', 'id', 'auctionId', 'time', 'fact'],
    deleted: ['v', 'kind', 'id', 'auctionId', 'time'],
    embedding: [],
  };
  for (const key of Object.keys(line)) if (!allowed[line.kind].includes(key)) fail(`the field "${key}"`);
}
