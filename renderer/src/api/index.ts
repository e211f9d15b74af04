/**
 * The renderer's only door to the host. In the desktop app the preload script exposes
 * `window.sluice`; in web mode (a plain browser) we build the same API over the WebSocket bridge.
 */
import type { SluiceApi } from '../../../shared/contract';
import { connectWebBridge } from './ws-client';

declare global {
  interface Window {
    sluice?: SluiceApi;
  }
}

let api: SluiceApi | undefined;

export function getApi(): SluiceApi {
  api ??= window.sluice ?? connectWebBridge();
  return api;
}
