/**
 * Tasks (spec 2025-11-25) that Sluice started or saw: it polls each one with `tasks/get` at the
 * server's suggested interval (clamped, so a server cannot make us spin or stall), fetches the
 * result with `tasks/result` once the task needs input or has ended (a task that needs input
 * sends its elicitation/sampling requests while `tasks/result` waits, and they reach the usual
 * dialogs), and cancels with `tasks/cancel`. Views live in the host, so they survive the renderer
 * switching views or reloading.
 */
import type { ToolCallResult } from '../../../shared/domain.js';
import { TERMINAL_TASK_STATUSES, type TaskView } from '../../../shared/server-activity.js';
import type { ServerConnection } from './connection.js';
import { CancelledByUser } from './in-flight.js';
import type { WireTask } from './task-wire.js';

export const MIN_POLL_MS = 250;
export const MAX_POLL_MS = 30_000;
const DEFAULT_POLL_MS = 1_000;
/** How long Sluice follows one task before giving up (a tool call waits as long). */
const MAX_FOLLOW_MS = 30 * 60_000;
/** Tasks remembered for the list (the oldest finished ones are forgotten first). */
const MAX_TRACKED = 200;
const MAX_STATUS_MESSAGE = 1_000;
/** Polls that may fail in a row before Sluice stops following the task. */
const MAX_POLL_FAILURES = 3;

interface Tracked {
  view: TaskView;
  controller: AbortController;
  wake?: () => void;
}

export class TaskTracker {
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    private readonly connection: (name: string) => ServerConnection,
    private readonly emit: (view: TaskView) => void,
  ) {}

  /**
   * Calls `tool` as a task and follows it to its end: answers the tool result, or rejects when
   * the task failed without one, was cancelled (CancelledByUser), or could not be followed.
   * Aborting `signal` (the user's Cancel on the running call) cancels the task on the server.
   */
  async runTool(name: string, tool: string, args: Record<string, unknown>, signal?: AbortSignal, ttl?: number): Promise<ToolCallResult> {
    const connection = this.connection(name);
    const created = await connection.startToolTask(tool, args, ttl);
    const entry = this.track(name, created, tool);
    const onAbort = () => void this.cancel(name, created.taskId).catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await this.follow(connection, entry, tool, args);
      this.update(entry, { result, error: undefined });
      return result;
    } catch (error) {
      if (!(error instanceof CancelledByUser)) this.update(entry, { error: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async cancel(name: string, taskId: string): Promise<TaskView> {
    const entry = this.tracked.get(keyOf(name, taskId));
    const task = await this.connection(name).cancelTask(taskId);
    if (!entry) return this.track(name, task).view;
    // The pending tasks/result is abandoned too (the SDK tells the server with notifications/cancelled).
    entry.controller.abort();
    this.apply(entry, task);
    return entry.view;
  }

  /** The tasks Sluice knows for a server, merged with the server's own `tasks/list`. */
  async list(name: string): Promise<TaskView[]> {
    const fromServer = await this.connection(name)
      .listTasks()
      .catch(() => []);
    for (const task of fromServer) {
      const entry = this.tracked.get(keyOf(name, task.taskId));
      if (entry) this.apply(entry, task);
      else this.track(name, task);
    }
    return [...this.tracked.values()].filter((entry) => entry.view.server === name).map((entry) => entry.view);
  }

  /** `notifications/tasks/status`: updates a task we follow and wakes its poller. */
  onStatus(name: string, task: WireTask): void {
    const entry = this.tracked.get(keyOf(name, task.taskId));
    if (entry) this.apply(entry, task);
  }

  /** The server is gone: stop following its running tasks (their views stay, with the reason). */
  forgetServer(name: string): void {
    for (const entry of this.tracked.values()) {
      if (entry.view.server !== name || TERMINAL_TASK_STATUSES.includes(entry.view.status) || entry.controller.signal.aborted) continue;
      entry.controller.abort();
      entry.wake?.();
    }
  }

  private async follow(connection: ServerConnection, entry: Tracked, tool: string, args: Record<string, unknown>): Promise<ToolCallResult> {
    const deadline = Date.now() + MAX_FOLLOW_MS;
    let settled: { result?: ToolCallResult; error?: unknown } | undefined;
    let fetching = false;
    let failures = 0;
    for (;;) {
      if (settled) {
        if (settled.error !== undefined) {
          if (entry.view.status === 'cancelled') throw new CancelledByUser();
          throw settled.error instanceof Error
            ? settled.error
            : new Error('The task result could not be fetched', { cause: settled.error });
        }
        return settled.result as ToolCallResult;
      }
      const status = entry.view.status;
      if (status === 'cancelled') throw new CancelledByUser();
      if (entry.controller.signal.aborted) throw new Error('Sluice stopped following this task: the server is no longer connected');
      if (!fetching && (status === 'input_required' || TERMINAL_TASK_STATUSES.includes(status))) {
        fetching = true;
        connection.taskResult(entry.view.taskId, tool, args, entry.controller.signal).then(
          (result) => {
            settled = { result };
            entry.wake?.();
          },
          (error: unknown) => {
            settled = { error };
            entry.wake?.();
          },
        );
      }
      if (Date.now() > deadline) throw new Error(`Gave up following task ${entry.view.taskId} after ${MAX_FOLLOW_MS / 60_000} minutes`);
      await this.sleep(entry, entry.view.pollInterval ?? DEFAULT_POLL_MS);
      if (settled || entry.controller.signal.aborted) continue;
      try {
        this.apply(entry, await connection.getTask(entry.view.taskId, entry.controller.signal));
        failures = 0;
      } catch (error) {
        if (entry.controller.signal.aborted) continue;
        if (++failures >= MAX_POLL_FAILURES)
          throw new Error(`Could not poll task ${entry.view.taskId}: ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          });
      }
    }
  }

  private sleep(entry: Tracked, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        entry.wake = undefined;
        resolve();
      }
      entry.wake = done;
    });
  }

  private track(server: string, task: WireTask, tool?: string): Tracked {
    const entry: Tracked = { view: { server, taskId: task.taskId, tool, status: task.status }, controller: new AbortController() };
    this.tracked.set(keyOf(server, task.taskId), entry);
    this.evict();
    this.apply(entry, task);
    return entry;
  }

  private apply(entry: Tracked, task: WireTask): void {
    this.update(entry, {
      // A terminal status never changes again (spec); a late poll must not revive it.
      status: TERMINAL_TASK_STATUSES.includes(entry.view.status) ? entry.view.status : task.status,
      statusMessage: task.statusMessage?.slice(0, MAX_STATUS_MESSAGE),
      ttl: task.ttl,
      pollInterval: clampPoll(task.pollInterval),
      createdAt: task.createdAt,
      lastUpdatedAt: task.lastUpdatedAt,
    });
    entry.wake?.();
  }

  private update(entry: Tracked, patch: Partial<TaskView>): void {
    entry.view = { ...entry.view, ...patch };
    this.emit(entry.view);
  }

  private evict(): void {
    if (this.tracked.size <= MAX_TRACKED) return;
    for (const [key, entry] of this.tracked) {
      if (this.tracked.size <= MAX_TRACKED) return;
      if (TERMINAL_TASK_STATUSES.includes(entry.view.status)) this.tracked.delete(key);
    }
  }
}

/** The server's suggested interval, kept between MIN_POLL_MS and MAX_POLL_MS. */
export function clampPoll(ms: number | undefined): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return DEFAULT_POLL_MS;
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, ms));
}

function keyOf(name: string, taskId: string): string {
  return `${name}\u0000${taskId}`;
}
