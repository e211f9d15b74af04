/**
 * Sluice's domain types, as zod schemas so that every IPC payload is validated on arrival.
 * Pure: no Node, Electron or DOM imports (the renderer, the preload and the core all load this).
 */
import { z } from 'zod';
import { CreateMessageParamsSchema, CreateMessageResultSchema } from './mcp.js';
import { LogLevelSchema } from './server-features.js';
import { ToolCallHistoryEntrySchema, type ToolCallHistoryEntry } from './toolcalls.js';

// ---------- servers ----------

const KeyValues = z.record(z.string(), z.string());

/** Which protocol era to speak: probe (`auto`), the 2025 `initialize` handshake, or 2026-07-28. */
export const EraPreferenceSchema = z.enum(['auto', 'legacy', 'modern']);

// ---------- per-server sampling policy (stored by electron/core/sampling/policy-store.ts, keyed by server name) ----------

export const ModelRefSchema = z.object({ providerId: z.string().min(1), model: z.string().min(1) });
export type ModelRef = z.infer<typeof ModelRefSchema>;

/** How Sluice treats sampling requests from one server. Every field is optional: absent = ask, no caps. */
export const ServerSamplingPolicySchema = z.object({
  /** `ask` (default): the dialog; `auto`: answered without asking, within the caps; `deny`: always refused. */
  policy: z.enum(['ask', 'auto', 'deny']).default('ask'),
  /** Auto-approve: the request's maxTokens is lowered to this. */
  maxTokens: z.number().int().positive().optional(),
  /** Requests beyond this many in the last minute are refused with an error (any policy). */
  requestsPerMinute: z.number().int().positive().optional(),
  /** Input + output tokens per local day; requests once it is used up are refused with an error (any policy). */
  dailyTokenBudget: z.number().int().positive().optional(),
  /** Auto-approve may only use these models (`providerId::model`); empty = any configured model. */
  allowedModels: z.array(z.string().min(1)).optional(),
  /** The model preselected for this server when its hints match no configured model. */
  defaultModel: ModelRefSchema.optional(),
  /** Set by the host when auto-approval was revoked because the server's configuration changed. */
  revokedNote: z.string().optional(),
  /**
   * Set by the host when auto-approve is granted: a digest of the server definition it was granted
   * to (transport, command, arguments, environment names, working directory, URL, header names).
   * Auto-approve applies only while the running definition has the same digest.
   */
  fingerprint: z.string().max(128).optional(),
});
export type ServerSamplingPolicy = z.infer<typeof ServerSamplingPolicySchema>;

/**
 * An app that called a tool through the gateway (electron/core/gateway): what it said it is in its
 * MCP handshake. App-controlled text, so bounded; shown as text, never as markup.
 */
export const CallingAppSchema = z.object({ name: z.string().max(200), version: z.string().max(100) });
export type CallingApp = z.infer<typeof CallingAppSchema>;

/** The tool call that led to a server's request, and the app that made it when it came through the gateway. */
export const ToolCallRefSchema = z.object({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  app: CallingAppSchema.optional(),
});
export type ToolCallRef = z.infer<typeof ToolCallRefSchema>;

/** How a server appears through the gateway (absent = exposed, its requests answered in Sluice). */
export const ServerGatewaySettingsSchema = z.object({
  /** "Exposed through the gateway": its tools, resources and prompts reach the connected apps. */
  exposed: z.boolean().default(true),
  /**
   * Who answers its sampling, elicitation and roots requests during a gateway call: Sluice
   * (`sluice`: the dialogs, the roots set in Sluice), or the calling app for each capability (and
   * elicitation mode) it declared (`app`, pass-through; Sluice answers the rest).
   */
  answer: z.enum(['sluice', 'app']).default('sluice'),
});
export type ServerGatewaySettings = z.infer<typeof ServerGatewaySettingsSchema>;

