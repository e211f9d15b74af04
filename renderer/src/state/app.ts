/**
 * The app slice: which view shows, what the host says about itself (info, notices, updates), the
 * web page's link to the host, and toasts. Every other slice may import this one; it imports none.
 */
import { create } from 'zustand';
import type { AppInfo, UpdateState } from '../../../shared/domain';
import type { SluiceApi } from '../../../shared/contract';
import { errorMessage } from '../lib/format';
import { host } from './host';
import { pushToast, toastLifetime, type Toast } from '../lib/toast-queue';

export type View = 'servers' | 'requests' | 'providers' | 'history' | 'apps';

export type { Toast } from '../lib/toast-queue';

export interface AppState {
  view: View;
  info?: AppInfo;
  /** The desktop app's self-update (web mode: `supported: false`). */
  updates?: UpdateState;
  /** Web mode: the socket to the host is down (`newAddress`: the host restarted with a new token). */
  bridgeLost?: { newAddress: boolean };
  notices: string[];
  loadError?: string;
  toasts: Toast[];
}

export const initialAppState = (): AppState => ({ view: 'servers', notices: [], toasts: [] });

export const useApp = create<AppState>()(initialAppState);

const set = useApp.setState;

let nextToastId = 1;

export function toast(kind: Toast['kind'], text: string, action?: Toast['action']): void {
  const { toasts, shown } = pushToast(useApp.getState().toasts, { kind, text, action }, () => nextToastId++);
  set({ toasts });
  const lifetime = toastLifetime(shown);
  // A merged toast restarts its time: only the timer of its latest copy dismisses it.
  if (lifetime !== undefined)
    setTimeout(() => set((s) => ({ toasts: s.toasts.filter((t) => !(t.id === shown.id && t.count === shown.count)) })), lifetime);
}

export function dismissToast(id: number): void {
  set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

const dismissedNotices = new Set<string>();

export function dismissNotice(text: string): void {
  dismissedNotices.add(text);
  set((s) => ({ notices: s.notices.filter((n) => n !== text) }));
}

/** Navigating also puts an open request dialog aside: the request queue watches `view` (state/requests/queue.ts). */
export function setView(view: View): void {
  set({ view });
}

export function setLoadError(loadError: string | undefined): void {
  set({ loadError });
}

export async function loadAppInfo(): Promise<void> {
  const info = await host().invoke('app:info', {});
  set({ info, notices: info.notices.filter((n) => !dismissedNotices.has(n)) });
}

export async function loadUpdates(): Promise<void> {
  set({ updates: await host().invoke('updates:state', {}) });
}

/** The setting "Check for updates at start" (Help → Check for Updates works either way). */
export async function setUpdatesEnabled(enabled: boolean): Promise<void> {
  try {
    set({ updates: await host().invoke('updates:setEnabled', { enabled }) });
  } catch (error) {
    toast('error', `Could not change the update setting: ${errorMessage(error)}`);
  }
}

/** "Check now": asks the release feed at once (a new version then downloads in the background). */
export async function checkForUpdates(): Promise<void> {
  try {
    set({ updates: await host().invoke('updates:check', {}) });
  } catch (error) {
    toast('error', `Could not check for updates: ${errorMessage(error)}`);
  }
}

/** "Restart to update": quits and installs the downloaded version. */
export async function restartToUpdate(): Promise<void> {
  try {
    await host().invoke('updates:restart', {});
  } catch (error) {
    toast('error', `Could not restart to update: ${errorMessage(error)}`);
  }
}

/** The desktop host opens an address in the system browser (it checks the address again first). */
export async function openLinkInSystemBrowser(url: string): Promise<void> {
  await host().invoke('app:openLink', { url });
}

/** The host's app events; returns the unsubscribe. */
export function subscribeApp(api: SluiceApi): () => void {
  const off = [
    api.on('updates:changed', (updates) => set({ updates })),
    // Web mode: the banner says at once that what the page shows is no longer live.
    api.onConnectionLost?.((info) => set({ bridgeLost: info })),
  ];
  return () => off.forEach((unsubscribe) => unsubscribe?.());
}

/** The transport came back (web mode): the banner goes; the caller reloads everything. */
export function bridgeBack(): void {
  set({ bridgeLost: undefined });
}
