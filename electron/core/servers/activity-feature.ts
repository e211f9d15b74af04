/**
 * The host side of what runs on a server over time: tool calls, prompt gets and resource reads
 * with progress and Cancel, tasks, resource subscriptions and completions, with their IPC
 * handlers. The host constructs one, routes the connections' events to it and merges
 * `handlers()` into its own.
 */
import type { EventChannel, EventPayload } from '../../../shared/contract.js';
import { ok, type HandlersFor } from '../handlers.js';
import { checkElicitationUrl } from '../../../shared/elicitation.js';
import type { ServerStatus } from '../../../shared/domain.js';
import type { TypedEmitter } from '../typed-emitter.js';
import type { ServerManager } from './manager.js';
import { InFlightCalls } from './in-flight.js';
import { TaskTracker } from './task-tracker.js';
import type { WireTask } from './task-wire.js';

export type ActivityChannel =
  | 'servers:callTool'
  | 'servers:readResource'
  | 'servers:getPrompt'
  | 'servers:cancel'
  | 'servers:subscribe'
  | 'servers:unsubscribe'
  | 'servers:complete'
  | 'tasks:list'
  | 'app:openLink'
  | 'tasks:cancel';

/** A server may send `resources/updated` as often as it likes; each resource is re-read at most this often. */
export const RESOURCE_UPDATE_INTERVAL_MS = 500;

export class ServerActivityFeature {
  readonly calls: InFlightCalls;
  readonly tasks: TaskTracker;
  private readonly updateTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    /** The server manager (built after this feature, which it reports to). */
    private readonly servers: () => ServerManager,
    private readonly events: TypedEmitter<{ [E in EventChannel]: EventPayload<E> }>,
    /** Desktop only: the system browser. */
    private readonly openExternal?: (url: string) => Promise<void>,
  ) {
    this.calls = new InFlightCalls((event) => events.emit('servers:progress', event));
    this.tasks = new TaskTracker(
      (name) => servers().get(name),
      (view) => events.emit('tasks:changed', view),
    );
  }

  /** `notifications/resources/updated` (only for subscribed URIs), coalesced per resource. */
  resourceUpdated(name: string, uri: string): void {
    const key = `${name}\u0000${uri}`;
    if (this.updateTimers.has(key)) return;
    this.events.emit('servers:resourceUpdated', { name, uri });
    this.updateTimers.set(
      key,
      setTimeout(() => this.updateTimers.delete(key), RESOURCE_UPDATE_INTERVAL_MS),
    );
  }

  /** A server that is no longer connected cannot answer for its tasks: stop following them. */
  serversChanged(statuses: readonly ServerStatus[]): void {
    for (const status of statuses)
      if (status.state !== 'connected' && status.state !== 'connecting') this.tasks.forgetServer(status.definition.name);
  }

  taskStatus(name: string, task: WireTask): void {
    this.tasks.onStatus(name, task);
  }

  close(): void {
    for (const timer of this.updateTimers.values()) clearTimeout(timer);
    this.updateTimers.clear();
  }

  handlers(): HandlersFor<ActivityChannel> {
    const servers = { get: (name: string) => this.servers().get(name) };
    return {
      'servers:callTool': ({ name, tool, arguments: args, callId, asTask }) =>
        this.calls.run(name, callId, (control) => {
          const connection = servers.get(name);
          const support = connection.toolInfo(tool)?.execution?.taskSupport;
          // Spec: only with the server's tasks capability; `required` must, `optional` may (the user's choice).
          const task = connection.supportsToolTasks() && (support === 'required' || (support === 'optional' && asTask === true));
          return task ? this.tasks.runTool(name, tool, args, control.signal) : connection.callTool(tool, args, control);
        }),
      'servers:readResource': ({ name, uri, callId }) =>
        this.calls.run(name, callId, (control) => servers.get(name).readResource(uri, control)),
      'servers:getPrompt': ({ name, prompt, arguments: args, callId }) =>
        this.calls.run(name, callId, (control) => servers.get(name).getPrompt(prompt, args, control)),
      'servers:cancel': ({ name, callId }) => ({ ok: true as const, cancelled: this.calls.cancel(name, callId) }),
      'servers:subscribe': async ({ name, uri }) => {
        await servers.get(name).subscribe(uri);
        return ok;
      },
      'servers:unsubscribe': async ({ name, uri }) => {
        await servers.get(name).unsubscribe(uri);
        return ok;
      },
      'servers:complete': ({ name, ref, argument, context }) => servers.get(name).complete(ref, argument, context),
      'tasks:list': ({ name }) => this.tasks.list(name),
      'tasks:cancel': ({ name, taskId }) => this.tasks.cancel(name, taskId),
      'app:openLink': async ({ url }) => {
        const checked = checkElicitationUrl(url);
        if (!checked.ok) throw new Error(checked.error);
        if (!this.openExternal) throw new Error('Web mode opens links in the browser itself');
        await this.openExternal(checked.url.href);
        return ok;
      },
    };
  }
}
