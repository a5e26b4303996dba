import { SaleError } from '../errors';
import { containsSecret, redactSecrets } from '../secretPatterns';
import type { AuctionLine, MemoryLine, OutcomeLine } from './records';

/**
 * What may enter the team memory file, which is committed to the repository and read by every clone: task
 * text, plans, scores and outcomes. Not: context file lists, the agent's free-text summary, test output (these
 * can quote file contents), cached vectors (per machine and per embedding model), or anything that looks like a
 * credential (redacted wherever it appears, because a user can paste a key into a task).
 */

export { REDACTED, redactSecrets } from '../secretPatterns';

/**
 * The copy of a memory line that is stored locally: the same line with anything that looks like a credential
 * redacted in the text users and models wrote (task, plans, agent summary, test command and output).
 */
export function redactForStorage(line: MemoryLine): MemoryLine {
  if (line.kind === 'auction') {
    const summary = line.execution?.summary;
    return {
      ...line,
      task: redactSecrets(line.task),
      bids: line.bids.map((b) => ({ ...b, plan: redactSecrets(b.plan) })),
      ...(line.execution && summary !== undefined ? { execution: { ...line.execution, summary: redactSecrets(summary) } } : {}),
    };
  }
  if (line.kind === 'outcome' && line.fact.type === 'tests') {
    const f = line.fact;
    return { ...line, fact: { ...f, ...(f.command !== undefined ? { command: redactSecrets(f.command) } : {}), ...(f.output !== undefined ? { output: redactSecrets(f.output) } : {}) } };
  }
  return line;
}

/** The team copy of an auction: redacted as for local storage, then without what is local only. */
function sanitizeAuction(line: AuctionLine): AuctionLine {
  const { execution, ...rest } = redactForStorage(line) as AuctionLine;
  return {
    ...rest,
    contextFiles: [],
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

/** The team copy of an outcome: a test run keeps whether it passed and its (redacted) command, not its output. */
function sanitizeOutcome(line: OutcomeLine): OutcomeLine {
  const redacted = redactForStorage(line) as OutcomeLine;
  const f = redacted.fact;
  if (f.type !== 'tests') return redacted;
  return { ...redacted, fact: { type: 'tests', passed: f.passed, ...(f.command !== undefined ? { command: f.command } : {}) } };
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
    // bidId names a bid of the auction line (an id, no user text).
    outcome: ['v', 'kind', 'id', 'auctionId', 'bidId', 'time', 'fact'],
    deleted: ['v', 'kind', 'id', 'auctionId', 'time'],
    embedding: [],
  };
  for (const key of Object.keys(line)) if (!allowed[line.kind].includes(key)) fail(`the field "${key}"`);
}
