import type { ServerStatus } from '../../../../shared/domain';
import { useNow } from '../../lib/hooks';
import { formatClock } from '../../lib/format';
import './server-status.css';

/**
 * Whether the server is not connected only because the user has to sign in (OAuth). That is not a
 * failure: the sign-in badge next to the status explains it and offers the button.
 */
export function needsSignIn(status: ServerStatus): boolean {
  return status.state === 'error' && status.definition.type !== 'stdio' && status.auth !== undefined && status.auth.state !== 'signed-in';
}

export function statusText(status: ServerStatus): string {
  if (needsSignIn(status)) return 'Sign-in required';
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
  const connectingSince = status.state === 'connecting' ? status.connectingSince : undefined;
  const now = useNow(1000, status.reconnect !== undefined || connectingSince !== undefined);
  const wait = status.reconnect ? Math.max(0, Math.ceil((status.reconnect.at - now) / 1000)) : 0;
  const signIn = needsSignIn(status);
  return (
    <span
      className={`status ${signIn ? 'status-signin' : `status-${status.state}`}`}
      data-testid="server-status"
      // The host's own words stay one hover away (e.g. that an earlier sign-in expired).
      title={signIn ? status.error : undefined}
    >
      <span className="status-dot" aria-hidden="true" />
      <span className="status-text">{statusText(status)}</span>
      {/* How long it has been trying: a silent remote server gives up after a bounded wait (host side). */}
      {connectingSince !== undefined && <span className="status-elapsed"> {formatClock(now - connectingSince)}</span>}
      {status.reconnect && (
        <span className="status-reconnect">
          {wait > 0 ? ` · reconnecting in ${wait} s (attempt ${status.reconnect.attempt})` : ' · reconnecting…'}
        </span>
      )}
    </span>
  );
}
