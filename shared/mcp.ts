/**
 * Zod schemas for the MCP sampling shapes that cross Sluice's IPC boundary.
 *
 * They mirror `CreateMessageRequestParams` / `CreateMessageResult` of the MCP schema
 * (revision 2025-11-25, unchanged in 2026-07-28). The SDK already validates what a server
 * sends; these schemas validate what the *renderer* sends back (edited params, edited
 * answers), so they are strict about the fields Sluice acts on and pass unknown fields through.
 */
import { z } from 'zod';

const Annotations = z.looseObject({}).optional();
const Meta = z.record(z.string(), z.unknown()).optional();

export const TextContentSchema = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  annotations: Annotations,
  _meta: Meta,
});

export const ImageContentSchema = z.looseObject({
  type: z.literal('image'),
  data: z.string(),
  mimeType: z.string(),
  annotations: Annotations,
  _meta: Meta,
});

export const AudioContentSchema = z.looseObject({
  type: z.literal('audio'),
  data: z.string(),
  mimeType: z.string(),
  annotations: Annotations,
  _meta: Meta,
});

export const ToolUseContentSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
  _meta: Meta,
});

export const ToolResultContentSchema = z.looseObject({
  type: z.literal('tool_result'),
  toolUseId: z.string(),
  content: z.array(z.looseObject({ type: z.string() })),
  structuredContent: z.record(z.string(), z.unknown()).optional(),
  isError: z.boolean().optional(),
  _meta: Meta,
});

export const SamplingContentSchema = z.discriminatedUnion('type', [
  TextContentSchema,
  ImageContentSchema,
  AudioContentSchema,
  ToolUseContentSchema,
  ToolResultContentSchema,
]);
export type SamplingContent = z.infer<typeof SamplingContentSchema>;

export const RoleSchema = z.enum(['user', 'assistant']);
export type Role = z.infer<typeof RoleSchema>;

export const SamplingMessageSchema = z.looseObject({
  role: RoleSchema,
  content: z.union([SamplingContentSchema, z.array(SamplingContentSchema)]),
  _meta: Meta,
});
export type SamplingMessage = z.infer<typeof SamplingMessageSchema>;

export const ModelPreferencesSchema = z.looseObject({
  hints: z.array(z.looseObject({ name: z.string().optional() })).optional(),
  costPriority: z.number().min(0).max(1).optional(),
  speedPriority: z.number().min(0).max(1).optional(),
  intelligencePriority: z.number().min(0).max(1).optional(),
});
export type ModelPreferences = z.infer<typeof ModelPreferencesSchema>;

export const CreateMessageParamsSchema = z.looseObject({
  messages: z.array(SamplingMessageSchema),
  modelPreferences: ModelPreferencesSchema.optional(),
  systemPrompt: z.string().optional(),
  includeContext: z.enum(['none', 'thisServer', 'allServers']).optional(),
  temperature: z.number().optional(),
  maxTokens: z.number().int().positive(),
  stopSequences: z.array(z.string()).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  tools: z.array(z.looseObject({ name: z.string() })).optional(),
  toolChoice: z.looseObject({ mode: z.string().optional() }).optional(),
  _meta: Meta,
});
export type CreateMessageParams = z.infer<typeof CreateMessageParamsSchema>;

/** `stopReason` is an open string in the schema; these are the values the spec names. */
export const StopReasonSchema = z.union([z.enum(['endTurn', 'stopSequence', 'maxTokens', 'toolUse']), z.string()]);

export const CreateMessageResultSchema = z.object({
  role: z.literal('assistant'),
  content: z.union([SamplingContentSchema, z.array(SamplingContentSchema)]),
  model: z.string().min(1),
  stopReason: StopReasonSchema.optional(),
});
export type CreateMessageResult = z.infer<typeof CreateMessageResultSchema>;

/** Normalises a message's `content` (a block or, since 2025-11-25, an array of blocks) to an array. */
export function contentBlocks(content: SamplingMessage['content']): SamplingContent[] {
  return Array.isArray(content) ? content : [content];
}

/** Sampling error codes a server sees from Sluice. `-1` is the spec's code for a user rejection. */
export const SamplingErrorCode = {
  UserRejected: -1,
  InvalidParams: -32602,
  InternalError: -32603,
} as const;
