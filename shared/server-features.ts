/**
 * Shapes for browsing and watching a connected server: its logs, resources, templates, prompts,
 * and importing server lists from other MCP hosts. Pure zod (the renderer and the core load it).
 * Server-supplied objects are loose: Sluice shows what a server sends and passes unknown fields on.
 */
import { z } from 'zod';

/** Names of environment variables and headers whose values are masked wherever they are shown. */
const SECRET_NAME = /(key|token|secret|password|passwd|auth|credential|cookie|session|private)/i;
export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

// ---------- logs ----------

/** The MCP logging levels (RFC 5424 severities), lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export const LogLevelSchema = z.enum(LOG_LEVELS);
export type LogLevel = z.infer<typeof LogLevelSchema>;

export const ServerLogEntrySchema = z.object({
  seq: z.number(),
  time: z.number(),
  /** `stderr`: the process wrote it; `notification`: notifications/message; `sluice`: life-cycle events. */
  source: z.enum(['stderr', 'notification', 'sluice']),
  level: LogLevelSchema.optional(),
  logger: z.string().optional(),
  text: z.string(),
});
export type ServerLogEntry = z.infer<typeof ServerLogEntrySchema>;

// ---------- resources and prompts ----------

export const ResourceInfoSchema = z.looseObject({
  uri: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
});
export type ResourceInfo = z.infer<typeof ResourceInfoSchema>;

export const ResourceTemplateInfoSchema = z.looseObject({
  uriTemplate: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
});
export type ResourceTemplateInfo = z.infer<typeof ResourceTemplateInfoSchema>;

export const ResourceContentsSchema = z.looseObject({
  uri: z.string(),
  mimeType: z.string().optional(),
  text: z.string().optional(),
  blob: z.string().optional(),
});
export const ReadResourceResultSchema = z.object({ contents: z.array(ResourceContentsSchema) });
export type ReadResourceResult = z.infer<typeof ReadResourceResultSchema>;

export const PromptInfoSchema = z.looseObject({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  arguments: z
    .array(
      z.looseObject({
        name: z.string(),
        title: z.string().optional(),
        description: z.string().optional(),
        required: z.boolean().optional(),
      }),
    )
    .optional(),
});
export type PromptInfo = z.infer<typeof PromptInfoSchema>;

export const GetPromptResultSchema = z.object({
  description: z.string().optional(),
  messages: z.array(z.looseObject({ role: z.string(), content: z.looseObject({ type: z.string() }) })),
});
export type GetPromptResult = z.infer<typeof GetPromptResultSchema>;

export const ListKindSchema = z.enum(['tools', 'resources', 'prompts']);
export type ListKind = z.infer<typeof ListKindSchema>;

// ---------- import from other MCP hosts ----------

export const ImportSourceKindSchema = z.enum(['claude-desktop', 'vscode', 'cursor', 'file']);
export type ImportSourceKind = z.infer<typeof ImportSourceKindSchema>;

/** A known config file location, found (or not) on this machine. */
export const ImportLocationSchema = z.object({
  kind: ImportSourceKindSchema,
  label: z.string(),
  path: z.string(),
  exists: z.boolean(),
  /** How many servers it lists, when it could be read. */
  serverCount: z.number().optional(),
  problem: z.string().optional(),
});
export type ImportLocation = z.infer<typeof ImportLocationSchema>;

/** A VS Code `inputs` entry that `${input:id}` placeholders refer to. */
export const ImportInputSchema = z.object({
  id: z.string(),
  description: z.string().optional(),
  password: z.boolean().optional(),
  /** The names of the servers that use it. */
  usedBy: z.array(z.string()),
});
export type ImportInput = z.infer<typeof ImportInputSchema>;

export const ImportCandidateSchema = z.object({
  /** The entry's key in the source file. */
  sourceName: z.string(),
  /** A free name to import it under (the source name, or `<name>-2` when that is taken). */
  suggestedName: z.string(),
  summary: z.string(),
  type: z.enum(['stdio', 'http', 'sse']).optional(),
  /** `${input:…}`, `${env:…}` etc. left in the entry. */
  placeholders: z.array(z.string()),
  /** A server with this name, or the same command/URL, is already configured. */
  duplicate: z.object({ kind: z.enum(['name', 'same-server']), existing: z.string() }).optional(),
  /** Why the entry cannot be imported at all. */
  problem: z.string().optional(),
  /**
   * Exactly what would run or be contacted, from the final definition (not the source entry):
   * command, arguments, working directory, environment, URL and headers. Values of names that
   * look secret are masked.
   */
  details: z
    .object({
      command: z.string().optional(),
      args: z.array(z.string()).optional(),
      cwd: z.string().optional(),
      url: z.string().optional(),
      env: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
      headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
    })
    .optional(),
});
export type ImportCandidate = z.infer<typeof ImportCandidateSchema>;

export const ImportPreviewSchema = z.object({
  path: z.string(),
  /** Names the file content this preview was built from; apply imports from exactly that content. */
  digest: z.string(),
  format: z.enum(['mcpServers', 'vscode']),
  candidates: z.array(ImportCandidateSchema),
  inputs: z.array(ImportInputSchema),
  problems: z.array(z.string()),
});
export type ImportPreview = z.infer<typeof ImportPreviewSchema>;

export const ImportApplyRequestSchema = z.object({
  path: z.string().min(1),
  /** The preview's digest: what is imported is what was previewed, never a re-read of the file. */
  digest: z.string().min(1),
  picks: z
    .array(z.object({ sourceName: z.string(), name: z.string().trim().min(1, 'A server needs a name') }))
    .min(1, 'Pick at least one server'),
  /** Values for `${input:id}` placeholders. */
  inputValues: z.record(z.string(), z.string()).default({}),
});

export const ImportApplyResultSchema = z.object({
  imported: z.array(z.object({ name: z.string(), enabled: z.boolean(), note: z.string().optional() })),
});
export type ImportApplyResult = z.infer<typeof ImportApplyResultSchema>;
