import type { ComponentChildren } from 'preact';

interface Props {
  /** The heading and what goes under it. */
  children: ComponentChildren;
  /** What the toolbar is called for screen readers, e.g. "Report actions". */
  label: string;
  /** Accessible names of the buttons (they say what is refreshed and exported). */
  refreshLabel: string;
  csvLabel: string;
  jsonLabel: string;
  /** Export is off until there is something to export. */
  canExport: boolean;
  onRefresh: () => void;
  onExport: (format: 'csv' | 'json') => void;
  /** More buttons, between Refresh and the exports. */
  extra?: ComponentChildren;
}

/** The header of an editor view: its heading on the left; Refresh, the view's own buttons and the exports on the right. */
export function ViewToolbar({ children, label, refreshLabel, csvLabel, jsonLabel, canExport, onRefresh, onExport, extra }: Props) {
  return (
    <header class="toolbar">
      <div>{children}</div>
      <div class="actions" role="toolbar" aria-label={label}>
        <button type="button" class="secondary" onClick={onRefresh} aria-label={refreshLabel}>
          <span class="codicon codicon-refresh" aria-hidden="true" /> Refresh
        </button>
        {extra}
        <button type="button" class="secondary" id="export-csv" disabled={!canExport} onClick={() => onExport('csv')} aria-label={csvLabel}>
          <span class="codicon codicon-export" aria-hidden="true" /> Export CSV
        </button>
        <button type="button" class="secondary" id="export-json" disabled={!canExport} onClick={() => onExport('json')} aria-label={jsonLabel}>
          <span class="codicon codicon-json" aria-hidden="true" /> Export JSON
        </button>
      </div>
    </header>
  );
}

/** The line under the toolbar where the host reports what it did (an export saved) or what went wrong; read out politely. */
export function StatusLine({ status }: { status: { level: 'info' | 'error'; text: string } | null }) {
  return (
    <p class={`status ${status?.level ?? ''}`} role="status" aria-live="polite" id="status">
      {status?.text ?? ''}
    </p>
  );
}