const ServerCommon = {
  name: z
    .string()
    .trim()
    .min(1, 'A server needs a name')
    .max(100)
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .regex(/^[^\u0000-\u001f]+$/, 'A server name cannot contain control characters'),
  enabled: z.boolean().default(true),
  era: EraPreferenceSchema.default('auto'),
  /** Folders this server may see (`roots/list`), on top of the global ones. Managed in electron/core/roots. */
  roots: z.array(z.lazy(() => RootFolderSchema)).optional(),
  /** The `logging/setLevel` the user chose for this server, sent again after every connect. */
  logLevel: LogLevelSchema.optional(),
  /** Gateway exposure and who answers its requests (electron/core/gateway). */
  gateway: ServerGatewaySettingsSchema.optional(),
};

export const StdioServerSchema = z.object({
  ...ServerCommon,
  type: z.literal('stdio'),
  command: z.string().trim().min(1, 'A stdio server needs a command'),
  args: z.array(z.string()).default([]),
  env: KeyValues.default({}),
  cwd: z.string().optional(),
});

const HttpUrl = z.string().trim().refine(isWebAddress, 'The URL must be an http:// or https:// address');

/** A Client ID Metadata Document URL, as a server's OAuth options and the app-wide default take it. */
export const ClientMetadataUrlSchema = z
  .string()
  .trim()
  .refine(isClientMetadataUrl, 'The client metadata URL must be an https:// address with a path');

/**
 * The enterprise identity provider that issues ID-JAGs (enterprise-managed authorization): its
 * issuer, its token endpoint (discovered from the issuer's metadata when absent) and the client ID
 * Sluice has there.
 */
export const IdpSettingsSchema = z.object({
  issuer: HttpUrl,
  tokenEndpoint: HttpUrl.optional(),
  clientId: z.string().trim().min(1).max(512),
});
export type IdpSettings = z.infer<typeof IdpSettingsSchema>;

/**
 * OAuth for a remote server (electron/core/auth). Only needed for identity providers without
 * dynamic client registration: their client ID, the scopes to ask for, and the loopback port the
 * client was registered with. The client secret, if any, lives in the secret store, never here.
 */
export const OAuthSettingsSchema = z.object({
  clientId: z.string().trim().min(1).optional(),
  scopes: z.array(z.string().trim().min(1)).optional(),
  /** The port of the registered redirect `http://127.0.0.1:<port>/callback`; any free port when absent. */
  redirectPort: z.number().int().min(1).max(65535).optional(),
  /**
   * Client ID Metadata Document (spec 2025-11-25): an https URL (with a path) that serves Sluice's
   * client metadata, used as the client ID when the authorization server advertises
   * `client_id_metadata_document_supported`, before dynamic registration.
   */
  clientMetadataUrl: ClientMetadataUrlSchema.optional(),
  /**
   * `client_credentials`: machine-to-machine sign-in (the `io.modelcontextprotocol/oauth-client-credentials`
   * extension) with `clientId` and `clientAuth`; no browser. `cross_app_access`: enterprise-managed
   * authorization (the `io.modelcontextprotocol/enterprise-managed-authorization` extension, SEP-990):
   * the ID token from the enterprise identity provider (`idp`) is exchanged there for an ID-JAG
   * (RFC 8693), which the server's authorization server takes as a JWT bearer grant (RFC 7523) from
   * the client `clientId` (`client_secret_basic`). Absent: the user signs in (authorization code).
   */
  grant: z.enum(['authorization_code', 'client_credentials', 'cross_app_access']).optional(),
  /** How a client-credentials client authenticates; its secret or private key lives in the secret store. */
  clientAuth: z.enum(['client_secret_basic', 'private_key_jwt']).optional(),
  /** The JWS algorithm of the private key (`private_key_jwt`); ES256 when absent. */
  signingAlgorithm: z.enum(['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']).optional(),
  /** The enterprise identity provider of `cross_app_access`; its client secret and the ID token live in the secret store. */
  idp: IdpSettingsSchema.optional(),
});

