import { formatClock, formatTime } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { useShallow } from 'zustand/react/shallow';
import { openRequest, requestsOf, useRequests } from '../../state/requests/queue';

/** Gateway tool calls waiting for the user, in the Requests view. */
export function ToolCallQueue() {
  const calls = useRequests(useShallow((s) => requestsOf(s, 'toolCall')));
  const now = useNow(1000, calls.length > 0);
  if (calls.length === 0) return null;
  return (
    <section aria-labelledby="toolcall-queue-title" className="elicit-queue">
      <h2 id="toolcall-queue-title" className="subhead">
        Tool calls from your apps
      </h2>
      <ul className="request-queue">
        {calls.map((call) => (
          <li key={call.id} className="request-item" data-testid={`toolcall-${call.id}`}>
            <div className="request-main">
              <div className="request-line">
                <strong className="request-server">{call.app.name}</strong>
                <span className="muted">→</span> {call.serverName} · <code>{call.tool.name}</code>
                {call.reason === 'changed' && <span className="chip chip-hint-danger">definition changed</span>}
              </div>
              <div className="request-meta muted">
                Received {formatTime(call.receivedAt)} · waiting {formatClock(now - call.receivedAt)}
              </div>
            </div>
            <button type="button" className="btn btn-primary" onClick={() => openRequest('toolCall', call.id)}>
              Open
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
