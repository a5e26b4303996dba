import type { ExportReply } from '../../common/protocol/report';

/** A line for a view's status (StatusLine). */
export interface Status {
  level: 'info' | 'error';
  text: string;
}

/** A failed request's line: the host's words. */
export function failureStatus(e: unknown): Status {
  return { level: 'error', text: e instanceof Error ? e.message : String(e) };
}

/** The status line after an export: the saved file, nothing when the save dialog was cancelled, or why it failed. */
export function exportStatus(reply: Promise<ExportReply>): Promise<Status | null> {
  return reply.then(
    (r) => (r ? { level: 'info' as const, text: `Saved ${r.saved}` } : null),
    (e: unknown) => failureStatus(e),
  );
}
