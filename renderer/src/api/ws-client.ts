/**
 * `SluiceApi` over the web-mode WebSocket bridge. Calls made before the socket opens are
 * queued; if the socket drops, pending calls fail with a clear message, we reconnect, and the
 * `onReconnect` listeners reload what may have changed meanwhile.
 *
 * The token comes in the printed URL's fragment (`#token=…`); the page keeps it in memory and in
 * sessionStorage (per origin, port included, so a reload works), removes it from the address bar,
 * and sends it as the socket's first frame. It is never put in a cookie or a request URL.
 */
import type { EventChannel, EventPayload, InvokeChannel, InvokeRequest, InvokeResponse, SluiceApi } from '../../../shared/contract';
import { BRIDGE_PATH, BRIDGE_UNAUTHORISED, type ClientFrame, type HelloFrame, type HostFrame } from '../../../shared/bridge-protocol';

const TOKEN_KEY = 'sluice.token';

function readToken(): string {
  const fromUrl =
    new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Out of the address bar (and so out of bookmarks, screen shares and history).
    window.history.replaceState(null, '', window.location.pathname);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const REFUSED = 'Sluice refused this page: open the address (with its #token) that `npm run web` printed.';

export function connectWebBridge(): SluiceApi {
  let token = readToken();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const reconnectListeners = new Set<() => void>();
  const lostListeners = new Set<(info: { newAddress: boolean }) => void>();
  let opened = false;
  /** Whether the socket is down (announced once per outage, then once more if the address is stale). */
  let lost = false;
  const announceLost = (newAddress: boolean) => lostListeners.forEach((listener) => listener({ newAddress }));
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const outbox: string[] = [];
  let nextId = 1;
  let socket: WebSocket;
  let retryMs = 250;
  let refused = false;

  const open = () => {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${window.location.host}${BRIDGE_PATH}`);
    socket.addEventListener('open', () => {
      lost = false;
      retryMs = 250;
      const hello: HelloFrame = { kind: 'hello', token };
      socket.send(JSON.stringify(hello));
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
    socket.addEventListener('close', (event) => {
      refused = event.code === BRIDGE_UNAUTHORISED;
      for (const call of pending.values()) call.reject(new Error(refused ? REFUSED : 'Lost the connection to the Sluice host'));
      pending.clear();
      // At once when the socket drops, so the page stops presenting stale state as live.
      if (!lost) {
        lost = true;
        announceLost(false);
      }
      // A refused token is a restarted `npm run web` with a new token this page cannot know: say
      // so (open the new address) instead of retrying, which would only hammer the host.
      if (refused) {
        announceLost(true);
        return;
      }
      setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    });
  };
  open();
  // Opening the new address that a restarted `npm run web` printed in this same tab only changes
  // the fragment (no reload): take its token and connect again.
  window.addEventListener('hashchange', () => {
    if (!/[#&]token=/.test(window.location.hash)) return;
    token = readToken();
    if (!refused) return;
    refused = false;
    retryMs = 250;
    open();
  });

  return {
    invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>> {
      const id = nextId++;
      const frame: ClientFrame = { kind: 'invoke', id, channel, request };
      return new Promise<InvokeResponse<C>>((resolve, reject) => {
        if (refused) return reject(new Error(REFUSED));
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
    onConnectionLost(listener) {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
  };
}
