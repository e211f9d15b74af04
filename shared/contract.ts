/**
 * The one IPC contract between the host (main process, or the web-mode bridge) and the renderer.
 *
 * Every channel has a zod schema for its payload. The Electron adapter (ipcMain/contextBridge) and
 * the WebSocket bridge are both generated from these maps, so the renderer sees the same typed
 * `window.sluice` API either way, and the host validates every payload against the same schemas.
 */
import { z } from 'zod';
import type { EventChannelName, InvokeChannelName } from './channels.js';
import {
  AuthSettingsSchema,
  AuthSettingsViewSchema,
  AppInfoSchema,
  GenerateRequestSchema,
  GenerationSchema,
  PendingSamplingSchema,
  StrictProviderInputSchema,
  ProviderTestInputSchema,
  ProviderViewSchema,
  SamplingDeltaSchema,
  SamplingEndReasonSchema,
  ServerDefinitionSchema,
  ServerStatusSchema,
  ToolCallResultSchema,
  ToolInfoSchema,
} from './domain.js';
import {
  HistoryDetailSchema,
  HistoryExportFormatSchema,
  HistoryFilterSchema,
  HistoryPageRequestSchema,
  HistoryPageSchema,
  HistoryRetentionSchema,
  HistoryRowSchema,
} from './history.js';
import { CreateMessageResultSchema } from './mcp.js';
import { SamplingProblemSchema, SamplingSettingsSchema, ServerSamplingPolicySchema, UsageRowSchema } from './domain.js';
import {
  GetPromptResultSchema,
  ImportApplyRequestSchema,
  ImportApplyResultSchema,
  ImportLocationSchema,
  ImportPreviewSchema,
  ListKindSchema,
  LogLevelSchema,
  PromptInfoSchema,
  ReadResourceResultSchema,
  ResourceInfoSchema,
  ResourceTemplateInfoSchema,
  ServerLogEntrySchema,
} from './server-features.js';
import { CallIdSchema, CompletionRequestSchema, CompletionResultSchema, ProgressEventSchema, TaskViewSchema } from './server-activity.js';
import {
  ElicitationActionSchema,
  ElicitationEndReasonSchema,
  PendingElicitationSchema,
  RootFolderSchema,
  UpdateStateSchema,
} from './domain.js';