/** An http:// or https:// address. */
export function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** An https URL with a path other than `/` (what a client ID metadata document URL must be). */
export function isClientMetadataUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.pathname !== '/' && url.pathname !== '';
  } catch {
    return false;
  }
}

export type OAuthSettings = z.infer<typeof OAuthSettingsSchema>;

/**
 * App-wide sign-in settings (auth-settings.json): the Client ID Metadata Document URL used for
 * every server whose own OAuth options name none.
 */
export const AuthSettingsSchema = z.object({ clientMetadataUrl: ClientMetadataUrlSchema.optional() });
export type AuthSettings = z.infer<typeof AuthSettingsSchema>;

/** The settings as the renderer sees them, with the default the host was started with (if any). */
export const AuthSettingsViewSchema = AuthSettingsSchema.extend({ startupClientMetadataUrl: z.string().optional() });
export type AuthSettingsView = z.infer<typeof AuthSettingsViewSchema>;

export const HttpServerSchema = z.object({
  ...ServerCommon,
  /** `http` is Streamable HTTP; `sse` is the legacy HTTP+SSE transport. */
  type: z.enum(['http', 'sse']),
  url: HttpUrl,
  headers: KeyValues.default({}),
  oauth: OAuthSettingsSchema.optional(),
});

export const ServerDefinitionSchema = z.discriminatedUnion('type', [StdioServerSchema, HttpServerSchema]);
export type ServerDefinition = z.infer<typeof ServerDefinitionSchema>;
export type ServerDefinitionInput = z.input<typeof ServerDefinitionSchema>;

export const ServerStateSchema = z.enum(['disabled', 'connecting', 'connected', 'error']);
export type ServerState = z.infer<typeof ServerStateSchema>;

/** Whether Sluice is signed in to a remote server (OAuth). Never carries a token. */
export const ServerAuthStatusSchema = z.object({
  state: z.enum(['signed-out', 'signing-in', 'signed-in', 'error']),
  message: z.string().optional(),
  /** Web mode, while signing in: the authorization page, for the renderer to open in a new tab. */
  authorizationUrl: z.string().optional(),
});
export type ServerAuthStatus = z.infer<typeof ServerAuthStatusSchema>;

/** Spec 2025-11-25 `icons`: the renderer shows only `data:` URLs, never fetches a remote one. */
export const IconSchema = z.looseObject({
  src: z.string(),
  mimeType: z.string().optional(),
  sizes: z.array(z.string()).optional(),
  theme: z.string().optional(),
});
export type Icon = z.infer<typeof IconSchema>;

export const ServerStatusSchema = z.object({
  definition: ServerDefinitionSchema,
  state: ServerStateSchema,
  error: z.string().optional(),
  era: z.enum(['legacy', 'modern']).optional(),
  protocolVersion: z.string().optional(),
  serverInfo: z
    .object({ name: z.string(), version: z.string().optional(), title: z.string().optional(), icons: z.array(IconSchema).optional() })
    .optional(),
  instructions: z.string().optional(),
  /** The transport in use: an `http` server that only speaks the legacy protocol falls back to `sse`. */
  transport: z.enum(['stdio', 'http', 'sse']).optional(),
  /** What the server declared in its handshake (tools, resources, prompts, logging, …). */
  capabilities: z.record(z.string(), z.unknown()).optional(),
  /** While connecting: when this attempt began (epoch ms), so the card can show how long it has been trying. */
  connectingSince: z.number().optional(),
  /** After a crash: when the next reconnect attempt runs (epoch ms) and which attempt it is. */
  reconnect: z.object({ at: z.number(), attempt: z.number() }).optional(),
  /** Remote servers that use OAuth: the sign-in state (absent for servers that never asked). */
  auth: ServerAuthStatusSchema.optional(),
  /**
   * Stdio servers: the PATH they were started with and where it came from (the login shell's on the
   * desktop, Sluice's own, or the server's own `env`), and the file the command resolved to.
   */
  launch: z
    .object({
      path: z.string(),
      source: z.enum(['login-shell', 'inherited', 'server']),
      resolvedCommand: z.string().optional(),
      note: z.string().optional(),
    })
    .optional(),
});
export type ServerStatus = z.infer<typeof ServerStatusSchema>;

