import { useApp } from '../state/app';
import { Sidebar } from './Sidebar';
import { Banners } from './Banners';
import { Toasts } from './Toasts';
import { LiveAnnouncer } from './LiveAnnouncer';
import { ServersView } from './servers/ServersView';
import { RequestsView } from './requests/RequestsView';
import { ProvidersView } from './providers/ProvidersView';
import { HistoryView } from './history/HistoryView';
import { ConnectAppsView } from './gateway/ConnectAppsView';
import { RequestDialog, useRequestDialogOpen } from './requests/RequestDialog';

export function App() {
  const view = useApp((s) => s.view);
  // Which request's dialog shows is the queue's decision (state/requests/queue.ts).
  const covered = useRequestDialogOpen();
  return (
    <div className="app">
      <Sidebar />
      <main className="main">
        {/* While the approval dialog is up, the pane under it is inert (the sidebar stays usable). */}
        <div className="main-content" inert={covered} aria-hidden={covered || undefined}>
          <Banners />
          {view === 'servers' && <ServersView />}
          {view === 'requests' && <RequestsView />}
          {view === 'providers' && <ProvidersView />}
          {view === 'history' && <HistoryView />}
          {view === 'apps' && <ConnectAppsView />}
        </div>
        <RequestDialog />
      </main>
      <LiveAnnouncer />
      <Toasts />
    </div>
  );
}
