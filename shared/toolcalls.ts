/**
 * Tool calls that other apps make through Sluice's gateway: the per-server / per-tool policy, the
 * pending call waiting for the user, the user's answer, the per-app exposure and the activity
 * record that lands in the history. Zod schemas, pure (no Node, Electron or DOM): the host, the
 * preload and the renderer all load this.
 */
import { z } from 'zod';

/** Bounds on what the renderer sends back and what a policy file may hold. */
export const TOOL_CALL_LIMITS = {
  /** The edited arguments as JSON, in characters. */
  argumentsChars: 1_000_000,
  reasonChars: 500,
  /** The definition snapshot kept for the "changed since you allowed it" diff. */
  snapshotChars: 64_000,
} as const;

// ---------- policy ----------

/** A tool's annotations as the server sent them: hints, not guarantees (the server is untrusted). */
export const ToolAnnotationsViewSchema = z.looseObject({
  title: z.string().optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});
export type ToolAnnotationsView = z.infer<typeof ToolAnnotationsViewSchema>;

/** What happens to one tool's calls. */
export const ToolRuleSchema = z.enum(['allow', 'ask', 'deny']);
export type ToolRule = z.infer<typeof ToolRuleSchema>;

/**
 * A server's default for tools without a rule of their own: allow every tool (today's behaviour),
 * ask before tools that do not declare `readOnlyHint: true`, ask before every tool, or refuse all.
 */
export const ToolPresetSchema = z.enum(['allow-all', 'ask-unless-read-only', 'ask-all', 'deny-all']);
export type ToolPreset = z.infer<typeof ToolPresetSchema>;

/**
 * What a tool looked like when the user allowed it: its fingerprint, and the parts themselves (when
 * small enough) so that a later change can be shown, not only detected.
 */
export const ToolDefinitionSnapshotSchema = z.object({
  fingerprint: z.string().min(1),
  description: z.string().optional(),
  inputSchema: z.unknown().optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
  /** False when the definition was too large to keep: a change is then reported without details. */
  kept: z.boolean(),
  at: z.number(),
});
export type ToolDefinitionSnapshot = z.infer<typeof ToolDefinitionSnapshotSchema>;

export const ToolSettingSchema = z.object({
  rule: ToolRuleSchema,
  /** For `allow`: the definition the user allowed (the "rug pull" guard compares against it). */
  allowed: ToolDefinitionSnapshotSchema.optional(),
});
export type ToolSetting = z.infer<typeof ToolSettingSchema>;

export const ServerToolPolicySchema = z.object({
  preset: ToolPresetSchema.default('allow-all'),
  tools: z.record(z.string(), ToolSettingSchema).default({}),
});
export type ServerToolPolicy = z.infer<typeof ServerToolPolicySchema>;

export const DEFAULT_TOOL_POLICY: ServerToolPolicy = { preset: 'allow-all', tools: {} };

/** Per app token: what it must not see. Deny-lists, so a newly added server is visible by default. */
export const AppExposureSchema = z.object({
  hiddenServers: z.array(z.string()).default([]),
  hiddenTools: z.record(z.string(), z.array(z.string())).default({}),
});
export type AppExposure = z.infer<typeof AppExposureSchema>;

export const ToolCallSettingsSchema = z.object({
  servers: z.record(z.string(), ServerToolPolicySchema),
  exposure: z.record(z.string(), AppExposureSchema),
});
export type ToolCallSettings = z.infer<typeof ToolCallSettingsSchema>;

/** One row of a server's tool table: the tool, its own rule, the rule in effect and any change since it was allowed. */
export const ServerToolRowSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  annotations: ToolAnnotationsViewSchema.optional(),
  /** The tool's own rule; absent when the server's preset decides. */
  rule: ToolRuleSchema.optional(),
  effective: ToolRuleSchema,
  /** Set when the tool is allowed but its definition changed since: the next call is asked about. */
  changes: z.array(z.string()).optional(),
});
export type ServerToolRow = z.infer<typeof ServerToolRowSchema>;

// ---------- the calling app ----------

/**
 * The app a gateway call came from, as the history and the dialog show it: the token's id and
 * label (never the secret) and the app's `clientInfo` (app-controlled text, hence bounded).
 */
export const GatewayCallerSchema = z.object({
  tokenId: z.string().max(200),
  label: z.string().max(200),
  name: z.string().max(200),
  version: z.string().max(100).optional(),
});
export type GatewayCaller = z.infer<typeof GatewayCallerSchema>;

// ---------- the pending call ----------

