/**
 * Shapes for what runs on a server over time: progress of a call the user started (and its
 * cancellation), tasks (spec 2025-11-25), resource subscriptions and argument completions.
 * Pure zod (the renderer and the core load it). Everything a server sends is bounded here or in
 * the host before it reaches the renderer.
 */
import { z } from 'zod';
import { ToolCallResultSchema } from './domain.js';

/** The renderer names each call it starts, so it can cancel it and match progress to it. */
export const CallIdSchema = z.string().min(1).max(100);

/** A progress notification for one call (throttled by the host; message cut to a sane length). */
export const ProgressEventSchema = z.object({
  name: z.string(),
  callId: z.string(),
  progress: z.number(),
  total: z.number().optional(),
  message: z.string().optional(),
});
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;

// ---------- tasks ----------

export const TASK_STATUSES = ['working', 'input_required', 'completed', 'failed', 'cancelled'] as const;
export const TaskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

/** One task Sluice started (or found in the server's `tasks/list`), as the renderer shows it. */
export const TaskViewSchema = z.object({
  server: z.string(),
  taskId: z.string(),
  /** The tool whose call created the task (absent for tasks only known from `tasks/list`). */
  tool: z.string().optional(),
  status: TaskStatusSchema,
  statusMessage: z.string().optional(),
  /** Milliseconds the server keeps the task after creation; `null` = unlimited. */
  ttl: z.number().nullable().optional(),
  /** The poll interval Sluice uses (the server's suggestion, clamped). */
  pollInterval: z.number().optional(),
  createdAt: z.string().optional(),
  lastUpdatedAt: z.string().optional(),
  /** The tool result, once the task completed (or failed with a result). */
  result: ToolCallResultSchema.optional(),
  /** Why polling or fetching the result failed. */
  error: z.string().optional(),
});
export type TaskView = z.infer<typeof TaskViewSchema>;

export const TERMINAL_TASK_STATUSES: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

// ---------- completions ----------

export const CompletionRefSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ref/prompt'), name: z.string().min(1) }).strict(),
  z.object({ type: z.literal('ref/resource'), uri: z.string().min(1) }).strict(),
]);

export const CompletionRequestSchema = z
  .object({
    name: z.string().min(1),
    ref: CompletionRefSchema,
    argument: z.object({ name: z.string().min(1), value: z.string().max(2_000) }).strict(),
    /** The arguments already filled in (spec 2025-06-18 `context.arguments`). */
    context: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export const CompletionResultSchema = z.object({
  values: z.array(z.string()),
  total: z.number().optional(),
  hasMore: z.boolean().optional(),
});
export type CompletionResult = z.infer<typeof CompletionResultSchema>;
