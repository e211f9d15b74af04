import { useStore, selectDialogRequest } from '../store';
import { Sidebar } from './Sidebar';
import { Banners } from './Banners';
import { Toasts } from './Toasts';
import { ServersView } from './servers/ServersView';
import { RequestsView } from './requests/RequestsView';
import { ProvidersView } from './providers/ProvidersView';
import { HistoryView } from './history/HistoryView';
import { SamplingDialog } from './sampling/SamplingDialog';
import { ElicitationHost, useElicitationShowing } from './elicitation/ElicitationHost';

export function App() {
  const view = useStore((s) => s.view);
  const dialogRequest = useStore(selectDialogRequest);
  const ended = useStore((s) => s.endedDialog);
  const elicitationShowing = useElicitationShowing();
  const covered = dialogRequest !== undefined || ended !== null || elicitationShowing;
  return (
    <div className="app">
      <Sidebar />
      <div className="main">
        {/* While the approval dialog is up, the pane under it is inert (the sidebar stays usable). */}
        <div className="main-content" inert={covered} aria-hidden={covered || undefined}>
          <Banners />
          {view === 'servers' && <ServersView />}
          {view === 'requests' && <RequestsView />}
          {view === 'providers' && <ProvidersView />}
          {view === 'history' && <HistoryView />}
        </div>
        {ended && <SamplingDialog key={ended.request.id} request={ended.request} ended={ended} />}
        {dialogRequest && <SamplingDialog key={dialogRequest.id} request={dialogRequest} />}
        {!dialogRequest && !ended && <ElicitationHost />}
      </div>
      <Toasts />
    </div>
  );
}