/** The tool's hints (untrusted: a server can claim anything; shown as hints, never acted on). */
export const ToolAnnotationsSchema = z.looseObject({
  title: z.string().optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});
export type ToolAnnotations = z.infer<typeof ToolAnnotationsSchema>;

export const ToolInfoSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  annotations: ToolAnnotationsSchema.optional(),
  /** Spec 2025-11-25: whether the tool runs as a task (`forbidden` when absent). */
  execution: z.looseObject({ taskSupport: z.enum(['forbidden', 'optional', 'required']).optional() }).optional(),
  icons: z.array(IconSchema).optional(),
});
export type ToolInfo = z.infer<typeof ToolInfoSchema>;

export const ToolCallResultSchema = z.object({
  content: z.array(z.looseObject({ type: z.string() })),
  structuredContent: z.record(z.string(), z.unknown()).optional(),
  isError: z.boolean().optional(),
  /** Set by Sluice when the tool declares an outputSchema and the result does not match it (or lacks structuredContent). */
  outputSchemaProblem: z.string().optional(),
  /**
   * Set by Sluice when the server answered `-32042` (URL elicitation required) and the user has
   * since completed the page(s) it named: the call did not run, and the user may retry it.
   */
  urlElicitationCompleted: z.object({ message: z.string(), urls: z.array(z.string()) }).optional(),
});
export type ToolCallResult = z.infer<typeof ToolCallResultSchema>;

// ---------- providers and models ----------

export const ProviderKindSchema = z.enum(['anthropic', 'openai', 'google', 'openai-compatible', 'manual']);
export type ProviderKind = z.infer<typeof ProviderKindSchema>;
export const ConfigurableProviderKindSchema = z.enum(['anthropic', 'openai', 'google', 'openai-compatible']);
export type ConfigurableProviderKind = z.infer<typeof ConfigurableProviderKindSchema>;

/**
 * What the user says about one model: 0..1 scores used to route by the server's cost / speed /
 * intelligence priorities (higher = cheaper / faster / smarter), and prices per 1M tokens in USD.
 */
export const ModelProfileSchema = z.object({
  cost: z.number().min(0).max(1).optional(),
  speed: z.number().min(0).max(1).optional(),
  intelligence: z.number().min(0).max(1).optional(),
  inputPricePerMTok: z.number().min(0).optional(),
  outputPricePerMTok: z.number().min(0).optional(),
});
export type ModelProfile = z.infer<typeof ModelProfileSchema>;

const ProviderInputObject = z.object({
  /** Absent when adding a provider; the host assigns one. */
  id: z.string().min(1).optional(),
  kind: ConfigurableProviderKindSchema,
  name: z.string().trim().min(1, 'A provider needs a name').max(100),
  /** Required for OpenAI-compatible endpoints; the official API's address when absent for the others. */
  baseUrl: HttpUrl.optional(),
  models: z.array(z.string().trim().min(1)).min(1, 'List at least one model'),
  /** Per-model scores and prices, keyed by model name. */
  profiles: z.record(z.string(), ModelProfileSchema).optional(),
  /** A new key; `null` removes the stored key; absent keeps the stored one. Never sent back. */
  apiKey: z.string().nullable().optional(),
});
const needsBaseUrl = {
  check: (input: { kind: string; baseUrl?: string }) => input.kind !== 'openai-compatible' || input.baseUrl !== undefined,
  message: { message: 'An OpenAI-compatible provider needs a base URL', path: ['baseUrl'] },
};
/**
 * What Test connection checks: the form as it is, before (and without) saving; no model list
 * needed. `id` names a saved provider whose stored key is used when `apiKey` is absent.
 */
