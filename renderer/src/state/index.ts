/**
 * Where the renderer's state starts: `startSluice` connects the slices to the host once (their
 * event subscriptions) and loads everything. Each slice has one owner and imports only slices
 * listed before it (tests/unit/lint-boundaries.test.ts fails on any cycle):
 *
 *   host.ts                the SluiceApi (the real one, or a fake in unit tests)
 *   app.ts                 view, host info, notices, updates, toasts
 *   activity.ts            progress, tasks, subscriptions
 *   providers.ts           model providers                       (app)
 *   servers.ts             servers, selection, tools and runs    (app, activity)
 *   server-browse.ts       logs, resources, prompts, import      (servers, activity)
 *   gateway.ts             the gateway's status, apps, tokens    (app)
 *   toolcalls.ts           app exposure, server tool rules       (app, servers)
 *   roots.ts               the folders servers may see           (app)
 *   sampling-settings.ts   pause, policies, problems, usage      (app, providers, servers)
 *   history.ts             the History view's pages and filter   (app)
 *   requests/kinds.ts      every kind of request, in one table   (app)
 *   requests/queue.ts      the one request queue                 (app, kinds)
 *   requests/<kind>.ts     answering one kind                    (app, queue)
 *   requests/attention.ts  title count, OS notification          (app, queue, kinds)
 *
 * Components import selectors and actions from the slice that owns them, and reach the host only
 * through them: eslint.config.mjs forbids importing the api module anywhere but main.tsx.
 */
import type { SluiceApi } from '../../../shared/contract';
import { errorMessage } from '../lib/format';
import { bridgeBack, initialAppState, loadAppInfo, loadUpdates, setLoadError, subscribeApp, useApp } from './app';
import { connectHost } from './host';
import { refreshHistory, resetHistory, startHistory } from './history';
import { initialGatewayState, refreshGateway, subscribeGateway, useGateway } from './gateway';
import { initialRootsState, refreshRoots, useRoots } from './roots';
import { initialToolCallsState, refreshToolCalls, subscribeToolCalls, useToolCalls } from './toolcalls';
import { initialActivityState, subscribeActivity, useActivity } from './activity';
import { initialProvidersState, refreshProviders, useProviders } from './providers';
import { initialServerBrowseState, rereadIfShown, subscribeServerBrowse, useServerFeatures } from './server-browse';
import { initialServersState, refreshServers, subscribeServers, useServers } from './servers';
import {
  initialSamplingSettings,
  refreshSamplingSettings,
  refreshUsage,
  subscribeSamplingSettings,
  useSamplingExtras,
} from './sampling-settings';
import { watchAttention } from './requests/attention';
import { initialQueueState, reloadRequests, subscribeRequests, useRequests } from './requests/queue';

/** Loads everything the host knows (start, reconnect, the Reload button); a failure shows in a banner. */
export async function refreshAll(): Promise<void> {
  const results = await Promise.allSettled([
    loadAppInfo(),
    refreshServers(),
    loadUpdates(),
    reloadRequests(),
    refreshProviders(),
    refreshHistory(),
    refreshGateway(),
    refreshToolCalls(),
    refreshRoots(),
  ]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  setLoadError(failed ? `Could not load everything from the Sluice host: ${errorMessage(failed.reason)}` : undefined);
}

let stopCurrent: (() => void) | undefined;

/** Connects the state to `api` (once: a second call is ignored) and loads everything; returns the disconnect. */
export function startSluice(api: SluiceApi): () => void {
  if (stopCurrent) return stopCurrent;
  connectHost(api);
  const off = [
    subscribeApp(api),
    subscribeServers(api),
    subscribeServerBrowse(api),
    subscribeActivity(api, rereadIfShown),
    subscribeRequests(api),
    subscribeSamplingSettings(api),
    subscribeGateway(api),
    subscribeToolCalls(api),
    watchAttention(),
    api.onReconnect(() => {
      bridgeBack();
      void refreshAll();
    }),
  ];
  off.push(startHistory(api));
  void refreshAll();
  void refreshSamplingSettings().catch(() => undefined);
  void refreshUsage().catch(() => undefined);
  stopCurrent = () => {
    off.forEach((unsubscribe) => unsubscribe());
    stopCurrent = undefined;
  };
  return stopCurrent;
}

/** Every slice back to its first state (unit tests start each case from nothing). */
export function resetState(): void {
  useApp.setState(initialAppState(), true);
  useServers.setState(initialServersState(), true);
  useServerFeatures.setState(initialServerBrowseState(), true);
  useActivity.setState(initialActivityState(), true);
  useProviders.setState(initialProvidersState(), true);
  useSamplingExtras.setState(initialSamplingSettings(), true);
  useRequests.setState(initialQueueState(), true);
  useGateway.setState(initialGatewayState(), true);
  useToolCalls.setState(initialToolCallsState(), true);
  useRoots.setState(initialRootsState(), true);
  resetHistory();
}
