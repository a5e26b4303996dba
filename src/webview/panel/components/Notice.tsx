import type { PanelNotice } from '../../../common/protocol/panel';
import type { Post } from '../actions';

/** A problem with the buttons that fix it. */
export function Notice({ notice, post }: { notice: PanelNotice; post: Post }) {
  const icon = notice.severity === 'error' ? 'error' : notice.severity === 'warning' ? 'warning' : 'info';
  return (
    <div class={`notice ${notice.severity}`} role={notice.severity === 'error' ? 'alert' : 'status'} id="notice">
      <p>
        <span class={`codicon codicon-${icon}`} aria-hidden="true" /> {notice.message}
      </p>
      {notice.actions.length > 0 && (
        <div class="actions">
          {notice.actions.map((a) => (
            <button key={a.command} type="button" class="secondary" onClick={() => post({ type: 'runCommand', command: a.command })}>
              {a.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
