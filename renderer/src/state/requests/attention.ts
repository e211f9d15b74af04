/**
 * Getting the user's attention while requests wait: the count in the page title, and in a
 * background browser tab (web mode) an OS notification from the Notification API once the user
 * allowed it. The desktop app's main process shows its own native notification and badge.
 */
import { useApp } from '../app';
import { notificationText, type QueuedRequest } from './kinds';
import { selectWaitingCount, useRequests } from './queue';

const BASE_TITLE = typeof document !== 'undefined' ? document.title || 'Sluice' : 'Sluice';

function updateTitle(count: number): void {
  if (typeof document === 'undefined') return;
  document.title = count > 0 ? `(${count}) ${BASE_TITLE}` : BASE_TITLE;
}

function notifyWaiting(item: QueuedRequest): void {
  if (useApp.getState().info?.mode !== 'web' || typeof document === 'undefined' || document.hasFocus()) return;
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const notification = new Notification('Sluice: a request is waiting', { body: notificationText(item), tag: 'sluice-request' });
  notification.onclick = () => window.focus();
}

export function canAskForNotifications(): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'default';
}

export async function askForNotifications(): Promise<void> {
  if (typeof Notification === 'undefined') return;
  await Notification.requestPermission().catch(() => undefined);
}

/** Follows the queue (returns the unsubscribe). */
export function watchAttention(): () => void {
  return useRequests.subscribe((state, previous) => {
    const count = selectWaitingCount(state);
    if (count !== selectWaitingCount(previous)) updateTitle(count);
    if (state.items.length <= previous.items.length) return;
    const known = new Set(previous.items.map((item) => item.key));
    for (const item of state.items) if (!known.has(item.key)) notifyWaiting(item);
  });
}