import {
  AppExposureSchema,
  PendingToolCallSchema,
  ToolCallAnswerSchema,
  ToolCallEndReasonSchema,
  ToolCallSettingsSchema,
  ToolPresetSchema,
  ToolRuleSchema,
  ServerToolRowSchema,
} from './toolcalls.js';
import { AppConfigPreviewSchema, AppConfigTargetSchema, AppIdSchema, GatewayStatusSchema } from './gateway.js';

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
    request: z
      .object({
        definition: ServerDefinitionSchema,
        previousName: z.string().optional(),
        /** A static OAuth client's secret: a new one, `null` removes it, absent keeps it. Kept in the secret store. */
        clientSecret: z.string().min(1).nullable().optional(),
        /** A client-credentials client's private key (PEM, `private_key_jwt`): same rules, never sent back. */
        privateKey: z.string().min(1).max(16_384).nullable().optional(),
        /** Enterprise-managed authorization: the client secret at the identity provider. Same rules. */
        idpClientSecret: z.string().min(1).max(4_096).nullable().optional(),
        /** Enterprise-managed authorization: the ID token the identity provider issued to the user. Same rules. */
        idpIdToken: z.string().trim().min(1).max(16_384).nullable().optional(),
      })
      .strict(),
    response: Ok,
  },
  'servers:remove': { request: ServerRef, response: Ok },
  'servers:restart': { request: ServerRef, response: Ok },
  'servers:listTools': { request: ServerRef, response: z.array(ToolInfoSchema) },
  'servers:callTool': {
    request: z
      .object({
        name: z.string().min(1),
        tool: z.string().min(1),
        arguments: z.record(z.string(), z.unknown()),
        /** Names the call for `servers:cancel` and `servers:progress`. */
        callId: CallIdSchema.optional(),
        /** A tool whose `execution.taskSupport` is `optional`: run it as a task (required ones always are). */
        asTask: z.boolean().optional(),
      })
      .strict(),
    response: ToolCallResultSchema,
  },
  'servers:setEnabled': { request: z.object({ name: z.string().min(1), enabled: z.boolean() }).strict(), response: Ok },
  /** The server's recent log: stderr, MCP logging notifications and Sluice's life-cycle notes. */
  'servers:logs': { request: ServerRef, response: z.array(ServerLogEntrySchema) },
  /** `logging/setLevel`: the lowest level the server should send as notifications. */
  'servers:setLogLevel': { request: z.object({ name: z.string().min(1), level: LogLevelSchema }).strict(), response: Ok },
  'servers:listResources': { request: ServerRef, response: z.array(ResourceInfoSchema) },
  'servers:listResourceTemplates': { request: ServerRef, response: z.array(ResourceTemplateInfoSchema) },
  'servers:readResource': {
    request: z.object({ name: z.string().min(1), uri: z.string().min(1), callId: CallIdSchema.optional() }).strict(),
    response: ReadResourceResultSchema,
  },
  /** Cancels a call started with a `callId` (the server gets `notifications/cancelled`); false when it had already ended. */
  'servers:cancel': {
    request: z.object({ name: z.string().min(1), callId: CallIdSchema }).strict(),
    response: z.object({ ok: z.literal(true), cancelled: z.boolean() }),
  },
  /** `resources/subscribe` / `resources/unsubscribe` (when the server declares `resources.subscribe`). */
  'servers:subscribe': { request: z.object({ name: z.string().min(1), uri: z.string().min(1) }).strict(), response: Ok },
  'servers:unsubscribe': { request: z.object({ name: z.string().min(1), uri: z.string().min(1) }).strict(), response: Ok },
  /** `completion/complete` for a prompt argument or a resource-template variable. */
  'servers:complete': { request: CompletionRequestSchema, response: CompletionResultSchema },
  /** The tasks Sluice follows for a server, merged with the server's `tasks/list`. */
  /**
   * Desktop only: opens an http(s) link from server content (markdown) in the system browser,
   * after the user agreed in the renderer. The host refuses anything but http(s) without credentials.
   */
  'app:openLink': { request: z.object({ url: z.string().min(1).max(8_000) }).strict(), response: Ok },
  'tasks:list': { request: ServerRef, response: z.array(TaskViewSchema) },
  'tasks:cancel': { request: z.object({ name: z.string().min(1), taskId: z.string().min(1) }).strict(), response: TaskViewSchema },
  'servers:listPrompts': { request: ServerRef, response: z.array(PromptInfoSchema) },
  /**
   * Starts signing in to a remote server (OAuth): answers once the authorization page is open (the
   * desktop app opens the system browser) or, in web mode, with its address for the renderer to
   * open. The outcome arrives as the server's `auth` status.
   */
  'servers:signIn': {
    request: ServerRef,
    response: z.object({ ok: z.literal(true), authorizationUrl: z.string().optional() }),
  },
  /** Forgets the server's tokens (and stops a sign-in in progress). */
  'servers:signOut': { request: ServerRef, response: Ok },
  /** The app-wide sign-in settings (the Client ID Metadata Document URL for servers without their own). */
  'auth:settings': { request: Empty, response: AuthSettingsViewSchema },
  'auth:setSettings': { request: AuthSettingsSchema.strict(), response: Ok },
  'servers:getPrompt': {
    request: z
      .object({
        name: z.string().min(1),
        prompt: z.string().min(1),
        arguments: z.record(z.string(), z.string()),
        callId: CallIdSchema.optional(),
      })
      .strict(),
    response: GetPromptResultSchema,
  },

  /** Claude Desktop's, VS Code's and Cursor's config files at their usual places. */
  'import:scan': { request: Empty, response: z.array(ImportLocationSchema) },
  /** Desktop only: the native file picker; `path` is absent when the user cancelled. */
  'import:pickFile': { request: Empty, response: z.object({ path: z.string().optional() }) },
  'import:preview': {
    request: z.object({ path: z.string().trim().min(1, 'Give the path of a config file') }).strict(),
    response: ImportPreviewSchema,
  },
  'import:apply': { request: ImportApplyRequestSchema.strict(), response: ImportApplyResultSchema },

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
  /** "Apply to all pending from this server": each is generated with its preselected model and sent unedited. */
  'sampling:approveAll': {
    request: z.object({ serverName: z.string().min(1) }).strict(),
    response: z.object({ approved: z.number(), skipped: z.number() }),
  },
  'sampling:rejectAll': {
    request: z.object({ serverName: z.string().min(1), reason: z.string().max(500).optional() }).strict(),
    response: z.object({ rejected: z.number() }),
  },
  /** The kill switch and every server's sampling policy. */
  'sampling:settings': {
    request: Empty,
    response: SamplingSettingsSchema.extend({ policies: z.record(z.string(), ServerSamplingPolicySchema) }),
  },
  'sampling:setPaused': { request: z.object({ paused: z.boolean() }).strict(), response: Ok },
  /** Sets (or with `policy` absent, resets to Ask) one server's sampling policy. Never restarts the server. */
  'sampling:setPolicy': {
    request: z.object({ serverName: z.string().min(1), policy: ServerSamplingPolicySchema.optional() }).strict(),
    response: Ok,
  },

  'providers:list': { request: Empty, response: z.array(ProviderViewSchema) },
  'providers:save': { request: StrictProviderInputSchema, response: ProviderViewSchema },
  'providers:remove': { request: z.object({ id: z.string().min(1) }).strict(), response: Ok },
  /** `{ id }` tests a saved provider as stored; a draft tests the form's values without saving anything. */
  'providers:test': {
    request: z.union([z.object({ id: z.string().min(1) }).strict(), ProviderTestInputSchema]),
    response: z.object({ ok: z.boolean(), message: z.string(), models: z.array(z.string()).optional() }),
  },

  /** One page of history rows, newest first (shared/history.ts); never the whole history. */
  'history:page': { request: HistoryPageRequestSchema, response: HistoryPageSchema },
  /**
   * How many entries match, and the newest entry's position (`upTo`): a delete confirmed for this
   * count passes it back, so entries recorded after the user saw the count are not deleted.
   */
  'history:count': {
    request: z.object({ filter: HistoryFilterSchema.default({}) }).strict(),
    response: z.object({ count: z.number(), total: z.number(), upTo: z.number() }),
  },
  /** One entry with its full request and answer (the detail pane); null when it was deleted. */
  'history:get': { request: RequestRef, response: HistoryDetailSchema.nullable() },
  /** The servers, apps, tools (of `serverName` when given) and models the filter menus offer. */
  'history:facets': {
    request: z.object({ serverName: z.string().optional() }).strict().default({}),
    response: z.object({
      servers: z.array(z.string()),
      apps: z.array(z.string()),
      tools: z.array(z.string()),
      models: z.array(z.string()),
    }),
  },
  /** Requests, tokens and estimated cost per server per day (sampling). */
  'history:usage': { request: Empty, response: z.array(UsageRowSchema) },
  /**
   * Desktop: asks where to save (native dialog), then streams the matching entries there; `path`
   * is absent when the user cancelled. Web mode: `download` is a one-time address (under
   * HISTORY_EXPORT_PATH, valid for a minute) the page downloads the stream from.
   */
  'history:export': {
    request: z.object({ filter: HistoryFilterSchema.default({}), format: HistoryExportFormatSchema }).strict(),
    response: z.object({ path: z.string().optional(), count: z.number(), download: z.string().optional() }),
  },
  /** Deletes the entries matching `filter` recorded up to `upTo` (from history:count). */
  'history:delete': {
    request: z.object({ filter: HistoryFilterSchema, upTo: z.number().int().min(0) }).strict(),
    response: z.object({ deleted: z.number() }),
  },
  'history:retention': { request: Empty, response: HistoryRetentionSchema },
  /** Stores the retention setting and applies it at once. */
  'history:setRetention': {
    request: z.object({ retention: HistoryRetentionSchema }).strict(),
    response: z.object({ removed: z.number() }),
  },

  'elicitation:list': { request: Empty, response: z.array(PendingElicitationSchema) },
  /**
   * The user's answer. Form mode: `content` is validated against the server's schema before it is
   * sent. URL mode: `accept` is consent; the desktop host opens the URL itself, in web mode the
   * renderer has already opened it in a new tab.
   */
  'elicitation:respond': {
    request: z
      .object({
        id: z.string().min(1),
        action: ElicitationActionSchema,
        content: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).optional(),
      })
      .strict(),
    response: Ok,
  },
  /** Forget a URL-mode request that was accepted and opened, without waiting for the server. */
  'elicitation:dismiss': { request: RequestRef, response: Ok },

  'roots:get': {
    request: Empty,
    response: z.object({
      global: z.array(RootFolderSchema),
      servers: z.record(z.string(), z.array(RootFolderSchema)),
      /** The desktop app has a native folder picker; web mode types paths. */
      canPickFolder: z.boolean(),
    }),
  },
  'roots:setGlobal': { request: z.object({ roots: z.array(RootFolderSchema) }).strict(), response: Ok },
  'roots:setServer': { request: z.object({ name: z.string().min(1), roots: z.array(RootFolderSchema) }).strict(), response: Ok },
  /** Checks that a typed path is an existing folder; answers with the absolute path. */
  'roots:checkFolder': {
    request: z.object({ path: z.string() }).strict(),
    response: z.object({ ok: z.boolean(), path: z.string(), message: z.string().optional() }),
  },
  'roots:pickFolder': { request: Empty, response: z.object({ path: z.string().optional() }) },

  /** Gateway tool calls waiting for the user. */
  'toolCalls:list': { request: Empty, response: z.array(PendingToolCallSchema) },
  /** Approve (the possibly edited arguments, validated against the tool's input schema) or reject. */
  'toolCalls:respond': { request: ToolCallAnswerSchema, response: Ok },
  /** Checks edited arguments against the pending call's input schema; an empty list means valid. */
  'toolCalls:validate': {
    request: z.object({ id: z.string().min(1), arguments: z.unknown() }).strict(),
    response: z.object({ problems: z.array(z.string()) }),
  },
  /** Every server's tool-call preset and rules, and every app token's hidden servers and tools. */
  'toolCalls:settings': { request: Empty, response: ToolCallSettingsSchema },
  /** A connected server's tools with their rules and annotations, for the tool table. */
  'toolCalls:serverTools': { request: ServerRef, response: z.object({ preset: ToolPresetSchema, tools: z.array(ServerToolRowSchema) }) },
  'toolCalls:setPreset': { request: z.object({ serverName: z.string().min(1), preset: ToolPresetSchema }).strict(), response: Ok },
  /** Sets one tool's rule (absent: back to the preset). `allow` remembers the tool's current definition. */
  'toolCalls:setToolRule': {
    request: z.object({ serverName: z.string().min(1), tool: z.string().min(1), rule: ToolRuleSchema.optional() }).strict(),
    response: Ok,
  },
  /** What one app token may not see; its connected sessions get `list_changed`. */
  'toolCalls:setExposure': { request: z.object({ tokenId: z.string().min(1), exposure: AppExposureSchema }).strict(), response: Ok },
  // ---------- gateway (electron/core/gateway) ----------
  'gateway:status': { request: Empty, response: GatewayStatusSchema },
  /** Switches the endpoint on or off, or moves it to another port (0 = any free port). */
  'gateway:configure': {
    request: z.object({ enabled: z.boolean().optional(), port: z.number().int().min(0).max(65_535).optional() }).strict(),
    response: Ok,
  },
  /** A new app token: the secret is in this response only. */
  'gateway:createToken': {
    request: z.object({ label: z.string().trim().min(1, 'Name the app this token is for').max(100) }).strict(),
    response: z.object({ token: z.string(), id: z.string() }),
  },
  'gateway:revokeToken': { request: RequestRef, response: Ok },
  /** A server's gateway settings: exposed through the gateway, who answers its requests. */
  'gateway:setServer': {
    request: z.object({ name: z.string().min(1), exposed: z.boolean().optional(), answer: z.enum(['sluice', 'app']).optional() }).strict(),
    response: Ok,
  },
  'gateway:appConfigs': { request: Empty, response: z.array(AppConfigTargetSchema) },
  'gateway:previewAppConfig': {
    request: z.object({ app: AppIdSchema, token: z.string().max(200).optional() }).strict(),
    response: AppConfigPreviewSchema,
  },
  'gateway:writeAppConfig': {
    request: z.object({ app: AppIdSchema, token: z.string().max(200).optional(), replace: z.boolean() }).strict(),
    response: z.object({ path: z.string(), backup: z.string().optional() }),
  },
  /** The desktop app's self-update (web mode answers `supported: false`). */
  'updates:state': { request: Empty, response: UpdateStateSchema },
  /** Checks the release feed now (downloads in the background when there is a new version). */
  'updates:check': { request: Empty, response: UpdateStateSchema },
  /** The setting: check for updates at start. */
  'updates:setEnabled': { request: z.object({ enabled: z.boolean() }).strict(), response: UpdateStateSchema },
  /** Quits and installs a downloaded update ("Restart to update"). */
  'updates:restart': { request: Empty, response: Ok },
} as const;

