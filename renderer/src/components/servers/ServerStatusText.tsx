import type { ServerStatus } from '../../../../shared/domain';

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
  return (
    <span className={`status status-${status.state}`} data-testid="server-status">
      <span className="status-dot" aria-hidden="true" />
      <span className="status-text">{statusText(status)}</span>
    </span>
  );
}