/** Why the user is asked: the tool's rule, the server's preset, or a definition that changed. */
export const AskReasonSchema = z.enum(['rule', 'preset', 'changed']);
export type AskReason = z.infer<typeof AskReasonSchema>;

export const PendingToolCallSchema = z.object({
  id: z.string(),
  app: GatewayCallerSchema,
  serverName: z.string(),
  tool: z.object({
    name: z.string(),
    title: z.string().optional(),
    description: z.string().optional(),
    inputSchema: z.record(z.string(), z.unknown()),
    annotations: ToolAnnotationsViewSchema.optional(),
  }),
  arguments: z.record(z.string(), z.unknown()),
  receivedAt: z.number(),
  /** When Sluice gives up waiting and answers the app with an `isError` result (epoch ms). */
  deadline: z.number(),
  reason: AskReasonSchema,
  /** For `changed`: what differs from the definition the user allowed, one readable line each. */
  changes: z.array(z.string()).optional(),
});
export type PendingToolCall = z.infer<typeof PendingToolCallSchema>;

export const ToolCallAnswerSchema = z.discriminatedUnion('action', [
  z
    .object({
      id: z.string().min(1),
      action: z.literal('approve'),
      arguments: z.record(z.string(), z.unknown()),
      /** Also set this tool's rule to `allow` (remembering its current definition). */
      always: z.boolean().optional(),
    })
    .strict(),
  z
    .object({ id: z.string().min(1), action: z.literal('reject'), reason: z.string().max(TOOL_CALL_LIMITS.reasonChars).optional() })
    .strict(),
]);
export type ToolCallAnswer = z.infer<typeof ToolCallAnswerSchema>;

export const ToolCallEndReasonSchema = z.enum(['approved', 'rejected', 'cancelled', 'timed-out', 'failed']);
export type ToolCallEndReason = z.infer<typeof ToolCallEndReasonSchema>;

// ---------- activity (history) ----------

/**
 * How a gateway call ended: the server answered (`sent`) or answered with `isError`
 * (`tool-error`); the user declined (`rejected`); a rule refused it (`denied`); the app cancelled
 * or nobody answered in time (`cancelled`); the downstream call failed (`failed`).
 */
export const ToolCallOutcomeSchema = z.enum(['sent', 'tool-error', 'rejected', 'denied', 'cancelled', 'failed']);
export type ToolCallOutcome = z.infer<typeof ToolCallOutcomeSchema>;

/** Most server requests of one call whose pass-through is recorded (the server controls how many it sends). */
export const MAX_APP_ANSWERS_RECORDED = 50;

/**
 * A request the server made during the call that the calling app answered itself (pass-through,
 * the server's "answered by the calling app" setting). Requests Sluice answered are not listed
 * here: a sampling request answered in Sluice has its own history entry.
 */
export const AppAnsweredRequestSchema = z.object({
  method: z.enum(['sampling/createMessage', 'elicitation/create', 'roots/list']),
  /** Elicitation: the mode asked for. */
  mode: z.enum(['form', 'url']).optional(),
  /** `answered` (sampling), the elicitation's action, `<n> roots`, `cancelled` or `failed: <why>`. */
  outcome: z.string().max(300),
});
export type AppAnsweredRequest = z.infer<typeof AppAnsweredRequestSchema>;

export const ToolCallHistoryEntrySchema = z.object({
  kind: z.literal('toolCall'),
  id: z.string(),
  app: GatewayCallerSchema,
  serverName: z.string(),
  tool: z.string(),
  receivedAt: z.number(),
  decidedAt: z.number(),
  outcome: ToolCallOutcomeSchema,
  /** Who decided: the user in the dialog, or a rule (allow / deny / preset) without asking. */
  decision: z.enum(['user', 'policy']),
  /** The arguments sent to the server (or the app's, when the call never went out). */
  arguments: z.record(z.string(), z.unknown()),
  /** The arguments as the app first asked, when the user edited them. */
  originalArguments: z.record(z.string(), z.unknown()).optional(),
  /** The edit as readable lines (`path: before → after`). */
  edits: z.array(z.string()),
  /** The rejection reason, the refusal or error text. */
  detail: z.string().optional(),
  durationMs: z.number(),
  resultBytes: z.number(),
  /** The server's requests during the call that the app answered (pass-through), in order. */
  answeredByApp: z.array(AppAnsweredRequestSchema).max(MAX_APP_ANSWERS_RECORDED).optional(),
});
export type ToolCallHistoryEntry = z.infer<typeof ToolCallHistoryEntrySchema>;
