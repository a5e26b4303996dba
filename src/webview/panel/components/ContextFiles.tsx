import type { Post } from '../actions';

/** Files the bidders will see besides the selection: chips with a remove button, and "Add files…". */
export function ContextFiles({ files, post }: { files: string[]; post: Post }) {
  return (
    <div class="context-files" aria-label="Context files">
      {files.length > 0 && (
        <ul class="chips" id="context-files">
          {files.map((f) => (
            <li key={f} class="chip">
              <span class="codicon codicon-file" aria-hidden="true" /> {f}
              <button type="button" class="chip-remove" aria-label={`Remove ${f} from the context`} title="Remove" onClick={() => post({ type: 'removeContextFile', path: f })}>
                <span class="codicon codicon-close" aria-hidden="true" />
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" class="link" id="add-context-files" onClick={() => post({ type: 'addContextFiles' })}>
        <span class="codicon codicon-add" aria-hidden="true" /> Add files as context…
      </button>
    </div>
  );
}