/** Events: the host pushes, the renderer listens. */
export const eventChannels = {
  'servers:changed': z.array(ServerStatusSchema),
  'sampling:added': PendingSamplingSchema,
  'sampling:removed': z.object({ id: z.string(), reason: SamplingEndReasonSchema, message: z.string() }),
  'sampling:delta': SamplingDeltaSchema,
  /** An entry was recorded: its row (the details are one history:get away). */
  'history:added': HistoryRowSchema,
  /** A sampling request could not be served (policy, limit, missing key, auto-approve failure). */
  'sampling:problem': SamplingProblemSchema,
  'sampling:settingsChanged': SamplingSettingsSchema.extend({ policies: z.record(z.string(), ServerSamplingPolicySchema) }),
  'servers:log': z.object({ name: z.string(), entry: ServerLogEntrySchema }),
  /** A server said its tools, resources or prompts changed (a `notifications/.../list_changed`). */
  'servers:listChanged': z.object({ name: z.string(), kind: ListKindSchema }),
  /** Progress of a call started with a `callId` (throttled by the host). */
  'servers:progress': ProgressEventSchema,
  /** A subscribed resource changed (`notifications/resources/updated`, coalesced per resource). */
  'servers:resourceUpdated': z.object({ name: z.string(), uri: z.string() }),
  /** A task Sluice follows changed (status, message, result). */
  'tasks:changed': TaskViewSchema,
  'elicitation:added': PendingElicitationSchema,
  'elicitation:updated': PendingElicitationSchema,
  'elicitation:removed': z.object({ id: z.string(), reason: ElicitationEndReasonSchema, message: z.string() }),
  'toolCalls:added': PendingToolCallSchema,
  'toolCalls:removed': z.object({ id: z.string(), reason: ToolCallEndReasonSchema, message: z.string() }),
  'toolCalls:settingsChanged': ToolCallSettingsSchema,
  /** The gateway's state changed: on/off, port, apps connected, calls, tokens. */
  'gateway:changed': GatewayStatusSchema,
  'updates:changed': UpdateStateSchema,
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;
export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>;
export type InvokeResponse<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]['response']>;
/** A request after the host validated it (defaults applied): what a handler receives. */
export type ParsedInvokeRequest<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['request']>;
export type EventPayload<E extends EventChannel> = z.infer<(typeof eventChannels)[E]>;

export { EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES, isEventChannel, isInvokeChannel } from './channels.js';

/** Compile-time proof that the schema maps and the plain name lists (shared/channels.ts) agree. */
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const invokeNamesAgree: SameKeys<InvokeChannel, InvokeChannelName> = true;
const eventNamesAgree: SameKeys<EventChannel, EventChannelName> = true;
void invokeNamesAgree;
void eventNamesAgree;

/** The API the renderer gets as `window.sluice`, whichever transport carries it. */
export interface SluiceApi {
  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<InvokeResponse<C>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * Subscribes to the transport coming back after it dropped: events may have been missed
   * meanwhile, so the listener reloads what it shows. Web mode's socket can drop and reconnect;
   * the desktop app's IPC lives as long as the page, so there it never fires.
   */
  onReconnect(listener: () => void): () => void;
  /**
   * Web mode only (absent in the desktop app, whose IPC cannot drop): the socket to the host is
   * down. `newAddress`: the host answers but refuses this page's token, i.e. it was restarted and
   * its new URL must be opened.
   */
  onConnectionLost?(listener: (info: { newAddress: boolean }) => void): () => void;
}

/** Error raised host-side when a payload does not match its channel's schema. */
export class InvalidPayloadError extends Error {
  constructor(channel: string, issues: string) {
    super(`Invalid payload for ${channel}: ${issues}`);
    this.name = 'InvalidPayloadError';
  }
}

/** Validates an invoke request against the contract; throws `InvalidPayloadError` with readable issues. */
export function parseInvokeRequest<C extends InvokeChannel>(channel: C, payload: unknown): ParsedInvokeRequest<C> {
  const result = invokeChannels[channel].request.safeParse(payload ?? {});
  if (!result.success) throw new InvalidPayloadError(channel, z.prettifyError(result.error));
  return result.data as ParsedInvokeRequest<C>;
}