export const ProviderTestInputSchema = z
  .object({
    id: z.string().min(1).optional(),
    kind: ConfigurableProviderKindSchema,
    name: z.string().trim().max(100).optional(),
    baseUrl: HttpUrl.optional(),
    apiKey: z.string().max(10_000).optional(),
  })
  .strict()
  .refine(needsBaseUrl.check, needsBaseUrl.message);
export type ProviderTestInput = z.infer<typeof ProviderTestInputSchema>;

export const ProviderInputSchema = ProviderInputObject.refine(needsBaseUrl.check, needsBaseUrl.message);
/** The same, refusing unknown fields (the IPC contract). */
export const StrictProviderInputSchema = ProviderInputObject.strict().refine(needsBaseUrl.check, needsBaseUrl.message);
export type ProviderInput = z.infer<typeof ProviderInputSchema>;

/** What the renderer may know about a provider: never the key itself. */
export const ProviderViewSchema = z.object({
  id: z.string(),
  kind: ProviderKindSchema,
  name: z.string(),
  baseUrl: z.string().optional(),
  models: z.array(z.string()),
  profiles: z.record(z.string(), ModelProfileSchema).optional(),
  hasApiKey: z.boolean(),
  /** Whether this kind of provider cannot work without a key (the cloud APIs). */
  needsApiKey: z.boolean().optional(),
});
export type ProviderView = z.infer<typeof ProviderViewSchema>;

export const MANUAL_PROVIDER_ID = 'manual';

// ---------- sampling ----------

export const SamplingRouteSchema = z.enum(['push', 'input_required']);
export type SamplingRoute = z.infer<typeof SamplingRouteSchema>;

/** A one-click fix the UI offers when a request cannot be served. */
export const SamplingFixSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('add-key'), providerId: z.string() }),
  z.object({ kind: z.literal('allow-model'), serverName: z.string(), model: ModelRefSchema }),
  z.object({ kind: z.literal('add-provider') }),
  z.object({ kind: z.literal('resume') }),
  z.object({ kind: z.literal('open-policy'), serverName: z.string() }),
]);
export type SamplingFix = z.infer<typeof SamplingFixSchema>;

/** Why a request cannot be served as it stands, and what would fix it. */
export const SamplingProblemSchema = z.object({
  serverName: z.string(),
  message: z.string(),
  fix: SamplingFixSchema.optional(),
  at: z.number(),
});
export type SamplingProblem = z.infer<typeof SamplingProblemSchema>;

/** Global sampling settings: the kill switch. */
export const SamplingSettingsSchema = z.object({ paused: z.boolean() });
export type SamplingSettings = z.infer<typeof SamplingSettingsSchema>;

export const PendingSamplingSchema = z.object({
  id: z.string(),
  serverName: z.string(),
  receivedAt: z.number(),
  /** `push`: a 2025 server sent sampling/createMessage; `input_required`: a 2026-07-28 tool result asked for it. */
  route: SamplingRouteSchema,
  /** The tool call Sluice made that led to this request, when known (and the app that asked for it, through the gateway). */
  toolCall: ToolCallRefSchema.optional(),
  params: CreateMessageParamsSchema,
  /**
   * When the server will give up (epoch ms), only if it is actually known. A 2025 server's own
   * timeout is not (the SDKs default to 60 s but servers choose shorter ones): the dialog then says
   * servers typically give up after TYPICAL_SERVER_TIMEOUT_MS, never a countdown it cannot keep.
   */
  deadline: z.number().optional(),
  /** The JSON-RPC id of the server's request (what servers print in their logs), for matching the two. */
  mcpRequestId: z.union([z.string(), z.number()]).optional(),
  suggestedModel: ModelRefSchema.extend({ reason: z.string() }),
  /** For `includeContext` thisServer/allServers: what Sluice would add (as a system prompt section) if the user keeps it. */
  context: z.object({ scope: z.enum(['thisServer', 'allServers']), text: z.string() }).optional(),
});
export type PendingSampling = z.infer<typeof PendingSamplingSchema>;

