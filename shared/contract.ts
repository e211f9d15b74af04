/**
 * The one IPC contract between the host (main process, or the web-mode bridge) and the renderer.
 *
 * Every channel has a zod schema for its payload. The Electron adapter (ipcMain/contextBridge) and
 * the WebSocket bridge are both generated from these maps, so the renderer sees the same typed
 * `window.sluice` API either way, and the host validates every payload against the same schemas.
 */
import { z } from 'zod';
import {
  AppInfoSchema,
  GenerateRequestSchema,
  GenerationSchema,
  HistoryEntrySchema,
  PendingSamplingSchema,
  ProviderInputSchema,
  ProviderViewSchema,
  SamplingDeltaSchema,
  SamplingEndReasonSchema,
  ServerDefinitionSchema,
  ServerStatusSchema,
  ToolCallResultSchema,
  ToolInfoSchema,
} from './domain.js';
import { CreateMessageResultSchema } from './mcp.js';

const Empty = z.object({}).strict();
const ServerRef = z.object({ name: z.string().min(1) }).strict();
const RequestRef = z.object({ id: z.string().min(1) }).strict();
const Ok = z.object({ ok: z.literal(true) });

/** Request/response channels: the renderer invokes, the host answers. */
export const invokeChannels = {
  'app:info': { request: Empty, response: AppInfoSchema },

  'servers:list': { request: Empty, response: z.array(ServerStatusSchema) },
  /** Adds a server, or replaces the one named `previousName` (a rename keeps its place). */
  'servers:save': {
    request: z.object({ definition: ServerDefinitionSchema, previousName: z.string().optional() }).strict(),
    response: Ok,
  },
  'servers:remove': { request: ServerRef, response: Ok },
  'servers:restart': { request: ServerRef, response: Ok },
  'servers:listTools': { request: ServerRef, response: z.array(ToolInfoSchema) },
  'servers:callTool': {
    request: z
      .object({ name: z.string().min(1), tool: z.string().min(1), arguments: z.record(z.string(), z.unknown()) })
      .strict(),
    response: ToolCallResultSchema,
  },

  'sampling:list': { request: Empty, response: z.array(PendingSamplingSchema) },
  /** Calls the model with the user's edited params; the answer streams as `sampling:delta` events. */
  'sampling:generate': { request: GenerateRequestSchema.strict(), response: GenerationSchema },
  'sampling:stop': { request: RequestRef, response: Ok },
  /** Returns the (possibly edited) answer to the server. */
  'sampling:send': {
    request: z.object({ id: z.string().min(1), result: CreateMessageResultSchema }).strict(),
    response: Ok,
  },
  'sampling:reject': {
    request: z.object({ id: z.string().min(1), reason: z.string().max(500).optional() }).strict(),
    response: Ok,
  },

  'providers:list': { request: Empty, response: z.array(ProviderViewSchema) },
  'providers:save': { request: ProviderInputSchema.strict(), response: ProviderViewSchema },
  'providers:remove': { request: z.object({ id: z.string().min(1) }).strict(), response: Ok },
  'providers:test': {
    request: z.object({ id: z.string().min(1) }).strict(),
    response: z.object({ ok: z.boolean(), message: z.string(), models: z.array(z.string()).optional() }),
  },

  'history:list': { request: Empty, response: z.array(HistoryEntrySchema) },
} as const;

/** Events: the host pushes, the renderer listens. */
export const eventChannels = {
  'servers:changed': z.array(ServerStatusSchema),
  'sampling:added': PendingSamplingSchema,
  'sampling:removed': z.object({ id: z.string(), reason: SamplingEndReasonSchema, message: z.string() }),
  'sampling:delta': SamplingDeltaSchema,
  'history:added': HistoryEntrySchema,
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;
export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>;
export type InvokeResponse<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]['response']>;
export type EventPayload<E extends EventChannel> = z.infer<(typeof eventChannels)[E]>;

export const INVOKE_CHANNEL_NAMES = Object.keys(invokeChannels) as InvokeChannel[];
export const EVENT_CHANNEL_NAMES = Object.keys(eventChannels) as EventChannel[];

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && Object.hasOwn(invokeChannels, value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && Object.hasOwn(eventChannels, value);
}

/** The API the renderer gets as `window.sluice`, whichever transport carries it. */
export interface SluiceApi {
  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Error raised host-side when a payload does not match its channel's schema. */
export class InvalidPayloadError extends Error {
  constructor(channel: string, issues: string) {
    super(`Invalid payload for ${channel}: ${issues}`);
    this.name = 'InvalidPayloadError';
  }
}

/** Validates an invoke request against the contract; throws `InvalidPayloadError` with readable issues. */
export function parseInvokeRequest<C extends InvokeChannel>(channel: C, payload: unknown): z.infer<(typeof invokeChannels)[C]['request']> {
  const result = invokeChannels[channel].request.safeParse(payload ?? {});
  if (!result.success) throw new InvalidPayloadError(channel, z.prettifyError(result.error));
  return result.data as z.infer<(typeof invokeChannels)[C]['request']>;
}
