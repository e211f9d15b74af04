/**
 * Wire format of the web-mode bridge: the IPC contract carried over one WebSocket.
 * The host validates every incoming frame with these schemas before it looks at the channel.
 */
import { z } from 'zod';

/** Path of the WebSocket endpoint; the token travels as the `token` query parameter. */
export const BRIDGE_PATH = '/bridge';

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
