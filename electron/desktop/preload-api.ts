/**
 * The API the preload script exposes as `window.sluice`, built from the shared channel map over
 * any `ipcRenderer`-like object (the real one in the preload, a fake in the tests). Exactly the
 * contract's `SluiceApi` (`invoke`, `on`, `onReconnect`), and only for the contract's channels:
 * anything else is refused before it reaches IPC.
 */
import { isEventChannel, isInvokeChannel } from '../../shared/channels.js';
import type { SluiceApi } from '../../shared/contract.js';
import type { IpcEnvelope } from './ipc-envelope.js';

/** The part of Electron's `ipcRenderer` the API uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** The keys of `window.sluice`; a test holds the preload to exactly these. */
export const PRELOAD_API_KEYS = ['invoke', 'on', 'onReconnect'] as const;

function isEnvelope(value: unknown): value is IpcEnvelope {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

export function createPreloadApi(ipc: IpcRendererLike): SluiceApi {
  const api: SluiceApi = {
    async invoke(channel, request) {
      if (!isInvokeChannel(channel)) throw new Error(`Unknown channel ${String(channel)}`);
      const envelope = await ipc.invoke(channel, request);
      if (!isEnvelope(envelope)) throw new Error(`Malformed reply on ${channel}`);
      if (!envelope.ok) throw new Error(envelope.error);
      return envelope.value as never;
    },
    on(channel, listener) {
      if (!isEventChannel(channel)) throw new Error(`Unknown event ${String(channel)}`);
      // The IPC event object (with its `sender`) never reaches the page: only the payload does.
      const relay = (_event: unknown, payload: unknown) => listener(payload as never);
      ipc.on(channel, relay);
      return () => {
        ipc.removeListener(channel, relay);
      };
    },
    // IPC lives as long as the page (a reload starts the renderer afresh): nothing to reconnect.
    onReconnect() {
      return () => undefined;
    },
  };
  return Object.freeze(api);
}
