import { openServerForm, useServers } from '../../state/servers';
import { ServerList } from './ServerList';
import { ServerDetail } from './ServerDetail';
import { ServerForm } from './ServerForm';
import { ImportPanel } from './ImportPanel';
import { ImportOffer } from './ImportOffer';
import { openImport, useServerFeatures } from '../../state/server-browse';

export function ServersView() {
  const servers = useServers((s) => s.servers);
  const serversLoaded = useServers((s) => s.serversLoaded);
  const selected = useServers((s) => s.selectedServer);
  const form = useServers((s) => s.serverForm);
  const selectedStatus = servers.find((s) => s.definition.name === selected);
  const importing = useServerFeatures((s) => s.importer.step !== 'closed');
  const editing = form?.mode === 'edit' ? servers.find((s) => s.definition.name === form.name) : undefined;

  return (
    <section className="view view-split" aria-labelledby="servers-title">
      <div className="pane-list">
        <header className="view-header">
          <h1 id="servers-title">Servers</h1>
          <div className="button-row header-actions">
            <button type="button" className="btn" onClick={openImport}>
              Import…
            </button>
            <button type="button" className="btn btn-primary" onClick={() => openServerForm({ mode: 'add' })}>
              Add server
            </button>
          </div>
        </header>
        <ServerList servers={servers} />
      </div>
      <div className="pane-detail">
        {importing ? (
          <ImportPanel />
        ) : form ? (
          <ServerForm key={form.mode === 'edit' ? `edit:${form.name}` : 'add'} existing={editing?.definition} servers={servers} />
        ) : selectedStatus ? (
          <ServerDetail status={selectedStatus} />
        ) : (
          <div className="empty-state">
            <div>
              <p>{servers.length === 0 ? 'Connect an MCP server to get started.' : 'Select a server to see its details and tools.'}</p>
              {serversLoaded && servers.length === 0 && <ImportOffer />}
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
