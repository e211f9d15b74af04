/**
 * Wire format of the web-mode bridge: the IPC contract carried over one WebSocket.
 * The host validates every incoming frame with these schemas before it looks at the channel.
 */
import { z } from 'zod';

/** Path of the WebSocket endpoint. */
export const BRIDGE_PATH = '/bridge';

/**
 * The first frame on every socket: the token the page was opened with. Nothing else is read and
 * no event is sent before it (the token never travels in a URL the host logs or a cookie other
 * services on 127.0.0.1 would receive).
 */
export const HelloFrameSchema = z.object({ kind: z.literal('hello'), token: z.string().max(512) });
export type HelloFrame = z.infer<typeof HelloFrameSchema>;

/** Close code for a socket whose hello carried no or the wrong token: the page must not retry. */
export const BRIDGE_UNAUTHORISED = 4401;

export const ClientFrameSchema = z.object({
  kind: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string(),
  request: z.unknown(),
});
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export type HostFrame =
  | { kind: 'result'; id: number; ok: true; response: unknown }
  | { kind: 'result'; id: number; ok: false; error: string }
  | { kind: 'event'; channel: string; payload: unknown };
