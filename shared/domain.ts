/**
 * Sluice's domain types, as zod schemas so that every IPC payload is validated on arrival.
 * Pure: no Node, Electron or DOM imports (the renderer, the preload and the core all load this).
 */
import { z } from 'zod';
import { CreateMessageParamsSchema, CreateMessageResultSchema } from './mcp.js';

// ---------- servers ----------

const KeyValues = z.record(z.string(), z.string());

/** Which protocol era to speak: probe (`auto`), the 2025 `initialize` handshake, or 2026-07-28. */
export const EraPreferenceSchema = z.enum(['auto', 'legacy', 'modern']);

const ServerCommon = {
  name: z
    .string()
    .trim()
    .min(1, 'A server needs a name')
    .max(100)
    .regex(/^[^\u0000-\u001f]+$/, 'A server name cannot contain control characters'),
  enabled: z.boolean().default(true),
  era: EraPreferenceSchema.default('auto'),
};

export const StdioServerSchema = z.object({
  ...ServerCommon,
  type: z.literal('stdio'),
  command: z.string().trim().min(1, 'A stdio server needs a command'),
  args: z.array(z.string()).default([]),
  env: KeyValues.default({}),
  cwd: z.string().optional(),
});

const HttpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'The URL must be an http:// or https:// address');

export const HttpServerSchema = z.object({
  ...ServerCommon,
  /** `http` is Streamable HTTP; `sse` is the legacy HTTP+SSE transport. */
  type: z.enum(['http', 'sse']),
  url: HttpUrl,
  headers: KeyValues.default({}),
});

export const ServerDefinitionSchema = z.discriminatedUnion('type', [StdioServerSchema, HttpServerSchema]);
export type ServerDefinition = z.infer<typeof ServerDefinitionSchema>;
export type ServerDefinitionInput = z.input<typeof ServerDefinitionSchema>;

export const ServerStateSchema = z.enum(['disabled', 'connecting', 'connected', 'error']);
export type ServerState = z.infer<typeof ServerStateSchema>;

export const ServerStatusSchema = z.object({
  definition: ServerDefinitionSchema,
  state: ServerStateSchema,
  error: z.string().optional(),
  era: z.enum(['legacy', 'modern']).optional(),
  protocolVersion: z.string().optional(),
  serverInfo: z.object({ name: z.string(), version: z.string().optional(), title: z.string().optional() }).optional(),
  instructions: z.string().optional(),
});
export type ServerStatus = z.infer<typeof ServerStatusSchema>;

export const ToolInfoSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.record(z.string(), z.unknown()),
});
export type ToolInfo = z.infer<typeof ToolInfoSchema>;

export const ToolCallResultSchema = z.object({
  content: z.array(z.looseObject({ type: z.string() })),
  structuredContent: z.record(z.string(), z.unknown()).optional(),
  isError: z.boolean().optional(),
});
export type ToolCallResult = z.infer<typeof ToolCallResultSchema>;

// ---------- providers and models ----------

export const ProviderKindSchema = z.enum(['openai-compatible', 'manual']);

export const ProviderInputSchema = z.object({
  /** Absent when adding a provider; the host assigns one. */
  id: z.string().min(1).optional(),
  kind: z.literal('openai-compatible'),
  name: z.string().trim().min(1, 'A provider needs a name').max(100),
  baseUrl: HttpUrl,
  models: z.array(z.string().trim().min(1)).min(1, 'List at least one model'),
  /** A new key; `null` removes the stored key; absent keeps the stored one. Never sent back. */
  apiKey: z.string().nullable().optional(),
});
export type ProviderInput = z.infer<typeof ProviderInputSchema>;

/** What the renderer may know about a provider: never the key itself. */
export const ProviderViewSchema = z.object({
  id: z.string(),
  kind: ProviderKindSchema,
  name: z.string(),
  baseUrl: z.string().optional(),
  models: z.array(z.string()),
  hasApiKey: z.boolean(),
});
export type ProviderView = z.infer<typeof ProviderViewSchema>;

export const ModelRefSchema = z.object({ providerId: z.string().min(1), model: z.string().min(1) });
export type ModelRef = z.infer<typeof ModelRefSchema>;

export const MANUAL_PROVIDER_ID = 'manual';

// ---------- sampling ----------

export const SamplingRouteSchema = z.enum(['push', 'input_required']);
export type SamplingRoute = z.infer<typeof SamplingRouteSchema>;

export const PendingSamplingSchema = z.object({
  id: z.string(),
  serverName: z.string(),
  receivedAt: z.number(),
  /** `push`: a 2025 server sent sampling/createMessage; `input_required`: a 2026-07-28 tool result asked for it. */
  route: SamplingRouteSchema,
  /** The tool call Sluice made that led to this request, when known. */
  toolCall: z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) }).optional(),
  params: CreateMessageParamsSchema,
  /** When the server is expected to give up (epoch ms), if known. */
  deadline: z.number().optional(),
  suggestedModel: ModelRefSchema.extend({ reason: z.string() }),
});
export type PendingSampling = z.infer<typeof PendingSamplingSchema>;

export const SamplingEndReasonSchema = z.enum(['sent', 'rejected', 'cancelled', 'failed']);
export type SamplingEndReason = z.infer<typeof SamplingEndReasonSchema>;

export const GenerateRequestSchema = z.object({
  id: z.string(),
  params: CreateMessageParamsSchema,
  model: ModelRefSchema,
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

export const HistoryEntrySchema = z.object({
  id: z.string(),
  serverName: z.string(),
  route: SamplingRouteSchema,
  receivedAt: z.number(),
  decidedAt: z.number(),
  outcome: SamplingEndReasonSchema,
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
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

// ---------- app ----------

export const AppInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['desktop', 'web']),
  dataDir: z.string(),
  /** Messages the user should see once, e.g. a config file that was corrupt and moved aside. */
  notices: z.array(z.string()),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;
