import type { ServerStatus } from '../../../../shared/domain';
import { openServerForm, removeServer, restartServer, selectServer, setServerEnabled, useServers } from '../../state/servers';
import { ServerStatusText } from './ServerStatusText';
import { SignInBadge } from '../auth/SignInBadge';

export function ServerList({ servers }: { servers: ServerStatus[] }) {
  const loaded = useServers((s) => s.serversLoaded);
  if (!loaded) return <p className="muted pad">Loading servers…</p>;
  if (servers.length === 0) return <p className="muted pad">No servers yet. Use “Add server” to connect one.</p>;
  return (
    <ul className="server-list">
      {servers.map((status) => (
        <ServerItem key={status.definition.name} status={status} />
      ))}
    </ul>
  );
}

function ServerItem({ status }: { status: ServerStatus }) {
  const { definition } = status;
  const name = definition.name;
  const selected = useServers((s) => s.selectedServer === name);
  const enabled = definition.enabled !== false;
  return (
    <li data-testid={`server-${name}`} className={`server-item${selected ? ' is-selected' : ''}`}>
      <button type="button" className="server-select" aria-pressed={selected} onClick={() => selectServer(name)}>
        <span className="server-line">
          <span className="server-name">{name}</span>
          <span className="chip">{definition.type}</span>
        </span>
        <ServerStatusText status={status} />
      </button>
      <SignInBadge status={status} />
      <div className="row-actions">
        <button type="button" className="btn btn-small" onClick={() => void restartServer(name)} disabled={!enabled}>
          Restart
        </button>
        <button type="button" className="btn btn-small" onClick={() => openServerForm({ mode: 'edit', name })}>
          Edit
        </button>
        <button type="button" className="btn btn-small" onClick={() => void setServerEnabled(status, !enabled)}>
          {enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => void removeServer(name)}>
          Remove
        </button>
      </div>
    </li>
  );
}
