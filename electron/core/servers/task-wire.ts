/**
 * The task messages of spec 2025-11-25 as they come over the wire (the v2 client SDK validates
 * the spec methods' results by method name, but has no task helpers, so these schemas give
 * `client.request` the result shapes). Loose: unknown fields pass, Sluice reads only these.
 */
import { z } from 'zod';
import { TaskStatusSchema } from '../../../shared/server-activity.js';

export const TaskWire = z.looseObject({
  taskId: z.string().min(1).max(500),
  status: TaskStatusSchema,
  statusMessage: z.string().optional(),
  createdAt: z.string().optional(),
  lastUpdatedAt: z.string().optional(),
  ttl: z.number().nullable().optional(),
  pollInterval: z.number().optional(),
});
export type WireTask = z.infer<typeof TaskWire>;

export const CreateTaskResultWire = z.looseObject({ task: TaskWire });
export const ListTasksResultWire = z.looseObject({ tasks: z.array(TaskWire), nextCursor: z.string().optional() });
export const CallToolResultWire = z.looseObject({
  content: z.array(z.looseObject({ type: z.string() })).optional(),
  structuredContent: z.unknown().optional(),
  isError: z.boolean().optional(),
});
