/**
 * The IPC wiring, generated from the shared channel map: one `ipcMain.handle` per invoke channel,
 * forwarding to the host (which validates every payload against the contract's schemas), and
 * every host event relayed to the window. Written against the few methods it uses, so it runs
 * under plain Node in the tests with a fake `ipcMain`.
 *
 * A handler never throws and never rejects: whatever happens (untrusted sender, invalid payload,
 * a failing handler) the renderer gets `{ ok: false, error }` and main keeps running.
 */
import {
  EVENT_CHANNEL_NAMES,
  INVOKE_CHANNEL_NAMES,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
} from '../../shared/contract.js';
import type { IpcEnvelope } from './ipc-envelope.js';

/** The part of Electron's `ipcMain` we use. */
export interface IpcMainLike<Event> {
  handle(channel: string, listener: (event: Event, ...args: unknown[]) => Promise<IpcEnvelope>): void;
  removeHandler(channel: string): void;
}

/** The part of `SluiceHost` we use. */
export interface InvokeTarget {
  invoke(channel: InvokeChannel, request: unknown): Promise<unknown>;
}

export interface EventSource {
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export interface WireIpcOptions<Event> {
  ipcMain: IpcMainLike<Event>;
  host: InvokeTarget;
  /** Whether the event comes from our own page in our own window. */
  isTrustedSender: (event: Event) => boolean;
  log?: (message: string) => void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Registers a handler for every contract invoke channel; returns a function that removes them. */
export function wireIpc<Event>({ ipcMain, host, isTrustedSender, log = console.warn }: WireIpcOptions<Event>): () => void {
  for (const channel of INVOKE_CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event, request): Promise<IpcEnvelope> => {
      try {
        if (!isTrustedSender(event)) {
          log(`sluice: refused ${channel} from an untrusted sender`);
          return { ok: false, error: 'Untrusted sender' };
        }
        return { ok: true, value: await host.invoke(channel, request) };
      } catch (error) {
        const message = messageOf(error);
        if (error instanceof Error && error.name === 'InvalidPayloadError')
          log(`sluice: rejected an invalid payload on ${channel}: ${message}`);
        return { ok: false, error: message };
      }
    });
  }
  return () => {
    for (const channel of INVOKE_CHANNEL_NAMES) ipcMain.removeHandler(channel);
  };
}

/** Relays every contract event from the host to `send` (the window's webContents); returns the unsubscriber. */
export function relayEvents(
  events: EventSource,
  send: (channel: EventChannel, payload: unknown) => void,
  log: (message: string) => void = console.warn,
): () => void {
  const unsubscribers = EVENT_CHANNEL_NAMES.map((channel) =>
    events.on(channel, (payload) => {
      try {
        send(channel, payload);
      } catch (error) {
        // The window may be closing; an event it misses is re-read by the renderer on load.
        log(`sluice: could not deliver ${channel}: ${messageOf(error)}`);
      }
    }),
  );
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}

/** The part of an IPC event that identifies its sender. */
export interface SenderInfo {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * Whether an IPC event comes from our page: the top frame of our window's web contents, showing
 * our renderer file (query and hash aside). A subframe, another window, or a page that somehow
 * navigated elsewhere gets nothing.
 */
export function isTrustedSender(event: SenderInfo, expectedContents: unknown, rendererUrl: string): boolean {
  const frame = event.senderFrame;
  if (!expectedContents || event.sender !== expectedContents || !frame || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    const expected = new URL(rendererUrl);
    // Compare decoded paths (Chromium and Node may percent-encode differently); Windows paths ignore case.
    const normalise = (pathname: string) => {
      const decoded = decodeURIComponent(pathname);
      return process.platform === 'win32' ? decoded.toLowerCase() : decoded;
    };
    return url.protocol === expected.protocol && url.host === expected.host && normalise(url.pathname) === normalise(expected.pathname);
  } catch {
    return false;
  }
}