/** What a 2025 server's SDK waits for an answer unless the server chose otherwise. */
export const TYPICAL_SERVER_TIMEOUT_MS = 60_000;

export const SamplingEndReasonSchema = z.enum(['sent', 'rejected', 'cancelled', 'failed']);
export type SamplingEndReason = z.infer<typeof SamplingEndReasonSchema>;

export const GenerateRequestSchema = z.object({
  id: z.string(),
  params: CreateMessageParamsSchema,
  model: ModelRefSchema,
  /** For includeContext thisServer/allServers: whether the user kept the context Sluice offered. */
  keepContext: z.boolean().optional(),
});

export const GenerationSchema = z.object({
  /** The model's answer, as a CreateMessageResult the user may still edit. */
  result: CreateMessageResultSchema,
  usage: z.object({ inputTokens: z.number().optional(), outputTokens: z.number().optional() }),
  elapsedMs: z.number(),
});
export type Generation = z.infer<typeof GenerationSchema>;

export const SamplingDeltaSchema = z.object({ id: z.string(), text: z.string() });

// ---------- history ----------

/** A sampling decision. `kind` is absent in entries written before other kinds existed. */
export const SamplingHistoryEntrySchema = z.object({
  kind: z.literal('sampling').optional(),
  id: z.string(),
  serverName: z.string(),
  route: SamplingRouteSchema,
  receivedAt: z.number(),
  decidedAt: z.number(),
  outcome: SamplingEndReasonSchema,
  /** The JSON-RPC id of the server's request, to match the entry with the server's own logs. */
  mcpRequestId: z.union([z.string(), z.number()]).optional(),
  /** Why it ended: the rejection reason, the server's cancel reason or the error message. */
  detail: z.string().optional(),
  originalParams: CreateMessageParamsSchema,
  /** The params the model was actually called with, when the user approved. */
  approvedParams: CreateMessageParamsSchema.optional(),
  /** Human-readable list of what the user changed, e.g. `maxTokens: 200 → 50`. */
  edits: z.array(z.string()),
  model: ModelRefSchema.optional(),
  generated: CreateMessageResultSchema.optional(),
  sent: CreateMessageResultSchema.optional(),
  answerEdited: z.boolean(),
  usage: z.object({ inputTokens: z.number().optional(), outputTokens: z.number().optional() }).optional(),
  latencyMs: z.number().optional(),
  /**
   * Who decided: the user in the dialog, an auto-approve policy, or a deny / pause / limit rule.
   * Absent when nobody did: the server cancelled or timed out, or went away, first.
   */
  decision: z.enum(['user', 'auto', 'policy']).optional(),
  /** Estimated cost in USD from the model's configured prices. */
  costUsd: z.number().optional(),
  /** The answer edit as a line diff (`- ` removed, `+ ` added, `  ` kept). */
  answerDiff: z.array(z.string()).optional(),
  /**
   * Refused requests only: `sha256:<hex>` of the request's full params, whose recorded
   * `originalParams` are then a truncated preview (a refused server must not fill the disk).
   */
  paramsDigest: z.string().optional(),
  /** The app whose tool call (through the gateway) led to this request. */
  app: CallingAppSchema.optional(),
});
export type SamplingHistoryEntry = z.infer<typeof SamplingHistoryEntrySchema>;

/**
 * One history entry of any kind: a sampling decision, or a tool call an app made through the
 * gateway (shared/toolcalls.ts). Tell them apart with `isToolCallEntry`.
 */
export const HistoryEntrySchema = z.union([SamplingHistoryEntrySchema, ToolCallHistoryEntrySchema]);
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;
export type HistoryKind = 'sampling' | 'toolCall';

