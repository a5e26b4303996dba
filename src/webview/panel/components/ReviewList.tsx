import type { ExecutionView, ReviewFileView, ReviewHunkView } from '../../../common/protocol/executionView';
import type { Ask } from '../actions';

const kindLabel: Record<ReviewFileView['kind'], string> = { modify: 'modified', create: 'new file', delete: 'deleted' };
const decisionLabel: Record<ReviewFileView['decision'], string> = { pending: 'undecided', accepted: 'accepted', rejected: 'rejected', partial: 'partly accepted' };

/** Accept / Reject toggle pair; the pressed one shows the current decision. */
function DecisionButtons({ decision, label, disabled, onDecide }: { decision: string; label: string; disabled: boolean; onDecide: (d: 'accepted' | 'rejected') => void }) {
  return (
    <span class="decision-buttons" role="group" aria-label={`Decision for ${label}`}>
      <button type="button" class={`icon-button accept${decision === 'accepted' ? ' on' : ''}`} aria-pressed={decision === 'accepted'} aria-label={`Accept ${label}`} title="Accept" disabled={disabled} onClick={() => onDecide('accepted')}>
        <span class="codicon codicon-check" aria-hidden="true" /> Accept
      </button>
      <button type="button" class={`icon-button reject${decision === 'rejected' ? ' on' : ''}`} aria-pressed={decision === 'rejected'} aria-label={`Reject ${label}`} title="Reject" disabled={disabled} onClick={() => onDecide('rejected')}>
        <span class="codicon codicon-close" aria-hidden="true" /> Reject
      </button>
    </span>
  );
}

/** The hunk body as text, one line per row, coloured by its diff marker; never parsed as HTML. */
function HunkText({ text }: { text: string }) {
  return (
    <pre class="hunk-text">
      {text.split('\n').map((line, i) => (
        <span key={i} class={line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx'}>
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

function HunkView({ file, hunk, open, ask }: { file: ReviewFileView; hunk: ReviewHunkView; open: boolean; ask: Ask }) {
  const label = `hunk ${hunk.index + 1} of ${file.path}`;
  return (
    <div class={`hunk ${hunk.decision}`} data-hunk={hunk.index} aria-label={`${label}: ${decisionLabel[hunk.decision]}`}>
      <div class="hunk-head">
        <code class="hunk-header">{hunk.header}</code>
        <span class="counts">
          <span class="added">+{hunk.added}</span> <span class="removed">−{hunk.removed}</span>
        </span>
        {file.kind === 'modify' && <DecisionButtons decision={hunk.decision} label={label} disabled={!open} onDecide={(decision) => void ask('reviewDecision', { path: file.path, hunk: hunk.index, decision })} />}
      </div>
      <HunkText text={hunk.text} />
    </div>
  );
}

function FileView({ file, open, ask }: { file: ReviewFileView; open: boolean; ask: Ask }) {
  return (
    <article class={`review-file ${file.decision}`} data-path={file.path} aria-label={`${file.path}, ${kindLabel[file.kind]}, ${decisionLabel[file.decision]}`}>
      <header class="file-head">
        <span class={`codicon codicon-${file.kind === 'create' ? 'new-file' : file.kind === 'delete' ? 'trash' : 'file'}`} aria-hidden="true" />
        <span class="path">{file.path}</span>
        <span class="badge">{kindLabel[file.kind]}</span>
        {file.editedByUser && <span class="badge">edited by you</span>}
        <span class="counts">
          <span class="added">+{file.added}</span> <span class="removed">−{file.removed}</span>
        </span>
        <span class="file-decision">{file.applied ? 'applied' : decisionLabel[file.decision]}</span>
      </header>
      <div class="actions">
        <DecisionButtons decision={file.decision} label={`all of ${file.path}`} disabled={!open} onDecide={(decision) => void ask('reviewDecision', { path: file.path, decision })} />
        <button type="button" class="secondary" onClick={() => void ask('openDiff', { path: file.path })} aria-label={`Open diff of ${file.path}`}>
          <span class="codicon codicon-diff" aria-hidden="true" /> Open diff
        </button>
        {file.kind !== 'delete' && (
          <button type="button" class="secondary" disabled={!open} onClick={() => void ask('editProposal', { path: file.path })} aria-label={`Edit the proposal for ${file.path}`}>
            <span class="codicon codicon-edit" aria-hidden="true" /> Edit proposal
          </button>
        )}
      </div>
      {file.conflict && (
        <p class="conflict" role="alert">
          <span class="codicon codicon-warning" aria-hidden="true" /> {file.conflict}
        </p>
      )}
      {file.hunks.map((h) => (
        <HunkView key={h.index} file={file} hunk={h} open={open} ask={ask} />
      ))}
    </article>
  );
}

/** The changed files of a run with per-file and per-hunk decisions, then apply, the outcome and undo. */
export function ReviewList({ execution, ask }: { execution: ExecutionView; ask: Ask }) {
  const open = execution.review === 'reviewing';
  const files = execution.files;
  const accepted = files.filter((f) => f.decision === 'accepted' || f.decision === 'partial').length;
  const allRejected = files.length > 0 && files.every((f) => f.decision === 'rejected');
  return (
    <section class="review" aria-label="Review the proposed edits">
      <h2 class="label">Changed files ({files.length})</h2>
      {open && (
        <div class="actions review-toolbar">
          <button type="button" class="secondary" onClick={() => void ask('reviewAll', { decision: 'accepted' })}>
            <span class="codicon codicon-check-all" aria-hidden="true" /> Accept all
          </button>
          <button type="button" class="secondary" onClick={() => void ask('reviewAll', { decision: 'rejected' })}>
            <span class="codicon codicon-close-all" aria-hidden="true" /> Reject all
          </button>
          <button type="button" class="primary" id="apply-accepted" disabled={accepted === 0} onClick={() => void ask('applyAccepted', {})}>
            <span class="codicon codicon-save" aria-hidden="true" /> Apply accepted ({accepted})
          </button>
          {allRejected && (
            // Every file rejected: closing the review records the rejection (nothing is written), which is what
            // offers the next bid.
            <button type="button" class="secondary" id="discard-run" onClick={() => void ask('applyAccepted', {})} title="Record that this run's edits were all rejected; no file changes">
              <span class="codicon codicon-trash" aria-hidden="true" /> Discard the run
            </button>
          )}
        </div>
      )}
      {files.map((f) => (
        <FileView key={f.path} file={f} open={open} ask={ask} />
      ))}
      {execution.outcome && (
        <p class="outcome" id="review-outcome" role="status">
          {execution.outcome}
        </p>
      )}
      {execution.review === 'applied' && (
        <div class="actions">
          <button type="button" class="secondary" id="run-tests" onClick={() => void ask('runTests', {})} title="Run the test command and record the result with this auction">
            <span class="codicon codicon-beaker" aria-hidden="true" /> Run tests
          </button>
          <button type="button" class="secondary" id="undo" onClick={() => void ask('undoLastAuction', {})}>
            <span class="codicon codicon-discard" aria-hidden="true" /> Undo
          </button>
        </div>
      )}
    </section>
  );
}
