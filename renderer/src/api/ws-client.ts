/**
 * `SluiceApi` over the web-mode WebSocket bridge. Calls made before the socket opens are
 * queued; if the socket drops, pending calls fail with a clear message, we reconnect, and the
 * `onReconnect` listeners reload what may have changed meanwhile.
 */
import type { EventChannel, EventPayload, InvokeChannel, InvokeRequest, InvokeResponse, SluiceApi } from '../../../shared/contract';
import { BRIDGE_PATH, type ClientFrame, type HostFrame } from '../../../shared/bridge-protocol';

const TOKEN_KEY = 'sluice.token';

function readToken(): string {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function connectWebBridge(): SluiceApi {
  const token = readToken();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const reconnectListeners = new Set<() => void>();
  let opened = false;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const outbox: string[] = [];
  let nextId = 1;
  let socket: WebSocket;
  let retryMs = 250;

  const open = () => {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${window.location.host}${BRIDGE_PATH}?token=${encodeURIComponent(token)}`);
    socket.addEventListener('open', () => {
      retryMs = 250;
      for (const frame of outbox.splice(0)) socket.send(frame);
      // Events sent while we were away are lost: tell the listeners to reload.
      if (opened) reconnectListeners.forEach((listener) => listener());
      opened = true;
    });
    socket.addEventListener('message', (message) => {
      const frame = JSON.parse(String(message.data)) as HostFrame;
      if (frame.kind === 'event') {
        listeners.get(frame.channel)?.forEach((listener) => listener(frame.payload));
        return;
      }
      const call = pending.get(frame.id);
      if (!call) return;
      pending.delete(frame.id);
      if (frame.ok) call.resolve(frame.response);
      else call.reject(new Error(frame.error));
    });
    socket.addEventListener('close', () => {
      for (const call of pending.values()) call.reject(new Error('Lost the connection to the Sluice host'));
      pending.clear();
      setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    });
  };
  open();

  return {
    invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
      const id = nextId++;
      const frame: ClientFrame = { kind: 'invoke', id, channel, request };
      return new Promise<InvokeResponse<C>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        const text = JSON.stringify(frame);
        if (socket.readyState === WebSocket.OPEN) socket.send(text);
        else outbox.push(text);
      });
    },
    on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      const untyped = listener as (payload: unknown) => void;
      set.add(untyped);
      return () => set.delete(untyped);
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };
}
