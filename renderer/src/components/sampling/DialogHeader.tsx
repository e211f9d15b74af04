import type { PendingSampling } from '../../../../shared/domain';
import { hideDialog, openRequest, useStore } from '../../store';
import { formatClock } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { RouteBadge } from './RouteBadge';
import { compactJson } from './summary';

export function DialogHeader({ request }: { request: PendingSampling }) {
  const now = useNow(1000);
  const pending = useStore((s) => s.pending);
  const index = pending.findIndex((p) => p.id === request.id);
  const prev = index > 0 ? pending[index - 1] : undefined;
  const next = index >= 0 ? pending[index + 1] : undefined;
  const remaining = request.deadline !== undefined ? request.deadline - now : undefined;

  return (
    <header className="dialog-header">
      <div className="dialog-title-row">
        <h2 className="dialog-title">
          Sampling request from <span className="server-name">{request.serverName}</span>
        </h2>
        <RouteBadge request={request} />
        <span className="spacer" />
        {pending.length > 1 && (
          <span className="queue-nav">
            <button type="button" className="btn btn-small btn-ghost" disabled={!prev} onClick={() => prev && openRequest(prev.id)} aria-label="Previous request">
              ‹
            </button>
            <span className="muted">
              {index + 1} of {pending.length}
            </span>
            <button type="button" className="btn btn-small btn-ghost" disabled={!next} onClick={() => next && openRequest(next.id)} aria-label="Next request">
              ›
            </button>
          </span>
        )}
        <button type="button" className="btn btn-small btn-ghost" onClick={hideDialog} title="Put this request aside (Esc); it stays pending">
          Later
        </button>
      </div>
      <div className="dialog-meta">
        {request.toolCall && (
          <span className="meta-item">
            Caused by tool call{' '}
            <code title={compactJson(request.toolCall.arguments, 2000)}>
              {request.toolCall.name}({compactJson(request.toolCall.arguments, 80)})
            </code>
          </span>
        )}
        <span className="meta-item" data-testid="waited">
          Waiting {formatClock(now - request.receivedAt)}
        </span>
        {remaining !== undefined && (
          <span className={`meta-item countdown${remaining < 15_000 ? ' is-urgent' : ''}`} data-testid="countdown" role="timer">
            {remaining > 0 ? `Server gives up in ${formatClock(remaining)}` : 'The server’s deadline has passed'}
          </span>
        )}
      </div>
    </header>
  );
}
