/**
 * The gateway's part of the contract: its state for the "Connect apps" view, app tokens (never
 * their secrets, except once at creation) and the apps Sluice can add itself to.
 */
import { z } from 'zod';

/** The default port, chosen once so app configs stay valid across restarts (changeable in the GUI; 0 = any free port, for tests). */
export const DEFAULT_GATEWAY_PORT = 47_820;

export const GatewaySettingsSchema = z.object({
  enabled: z.boolean().default(true),
  port: z.number().int().min(0).max(65_535).default(DEFAULT_GATEWAY_PORT),
});
export type GatewaySettings = z.infer<typeof GatewaySettingsSchema>;

/** The id the stdio relay's token has (its views and exposure are keyed by it like any app token's). */
export const RELAY_TOKEN_ID = 'relay';

export const AppTokenViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().optional(),
});
export type AppTokenView = z.infer<typeof AppTokenViewSchema>;

export const ConnectedAppViewSchema = z.object({
  sessionId: z.string(),
  name: z.string(),
  version: z.string(),
  tokenLabel: z.string(),
  via: z.enum(['http', 'relay']),
  connectedAt: z.number(),
  calls: z.number(),
});
export type ConnectedAppView = z.infer<typeof ConnectedAppViewSchema>;

export const GatewayStatusSchema = z.object({
  settings: GatewaySettingsSchema,
  /** Listening now (false when switched off or when the port could not be opened). */
  listening: z.boolean(),
  /** The endpoint's URL while listening. */
  url: z.string().optional(),
  /** Why it is not listening although switched on, in one sentence. */
  error: z.string().optional(),
  apps: z.array(ConnectedAppViewSchema),
  tokens: z.array(AppTokenViewSchema),
  /** How an app starts the stdio relay (command and arguments). */
  relay: z.object({ command: z.string(), args: z.array(z.string()) }),
});
export type GatewayStatus = z.infer<typeof GatewayStatusSchema>;

export const AppIdSchema = z.enum(['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf']);
export type AppId = z.infer<typeof AppIdSchema>;

export const AppConfigTargetSchema = z.object({
  app: AppIdSchema,
  label: z.string(),
  /** The file "Add Sluice" writes. */
  path: z.string(),
  /** How this app connects: the stdio relay, or the URL with a token header. */
  transport: z.enum(['stdio', 'http']),
  /** The config snippet to copy (`<token>` where a token goes). */
  snippet: z.string(),
  /** Where the snippet goes, in one sentence. */
  where: z.string(),
});
export type AppConfigTarget = z.infer<typeof AppConfigTargetSchema>;

export const AppConfigPreviewSchema = z.object({
  app: AppIdSchema,
  path: z.string(),
  exists: z.boolean(),
  /** An entry named `sluice` is already there (writing replaces it only when asked to). */
  hasEntry: z.boolean(),
  /** Line diff of the file: `- ` removed, `+ ` added, `  ` kept. */
  diff: z.array(z.string()),
});
export type AppConfigPreview = z.infer<typeof AppConfigPreviewSchema>;
