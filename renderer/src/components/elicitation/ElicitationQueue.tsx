import { formatClock, formatTime } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { RouteBadge } from '../sampling/RouteBadge';
import { useShallow } from 'zustand/react/shallow';
import { dismissOpened } from '../../state/requests/elicitation';
import { openRequest, requestsOf, useRequests } from '../../state/requests/queue';

/** Elicitation requests in the Requests view: those waiting for the user, and opened URLs awaiting the server. */
export function ElicitationQueue() {
  const requests = useRequests(useShallow((s) => requestsOf(s, 'elicitation')));
  const now = useNow(1000, requests.length > 0);
  if (requests.length === 0) return null;
  return (
    <section aria-labelledby="elicitation-queue-title" className="elicit-queue">
      <h2 id="elicitation-queue-title" className="subhead">
        Questions from servers
      </h2>
      <ul className="request-queue">
        {requests.map((request) => (
          <li key={request.id} className="request-item" data-testid={`elicitation-${request.id}`}>
            <div className="request-main">
              <div className="request-line">
                <strong className="request-server">{request.serverName}</strong>
                <span className="chip">{request.mode === 'url' ? 'open a page' : 'form'}</span>
                <RouteBadge request={request} />
                {request.status === 'opened' && <span className="chip chip-phase-answer">Waiting for {request.serverName} to confirm</span>}
              </div>
              <p className="request-preview">{request.message}</p>
              <div className="request-meta muted">
                Received {formatTime(request.receivedAt)} ·{' '}
                {request.status === 'opened' && request.confirmBy !== undefined
                  ? `opened in your browser; Sluice stops waiting in ${formatClock(Math.max(0, request.confirmBy - now))}`
                  : `waiting ${formatClock(now - request.receivedAt)}`}
              </div>
            </div>
            {request.status === 'waiting' ? (
              <button type="button" className="btn btn-primary" onClick={() => openRequest('elicitation', request.id)}>
                Open
              </button>
            ) : (
              <button
                type="button"
                className="btn"
                aria-label={`Dismiss the page opened for ${request.serverName}`}
                onClick={() => void dismissOpened(request.id)}
              >
                Dismiss
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
