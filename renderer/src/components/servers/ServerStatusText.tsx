import type { ServerStatus } from '../../../../shared/domain';
import { useNow } from '../../lib/hooks';

export function statusText(status: ServerStatus): string {
  switch (status.state) {
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return 'Connected';
    case 'error':
      return `Error: ${status.error ?? 'unknown error'}`;
    case 'disabled':
      return 'Disabled';
  }
}

export function ServerStatusText({ status }: { status: ServerStatus }) {
  const now = useNow(1000, status.reconnect !== undefined);
  const wait = status.reconnect ? Math.max(0, Math.ceil((status.reconnect.at - now) / 1000)) : 0;
  return (
    <span className={`status status-${status.state}`} data-testid="server-status">
      <span className="status-dot" aria-hidden="true" />
      <span className="status-text">{statusText(status)}</span>
      {status.reconnect && (
        <span className="status-reconnect">
          {wait > 0 ? ` · reconnecting in ${wait} s (attempt ${status.reconnect.attempt})` : ' · reconnecting…'}
        </span>
      )}
    </span>
  );
}
