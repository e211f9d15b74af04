import { TYPICAL_SERVER_TIMEOUT_MS, type PendingSampling } from '../../../../shared/domain';
import { formatClock } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { RouteBadge } from './RouteBadge';
import { LaterButton, RequestIdMeta, RequestQueueNav, ToolCallMeta } from '../common/DialogParts';
import { requestKey } from '../../state/requests/kinds';

export function DialogHeader({ request, titleId, ended = false }: { request: PendingSampling; titleId: string; ended?: boolean }) {
  const now = useNow(1000);
  const remaining = request.deadline !== undefined ? request.deadline - now : undefined;

  return (
    <header className="dialog-header">
      <div className="dialog-title-row">
        <h2 className="dialog-title" id={titleId}>
          Sampling request from <span className="server-name">{request.serverName}</span>
        </h2>
        <RouteBadge request={request} />
        <span className="spacer" />
        {!ended && (
          <>
            <RequestQueueNav requestKey={requestKey('sampling', request.id)} />
            <LaterButton title="Put this request aside (Esc); it stays pending" />
          </>
        )}
      </div>
      {/* For someone meeting sampling for the first time: what this is, in one line. */}
      <p className="dialog-explainer" data-testid="sampling-explainer">
        {request.serverName} asks for a completion from a language model. Nothing reaches a model until you approve, and nothing goes back
        to the server until you send.
      </p>
      <div className="dialog-meta">
        <ToolCallMeta toolCall={request.toolCall} />
        <RequestIdMeta id={request.mcpRequestId} />
        {!ended && (
          <span className="meta-item" data-testid="waited">
            Waiting {formatClock(now - request.receivedAt)}
          </span>
        )}
        {ended ? null : remaining !== undefined ? (
          <span className={`meta-item countdown${remaining < 15_000 ? ' is-urgent' : ''}`} data-testid="countdown" role="timer">
            {remaining > 0 ? `Server gives up in ${formatClock(remaining)}` : 'The server’s deadline has passed'}
          </span>
        ) : (
          request.route === 'push' && (
            // A 2025 server's timeout is its own choice; only the SDKs' default is known.
            <span className="meta-item muted" data-testid="typical-timeout">
              Servers typically give up after {Math.round(TYPICAL_SERVER_TIMEOUT_MS / 1000)} s
            </span>
          )
        )}
      </div>
    </header>
  );
}
