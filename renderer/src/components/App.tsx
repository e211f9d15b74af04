import { useStore, selectDialogRequest } from '../store';
import { Sidebar } from './Sidebar';
import { Banners } from './Banners';
import { Toasts } from './Toasts';
import { ServersView } from './servers/ServersView';
import { RequestsView } from './requests/RequestsView';
import { ProvidersView } from './providers/ProvidersView';
import { HistoryView } from './history/HistoryView';
import { ConnectAppsView } from './gateway/ConnectAppsView';
import { SamplingDialog } from './sampling/SamplingDialog';
import { ElicitationHost, useElicitationShowing } from './elicitation/ElicitationHost';
import { ToolCallDialog } from './toolcalls/ToolCallDialog';
import { selectOpenToolCall, useToolCalls } from './toolcalls/toolcall-store';

export function App() {
  const view = useStore((s) => s.view);
  const dialogRequest = useStore(selectDialogRequest);
  const ended = useStore((s) => s.endedDialog);
  const elicitationShowing = useElicitationShowing();
  const toolCall = useToolCalls(selectOpenToolCall);
  const covered = dialogRequest !== undefined || ended !== null || elicitationShowing || toolCall !== undefined;
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
          {view === 'apps' && <ConnectAppsView />}
        </div>
        {ended && <SamplingDialog key={ended.request.id} request={ended.request} ended={ended} />}
        {dialogRequest && <SamplingDialog key={dialogRequest.id} request={dialogRequest} />}
        {!dialogRequest && !ended && <ElicitationHost />}
        {!dialogRequest && !ended && !elicitationShowing && toolCall && <ToolCallDialog key={toolCall.id} call={toolCall} />}
      </div>
      <Toasts />
    </div>
  );
}
