/**
 * The preload script: exposes exactly one API, `window.sluice`, generated from the shared channel
 * map. Nothing else of Electron or Node reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventChannel, isInvokeChannel, type SluiceApi } from '../shared/contract.js';
import type { IpcEnvelope } from './desktop/ipc-envelope.js';

const api: SluiceApi = {
  async invoke(channel, request) {
    if (!isInvokeChannel(channel)) throw new Error(`Unknown channel ${String(channel)}`);
    const envelope = (await ipcRenderer.invoke(channel, request)) as IpcEnvelope;
    if (!envelope.ok) throw new Error(envelope.error);
    return envelope.value as never;
  },
  on(channel, listener) {
    if (!isEventChannel(channel)) throw new Error(`Unknown event ${String(channel)}`);
    const relay = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(channel, relay);
    return () => {
      ipcRenderer.removeListener(channel, relay);
    };
  },
};

contextBridge.exposeInMainWorld('sluice', api);
