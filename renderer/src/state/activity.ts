/**
 * Renderer state for what runs on servers over time: the progress of each call the user started
 * (by its callId), the tasks the host follows, resource subscriptions and "updated" marks. Its
 * own small zustand store, fed by the host's `servers:progress`, `tasks:changed` and
 * `servers:resourceUpdated` events (subscribed once, from startSluice). Kept in the renderer's
 * global state, so a running call or task survives switching views.
 */
import { create } from 'zustand';
import type { SluiceApi } from '../../../shared/contract';
import type { CompletionResult, ProgressEvent, TaskView } from '../../../shared/server-activity';
import { errorMessage } from '../lib/format';
import { host } from './host';

/** Progress entries kept (finished calls' entries are dropped when they end). */
const MAX_PROGRESS = 100;

interface ActivityState {
  progress: Record<string, ProgressEvent>;
  /** Per server, per task id. */
  tasks: Record<string, Record<string, TaskView>>;
  /** Per server: the URIs the user subscribed to. */
  subscriptions: Record<string, string[]>;
  /** Per server, per URI: when the server last said the resource changed (epoch ms). */
  updated: Record<string, Record<string, number>>;
}

export const initialActivityState = (): ActivityState => ({ progress: {}, tasks: {}, subscriptions: {}, updated: {} });

export const useActivity = create<ActivityState>()(initialActivityState);
const set = useActivity.setState;

/** Subscribes to the host's activity events (returns the unsubscribe). `onUpdated` re-reads a resource. */
export function subscribeActivity(api: SluiceApi, onUpdated: (server: string, uri: string) => void): () => void {
  const off = [
    api.on('servers:progress', (event) =>
      set((s) => {
        const entries = Object.entries({ ...s.progress, [event.callId]: event });
        return { progress: Object.fromEntries(entries.slice(-MAX_PROGRESS)) };
      }),
    ),
    api.on('tasks:changed', (view) =>
      set((s) => ({ tasks: { ...s.tasks, [view.server]: { ...s.tasks[view.server], [view.taskId]: view } } })),
    ),
    api.on('servers:resourceUpdated', ({ name, uri }) => {
      set((s) => ({ updated: { ...s.updated, [name]: { ...s.updated[name], [uri]: Date.now() } } }));
      onUpdated(name, uri);
    }),
  ];
  return () => off.forEach((unsubscribe) => unsubscribe());
}

/** A fresh id for a call, so its progress can be matched and it can be cancelled. */
export function newCallId(): string {
  return crypto.randomUUID();
}

export function forgetProgress(callId: string): void {
  set((s) => {
    if (!(callId in s.progress)) return {};
    const { [callId]: _gone, ...rest } = s.progress;
    return { progress: rest };
  });
}

export async function cancelCall(server: string, callId: string): Promise<void> {
  await host().invoke('servers:cancel', { name: server, callId });
}

export async function loadTasks(server: string): Promise<void> {
  const views = await host().invoke('tasks:list', { name: server });
  set((s) => ({ tasks: { ...s.tasks, [server]: { ...s.tasks[server], ...Object.fromEntries(views.map((v) => [v.taskId, v])) } } }));
}

export async function cancelTask(server: string, taskId: string): Promise<void> {
  const view = await host().invoke('tasks:cancel', { name: server, taskId });
  set((s) => ({ tasks: { ...s.tasks, [server]: { ...s.tasks[server], [taskId]: view } } }));
}

export async function setSubscribed(server: string, uri: string, on: boolean): Promise<string | undefined> {
  try {
    await host().invoke(on ? 'servers:subscribe' : 'servers:unsubscribe', { name: server, uri });
    set((s) => {
      const current = new Set(s.subscriptions[server] ?? []);
      if (on) current.add(uri);
      else current.delete(uri);
      return { subscriptions: { ...s.subscriptions, [server]: [...current] } };
    });
    return undefined;
  } catch (error) {
    return errorMessage(error);
  }
}

export function clearUpdated(server: string, uri: string): void {
  set((s) => {
    const marks = { ...s.updated[server] };
    delete marks[uri];
    return { updated: { ...s.updated, [server]: marks } };
  });
}

/** `completion/complete`; an unreachable server or one without completions answers no values. */
export async function complete(
  server: string,
  ref: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string },
  argument: { name: string; value: string },
  context: Record<string, string>,
): Promise<CompletionResult> {
  try {
    return await host().invoke('servers:complete', {
      name: server,
      ref,
      argument: { name: argument.name, value: argument.value.slice(0, 2_000) },
      context,
    });
  } catch {
    return { values: [] };
  }
}
