/** "Show changes": every edit the user made to the request, against what the server sent. */
import type { PendingSampling } from '../../../../shared/domain';
import type { RequestDraft } from '../../lib/draft';
import { draftChanges } from '../../lib/draft-changes';
import { DiffLines } from '../common/DiffLines';

const KIND_NOTE = { changed: '', added: ' (added by you)', removed: ' (removed by you)' } as const;

export function DraftChanges({ request, draft, onClose }: { request: PendingSampling; draft: RequestDraft; onClose: () => void }) {
  const changes = draftChanges(request.params, draft);
  return (
    <section className="draft-changes" aria-label="Your changes" data-testid="draft-changes">
      <div className="draft-changes-head">
        <h3 className="col-title">Your changes</h3>
        <span className="muted">
          {changes.length === 0 ? 'None: the request is as the server sent it.' : '− as the server sent it, + as it will be sent'}
        </span>
        <span className="spacer" />
        <button type="button" className="btn btn-small" onClick={onClose}>
          Hide changes
        </button>
      </div>
      <ul className="draft-change-list">
        {changes.map((change) => (
          <li key={change.label} className="draft-change">
            <strong>
              {change.label}
              {KIND_NOTE[change.kind]}
            </strong>
            {change.lines.length > 0 && <DiffLines lines={change.lines} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