export function isToolCallEntry(entry: HistoryEntry): entry is ToolCallHistoryEntry {
  return entry.kind === 'toolCall';
}

export function isSamplingEntry(entry: HistoryEntry): entry is SamplingHistoryEntry {
  return entry.kind !== 'toolCall';
}

/** Usage of one server on one local day, from the history. */
export const UsageRowSchema = z.object({
  serverName: z.string(),
  day: z.string(),
  requests: z.number(),
  sent: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
});
export type UsageRow = z.infer<typeof UsageRowSchema>;

// ---------- elicitation and roots (electron/core/elicitation, electron/core/roots) ----------

export const ElicitationActionSchema = z.enum(['accept', 'decline', 'cancel']);
export type ElicitationAction = z.infer<typeof ElicitationActionSchema>;

export const PendingElicitationSchema = z.object({
  id: z.string(),
  serverName: z.string(),
  receivedAt: z.number(),
  /** `push`: a 2025 server sent elicitation/create; `input_required`: a 2026-07-28 tool result asked for it. */
  route: SamplingRouteSchema,
  toolCall: ToolCallRefSchema.optional(),
  /** The JSON-RPC id of the server's `elicitation/create` (what servers print in their logs). */
  mcpRequestId: z.union([z.string(), z.number()]).optional(),
  mode: z.enum(['form', 'url']),
  message: z.string(),
  /** Form mode: the server's restricted JSON Schema (see shared/elicitation.ts). */
  requestedSchema: z.record(z.string(), z.unknown()).optional(),
  /** URL mode: the address the server wants the user to visit (never fetched before consent). */
  url: z.string().optional(),
  /** URL mode, 2025 era: the id a `notifications/elicitation/complete` names. */
  elicitationId: z.string().optional(),
  /** `waiting` for the user; `opened`: URL accepted and opened, waiting for the server's completion notice. */
  status: z.enum(['waiting', 'opened']),
  /** `opened`: when Sluice stops waiting for the server to confirm (ms since epoch). */
  confirmBy: z.number().optional(),
});
export type PendingElicitation = z.infer<typeof PendingElicitationSchema>;

export const ElicitationEndReasonSchema = z.enum(['accepted', 'declined', 'cancelled', 'completed', 'failed']);
export type ElicitationEndReason = z.infer<typeof ElicitationEndReasonSchema>;

/** A folder a server may see; sent to servers as a `file://` root. */
export const RootFolderSchema = z.object({
  path: z.string().trim().min(1, 'A root needs a folder path'),
  name: z.string().trim().max(100).optional(),
});
export type RootFolder = z.infer<typeof RootFolderSchema>;

// ---------- app ----------

export const AppInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['desktop', 'web']),
  dataDir: z.string(),
  /** Messages the user should see once, e.g. a config file that was corrupt and moved aside. */
  notices: z.array(z.string()),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

// ---------- app updates (desktop) ----------

/**
 * The desktop app's self-update, as the renderer shows it. `supported` is false in web mode and
 * when Sluice runs from a checkout (nothing to update); `enabled` is the user's setting for the
 * automatic check at start (a check from the menu works either way).
 */
export const UpdateStateSchema = z.object({
  supported: z.boolean(),
  /** Why updates are not offered here, in one sentence (web mode, a checkout). */
  reason: z.string().optional(),
  enabled: z.boolean(),
  status: z.enum(['idle', 'checking', 'up-to-date', 'available', 'downloading', 'ready', 'error']),
  currentVersion: z.string(),
  /** The version found (available, downloading, ready). */
  version: z.string().optional(),
  /** Download progress, 0..100. */
  percent: z.number().min(0).max(100).optional(),
  error: z.string().optional(),
  /** When the last check finished (epoch ms). */
  checkedAt: z.number().optional(),
});
export type UpdateState = z.infer<typeof UpdateStateSchema>;
