/**
 * Opens an http(s) address the user agreed to open: the desktop host opens it in the system
 * browser (the window itself never navigates); in web mode the page opens a new tab without
 * `opener`. The host checks the address again before it opens anything.
 */
import { openLinkInSystemBrowser, useApp } from '../state/app';

export async function openLink(url: string): Promise<void> {
  if (useApp.getState().info?.mode === 'desktop') {
    await openLinkInSystemBrowser(url);
    return;
  }
  window.open(url, '_blank', 'noopener,noreferrer');
}
