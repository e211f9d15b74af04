/**
 * The paged history contract (electron/core/history): the renderer asks for one page at a time,
 * one entry's details on demand, counts and usage as aggregates, and never the whole history.
 * Rows are short on purpose (a bounded summary), so a page's payload is bounded by its size.
 */
import { z } from 'zod';
import { HistoryEntrySchema } from './domain.js';

/** What a history entry records: a sampling decision, or a tool call an app made through the gateway. */
export const HistoryKindSchema = z.enum(['sampling', 'toolCall']);
export type HistoryKind = z.infer<typeof HistoryKindSchema>;

/** How the history names a calling app: its client name, and the token's label when it differs. */
export function appLabel(app: { name: string; label?: string }): string {
  return app.label && app.label !== app.name ? `${app.name} (${app.label})` : app.name;
}

/** Longest page the host serves, and the longest summary text in a row (characters). */
export const HISTORY_MAX_PAGE = 200;
export const HISTORY_SUMMARY_CHARS = 160;
/** Longest short field (server, app, model, outcome) a row carries; longer names are cut. */
export const HISTORY_FIELD_CHARS = 120;

/** Filters shared by pages, counts, export and delete. Every field narrows; none means everything. */
export const HistoryFilterSchema = z
  .object({
    /**
     * Free text: every word must occur in the messages, answer, server, model, detail, request id
     * or (tool calls) the tool, app and arguments; a word typed with a trailing `*` is a prefix.
     */
    text: z.string().max(500).optional(),
    kind: HistoryKindSchema.optional(),
    serverName: z.string().optional(),
    /** Gateway entries: the connected app that made the call, as `appLabel` names it. */
    app: z.string().optional(),
    /** Tool calls: the tool's name. */
    tool: z.string().optional(),
    outcome: z.string().max(40).optional(),
    decision: z.enum(['user', 'auto', 'policy']).optional(),
    model: z.string().optional(),
    /** Decision time range, ms since the epoch (inclusive from, exclusive to). */
    from: z.number().optional(),
    to: z.number().optional(),
  })
  .strict();
export type HistoryFilter = z.infer<typeof HistoryFilterSchema>;

export const HistoryPageRequestSchema = z
  .object({
    filter: HistoryFilterSchema.default({}),
    /** Opaque: the `next` of the previous page; absent for the newest page. */
    cursor: z.string().max(40).optional(),
    limit: z.number().int().min(1).max(HISTORY_MAX_PAGE).default(50),
  })
  .strict();

/** One line of the History view: what the list shows, without the request and answer. */
export const HistoryRowSchema = z.object({
  id: z.string(),
  kind: HistoryKindSchema,
  serverName: z.string(),
  app: z.string().optional(),
  /** Tool calls: the tool's name. */
  tool: z.string().optional(),
  decidedAt: z.number(),
  /** sampling: sent | rejected | cancelled | failed; toolCall: the same, or denied | tool-error. */
  outcome: z.string(),
  decision: z.enum(['user', 'auto', 'policy']).optional(),
  model: z.string().optional(),
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  costUsd: z.number().optional(),
  latencyMs: z.number().optional(),
  /** How many things the user changed (parameters, messages, the answer). */
  edits: z.number(),
  /** The start of the request or answer text, at most HISTORY_SUMMARY_CHARS. */
  summary: z.string(),
});
export type HistoryRow = z.infer<typeof HistoryRowSchema>;

export const HistoryPageSchema = z.object({
  rows: z.array(HistoryRowSchema),
  /** Pass back as `cursor` for the next (older) page; absent on the last page. */
  next: z.string().optional(),
});
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

export const HistoryRetentionSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('all') }).strict(),
  z.object({ mode: z.literal('days'), days: z.number().int().min(1).max(36_500) }).strict(),
  z.object({ mode: z.literal('entries'), entries: z.number().int().min(1).max(100_000_000) }).strict(),
]);
export type HistoryRetention = z.infer<typeof HistoryRetentionSchema>;

export const HistoryExportFormatSchema = z.enum(['jsonl', 'csv']);
export type HistoryExportFormat = z.infer<typeof HistoryExportFormatSchema>;

/** The web-mode download route (served by the web bridge, streamed): `?format=…&filter=<JSON>`. */
export const HISTORY_EXPORT_PATH = '/history/export';

/** The CSV export's columns, in order (the full request and answer stay in the JSON lines export). */
export const HISTORY_CSV_COLUMNS = [
  'id',
  'kind',
  'decidedAt',
  'serverName',
  'app',
  'tool',
  'outcome',
  'decision',
  'model',
  'inputTokens',
  'outputTokens',
  'costUsd',
  'latencyMs',
  'edits',
  'summary',
] as const satisfies ReadonlyArray<keyof HistoryRow>;

/** One entry's details, loaded on demand: the row and the full entry as it was recorded. */
export const HistoryDetailSchema = z.object({
  row: HistoryRowSchema,
  entry: HistoryEntrySchema,
});
export type HistoryDetail = z.infer<typeof HistoryDetailSchema>;
