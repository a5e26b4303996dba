import type { ComponentChildren } from 'preact';

/** A table that scrolls sideways inside narrow panels instead of widening the page; focusable so keys can scroll it. */
export function Scroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
