/**
 * One MCP server, connected through the official SDK's v2 client, which speaks both protocol
 * eras: a 2025 server pushes `sampling/createMessage`; a 2026-07-28 server answers our
 * `tools/call` with `input_required` and the SDK hands the embedded request to the same handler.
 * Either way the request goes to the sampling broker and waits for the user.
 *
 * The connection also owns the server's life cycle: Streamable HTTP falling back to legacy SSE,
 * reconnecting with backoff after a crash, reporting a stdio server's exit code and last stderr
 * lines, ending the whole process tree on stop, and the server's log.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ChildProcess } from 'node:child_process';
import {
  Client,
  InsufficientScopeError,
  parseJSONRPCMessage,
  ReadBuffer,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type CallToolResult,
  type CreateMessageResult as WireCreateMessageResult,
  type Progress,
  type Transport,
} from '@modelcontextprotocol/client';
import { DEFAULT_INHERITED_ENV_VARS, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { CallingApp, ServerDefinition, ServerStatus, ToolCallRef, ToolCallResult, ToolInfo } from '../../../shared/domain.js';
import type { CompletionResult } from '../../../shared/server-activity.js';
import type {
  GetPromptResult,
  ListKind,
  LogLevel,
  PromptInfo,
  ReadResourceResult,
  ResourceInfo,
  ResourceTemplateInfo,
  ServerLogEntry,
} from '../../../shared/server-features.js';
import { SAMPLING_CAPABILITY, type SamplingBroker } from '../sampling/broker.js';
import {
  registerUserRequestHandlers,
  USER_REQUEST_CAPABILITIES,
  type AppUserRequests,
  type UserRequestServices,
} from '../elicitation/user-requests.js';
import { isSignInRequired } from '../auth/errors.js';
import { crashReason, plainError } from '../../../shared/error-text.js';
import type { ServerAuth } from '../auth/sign-in-service.js';
import { DEFAULT_BACKOFF, reconnectDelay, type BackoffPolicy } from './backoff.js';
import { LogBuffer } from './log-buffer.js';
import { envValue, findExecutable } from './command-lookup.js';
import { inheritedEnvironment, type LaunchEnvironment } from './launch-environment.js';
import type { ServerSecrets } from './server-secrets.js';
import { descendantsOf, endProcesses, endTreeOnWindows } from './process-tree.js';
import type { RequestControl } from './in-flight.js';
import { walkPages, type Page } from './pages.js';
import { carryCallScope } from './call-scope.js';
import { TransportCalls } from './transport-calls.js';
import { installLaneReader } from './lane-read-buffer.js';
import { outputSchemaProblem } from './output-schema.js';
import { CallToolResultWire, CreateTaskResultWire, ListTasksResultWire, TaskWire, type WireTask } from './task-wire.js';

export const CLIENT_INFO = { name: 'Sluice', version: '0.1.0' };

/** A tool call can wait on the user (sampling) for a long time; don't let our side give up first. */
const TOOL_CALL_TIMEOUT_MS = 30 * 60_000;
/**
 * The longest line a stdio server may send: above the SDK's 10 MB default, so an oversized request
 * still parses and the server gets a proper invalid-params error instead of a dropped connection.
 */
const STDIO_MAX_BUFFER_BYTES = 64 * 1024 * 1024;
const PROBE_TIMEOUT_MS = 5_000;
/**
 * How long a remote (HTTP/SSE) server may take to complete the handshake. A server that accepts
 * the TCP connection but never answers would otherwise hold the SDK's 60 s request timeout per
 * transport and era probe (minutes in all). Stdio servers are not bounded: `npx` may be downloading.
 */
export const REMOTE_CONNECT_TIMEOUT_MS = 20_000;
/** How much of a crashed run's stderr is searched for the line that says why. */
const STDERR_LINES_SEARCHED = 60;

/**
 * A tool call in flight: ours (the tool runner) or an app's through the gateway. The gateway's
 * carry the app (named in the dialogs), the app's cancellation (which also ends a dialog the call
 * caused) and, for pass-through servers, how to ask the app itself.
 */
type ToolCall = ToolCallRef & { signal?: AbortSignal; askApp?: AppAnswerer };

/**
 * Pass-through (a server set to `answer: 'app'`): the calling app answers the server's sampling,
 * elicitation and roots requests. Each member is undefined when the app did not declare that
 * capability (or cannot be asked at all): Sluice answers instead.
 */
export interface AppAnswerer extends AppUserRequests {
  sampling?: (params: unknown, signal: AbortSignal) => Promise<WireCreateMessageResult>;
}

/** A `tools/call` forwarded by the gateway on behalf of an app. */
export interface GatewayCallOptions {
  app: CallingApp;
  /** The app's cancellation (or its going away). */
  signal: AbortSignal;
  onprogress?: (progress: Progress) => void;
  askApp?: AppAnswerer;
}

/** The part of a ToolCall that dialogs and history may see (no signal, no callbacks). */
function toolCallRef(call: ToolCall | undefined): ToolCallRef | undefined {
  return call && { name: call.name, arguments: call.arguments, ...(call.app ? { app: call.app } : {}) };
}

/** The request's own abort signal, also aborted when the tool call that caused it is cancelled. */
function withCallSignal(signal: AbortSignal, call: ToolCall | undefined): AbortSignal {
  return call?.signal ? AbortSignal.any([signal, call.signal]) : signal;
}
type TransportKind = NonNullable<ServerStatus['transport']>;

/** What a connection reports to the manager besides its status. */
export interface ConnectionEvents {
  onStatus(): void;
  onLog?(entry: ServerLogEntry): void;
  onListChanged?(kind: ListKind): void;
  /** `notifications/resources/updated` for a resource Sluice subscribed to. */
  onResourceUpdated?(uri: string): void;
  /** `notifications/tasks/status` (optional for servers; Sluice polls anyway). */
  onTaskStatus?(task: WireTask): void;
}

export interface ConnectionOptions {
  backoff?: BackoffPolicy;
  /** Elicitation and roots (electron/core/elicitation, roots); without them Sluice declares neither. */
  userRequests?: UserRequestServices;
  /** OAuth for remote servers (electron/core/auth): the transports' auth provider and the sign-in state. */
  auth?: ServerAuth;
  /** Overrides REMOTE_CONNECT_TIMEOUT_MS (tests). */
  connectTimeoutMs?: number;
  /** The environment stdio servers start with (the login shell's on the desktop); default: Sluice's own. */
  launchEnvironment?: () => Promise<LaunchEnvironment>;
  /** Resolves `${sluice-secret:…}` references in env and headers when the transport is built. */
  secrets?: ServerSecrets;
}

/** What a stdio server is started with: the file that runs and the environment's PATH. */
type StdioLaunch = { command: string; env: Record<string, string> };

/** A remote server that did not finish the handshake in time (no fallback transport will do better). */
class ConnectTimeoutError extends Error {}

export class ServerConnection {
  private client: Client | undefined;
  private status: ServerStatus;
  private readonly log: LogBuffer;
  /** Tool calls in flight, so a sampling request can name the call that caused it. */
  private readonly toolCallScope = new AsyncLocalStorage<ToolCall>();
  private readonly inFlightToolCalls = new Set<ToolCall>();
  /** The gateway's requests to this server, on the current client's transport (2025 era; see transport-calls.ts). */
  private forwardLane: TransportCalls | undefined;
  /** Per tool call in flight: how many of its server's requests to the user are still open. */
  private readonly waitingOnUser = new Map<ToolCall, number>();
  /** Bumped by every start/stop: a connect that finishes after a newer start/stop is discarded. */
  private generation = 0;
  private child: ChildProcess | undefined;
  private lastExit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly secrets: ServerSecrets | undefined;
  /** The env (stdio) or headers (http) with secrets resolved, for the transport being built. */
  private resolvedValues: Record<string, string> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempt = 0;
  private connectedAt = 0;
  private current: ServerDefinition;
  /** Log position when the current process/connection attempt began: its errors quote only its own stderr. */
  private runMark = 0;
  private readonly backoff: BackoffPolicy;
  private readonly userRequests: UserRequestServices | undefined;
  private readonly auth: ServerAuth | undefined;
  /** The tools as last listed: their output schemas and the definitions callTool hands the SDK. */
  private tools = new Map<string, ToolInfo>();
  /** Resources the user subscribed to; subscribed again after a reconnect (a new session has none). */
  private readonly subscriptions = new Set<string>();
  private readonly connectTimeoutMs: number;
  private readonly launchEnvironment: () => Promise<LaunchEnvironment>;
  /** How the stdio server was last started (shown in its detail: which PATH, which file). */
  private launchInfo: ServerStatus['launch'];

  constructor(
    definition: ServerDefinition,
    private readonly broker: SamplingBroker,
    private readonly events: ConnectionEvents,
    options: ConnectionOptions = {},
  ) {
    this.current = definition;
    this.status = { definition, state: definition.enabled ? 'connecting' : 'disabled' };
    this.log = new LogBuffer((entry) => this.events.onLog?.(entry));
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.userRequests = options.userRequests;
    this.auth = options.auth;
    this.connectTimeoutMs = options.connectTimeoutMs ?? REMOTE_CONNECT_TIMEOUT_MS;
    this.launchEnvironment = options.launchEnvironment ?? (() => Promise.resolve(inheritedEnvironment()));
    this.secrets = options.secrets;
  }

  get definition(): ServerDefinition {
    return this.current;
  }

  get name(): string {
    return this.definition.name;
  }

  /**
   * Swaps in a definition that differs only in Sluice's own settings that do not affect the
   * connection (roots, log level; the manager guarantees that): the live session carries on.
   */
  updateSettings(definition: ServerDefinition): void {
    this.current = definition;
    this.setStatus({ ...this.status, definition });
  }

  snapshot(): ServerStatus {
    const auth = this.auth?.statusFor(this.name);
    const launch = this.definition.type === 'stdio' ? this.launchInfo : undefined;
    return { ...this.status, ...(auth ? { auth } : {}), ...(launch ? { launch } : {}) };
  }

  logs(): ServerLogEntry[] {
    return this.log.list();
  }

  /** The last lines the server wrote to stderr (stdio servers only). */
  stderr(): string[] {
    return this.log.stderrTail(50);
  }

  /** The stdio server's process id while it runs. */
  pid(): number | undefined {
    return this.child?.pid;
  }

  /** Connects (the user's start: any pending reconnect and its backoff are reset). */
  async start(): Promise<void> {
    this.cancelReconnect();
    this.reconnectAttempt = 0;
    if (!this.definition.enabled) {
      this.generation++;
      this.setStatus({ definition: this.definition, state: 'disabled' });
      return;
    }
    await this.connect();
  }

  async stop(reason = 'The server was stopped'): Promise<void> {
    this.generation++;
    this.cancelReconnect();
    const client = this.client;
    this.client = undefined;
    this.broker.failServer(this.name, reason);
    await this.closeClient(client);
    if (client) this.log.add({ source: 'sluice', text: reason });
    this.setStatus({
      definition: this.definition,
      state: this.definition.enabled ? 'error' : 'disabled',
      error: this.definition.enabled ? reason : undefined,
    });
  }

  async setLogLevel(level: LogLevel): Promise<void> {
    const client = this.connected();
    if (!client.getServerCapabilities()?.logging) throw new Error(`Server "${this.name}" does not support logging levels`);
    await client.setLoggingLevel(level);
    this.log.add({ source: 'sluice', text: `Log level set to ${level}` });
  }

  async listTools(): Promise<ToolInfo[]> {
    const client = this.connected();
    if (!client.getServerCapabilities()?.tools) return [];
    const tools = await this.listAll('tools', (cursor) =>
      this.withStepUp((current) => current.request({ method: 'tools/list', params: cursor ? { cursor } : {} })).then((page) => ({
        items: page.tools,
        nextCursor: page.nextCursor,
      })),
    );
    const infos: ToolInfo[] = tools.map((tool) => ({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema,
      outputSchema: tool.outputSchema,
      annotations: tool.annotations,
      execution: tool.execution,
      icons: tool.icons,
    }));
    this.tools = new Map(infos.map((tool) => [tool.name, tool]));
    return infos;
  }

  /**
   * Follows `nextCursor` (bounded, see pages.ts). We walk the pages ourselves instead of letting
   * the SDK aggregate them: the SDK throws away everything when its page cap is hit, and we'd
   * rather show the first pages and say in the log why the list is cut.
   */
  private async listAll<T>(kind: string, fetchPage: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
    const walked = await walkPages(fetchPage);
    if (walked.truncated) this.log.add({ source: 'sluice', text: `The ${kind} list is incomplete: ${walked.truncated}` });
    return walked.items;
  }

  async callTool(name: string, args: Record<string, unknown>, control?: RequestControl): Promise<ToolCallResult> {
    const tool = this.tools.get(name);
    const run = () =>
      this.withStepUp((client) =>
        client.callTool(
          { name, arguments: args },
          {
            timeout: TOOL_CALL_TIMEOUT_MS,
            resetTimeoutOnProgress: true,
            signal: control?.signal,
            onprogress: control?.onprogress,
            // The definition without its outputSchema: the SDK would throw on a mismatch and the
            // user would never see the result. We check it ourselves below and show the mismatch.
            toolDefinition: { name, inputSchema: { ...tool?.inputSchema, type: 'object' } },
          },
        ),
      );
    return this.inToolCall(name, args, async () => {
      try {
        return this.toolResult(name, await run());
      } catch (error) {
        // -32042: the server needs the user at a URL first. Shown as URL requests; once the user
        // has been there (accepted, and the step is over), the answer says so and the user
        // retries the call (spec: the client offers to retry; a retry is the user's decision,
        // since the page may have changed what the call will do). Declined: the server's error.
        const required = urlElicitationsRequired(error);
        if (!required || !this.userRequests) throw error;
        for (const elicitation of required) {
          const done = await this.userRequests.elicitation.required(
            { serverName: this.name, route: 'push', toolCall: { name, arguments: args } },
            elicitation,
          );
          if (!done) throw error;
        }
        const message = (error instanceof Error ? error.message : String(error)).replace(/^MCP error -?\d+: /, '').slice(0, 2000);
        return {
          content: [{ type: 'text', text: `${message} (the call did not run; you completed the step, so it can be retried)` }],
          isError: true,
          urlElicitationCompleted: { message, urls: required.map((item) => item.url) },
        };
      }
    });
  }

  /** Runs `work` as the tool call `name` (so a sampling or elicitation request can name it). */
  private async inToolCall<T>(name: string, args: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
    const call: ToolCall = { name, arguments: args };
    this.inFlightToolCalls.add(call);
    try {
      return await this.toolCallScope.run(call, work);
    } finally {
      this.inFlightToolCalls.delete(call);
    }
  }

  private toolResult(name: string, result: { content?: unknown; structuredContent?: unknown; isError?: boolean }): ToolCallResult {
    const structuredContent = result.structuredContent as Record<string, unknown> | undefined;
    const problem = outputSchemaProblem(this.tools.get(name)?.outputSchema, { structuredContent, isError: result.isError });
    return {
      content: (Array.isArray(result.content) ? result.content : []) as ToolCallResult['content'],
      structuredContent,
      isError: result.isError,
      ...(problem ? { outputSchemaProblem: problem } : {}),
    };
  }

  // ---------- tasks (spec 2025-11-25) ----------

  /** Whether the server accepts task-augmented `tools/call` (its `tasks.requests.tools.call` capability). */
  supportsToolTasks(): boolean {
    const tasks = this.connected().getServerCapabilities()?.tasks as { requests?: { tools?: { call?: unknown } } } | undefined;
    return Boolean(tasks?.requests?.tools?.call);
  }

  toolInfo(name: string): ToolInfo | undefined {
    return this.tools.get(name);
  }

  /** Sends `tools/call` with a `task`: the server answers at once with the task it created. */
  async startToolTask(name: string, args: Record<string, unknown>, ttl?: number): Promise<WireTask> {
    const { task } = await this.connected().request(
      { method: 'tools/call', params: { name, arguments: args, task: ttl === undefined ? {} : { ttl } } },
      CreateTaskResultWire,
      { timeout: PROBE_TIMEOUT_MS * 6 },
    );
    return task;
  }

  getTask(taskId: string, signal?: AbortSignal): Promise<WireTask> {
    return this.connected().request({ method: 'tasks/get', params: { taskId } }, TaskWire, { signal, timeout: PROBE_TIMEOUT_MS * 6 });
  }

  /**
   * `tasks/result` blocks until the task ends; while it waits, a server sends the task's
   * elicitation and sampling requests, which reach the usual dialogs (named after `tool`).
   */
  async taskResult(taskId: string, tool: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<ToolCallResult> {
    const client = this.connected();
    return this.inToolCall(tool, args, async () => {
      const result = await client.request({ method: 'tasks/result', params: { taskId } }, CallToolResultWire, {
        signal,
        timeout: TOOL_CALL_TIMEOUT_MS,
      });
      return this.toolResult(tool, result);
    });
  }

  cancelTask(taskId: string): Promise<WireTask> {
    return this.connected().request({ method: 'tasks/cancel', params: { taskId } }, TaskWire, { timeout: PROBE_TIMEOUT_MS * 6 });
  }

  async listTasks(): Promise<WireTask[]> {
    const client = this.connected();
    if (!(client.getServerCapabilities()?.tasks as { list?: unknown } | undefined)?.list) return [];
    return this.listAll('tasks', (cursor) =>
      client
        .request({ method: 'tasks/list', params: cursor ? { cursor } : {} }, ListTasksResultWire)
        .then((page) => ({ items: page.tasks, nextCursor: page.nextCursor })),
    );
  }

  /**
   * The gateway's `tools/call`: the server's result exactly as it came (structured content,
   * `isError`, `_meta`), its JSON-RPC errors thrown unchanged, progress relayed, and the app's
   * cancellation sent on as `notifications/cancelled`.
   */
  async callToolForApp(name: string, args: Record<string, unknown>, options: GatewayCallOptions): Promise<CallToolResult> {
    const client = this.connected();
    const call: ToolCall = { name, arguments: args, app: options.app, signal: options.signal, askApp: options.askApp };
    this.inFlightToolCalls.add(call);
    try {
      const options_ = {
        signal: options.signal,
        onprogress: options.onprogress,
        timeout: TOOL_CALL_TIMEOUT_MS,
        resetTimeoutOnProgress: true,
      };
      // A 2025-era server's answer goes to the app as it came (the app validates it), on the
      // transport itself; a 2026-07-28 server's call may come back `input_required`, which the
      // SDK's callTool() drives round after round.
      // Only the SDK's callTool() runs in the call's scope (call-scope.ts: the answers to what it
      // sends come back in it); the lane settles its own requests, which the scope would only remember.
      const result: unknown =
        client.getProtocolEra() === 'modern' || !this.forwardLane
          ? await this.toolCallScope.run(call, () => client.callTool({ name, arguments: args }, options_))
          : await this.forwardLane.request(
              'tools/call',
              { name, arguments: args },
              { signal: options.signal, onprogress: options.onprogress, timeoutMs: TOOL_CALL_TIMEOUT_MS },
            );
      // The SDK types a call result as either spelling of the spec's result; the gateway passes it on as is.
      return result as CallToolResult;
    } finally {
      this.inFlightToolCalls.delete(call);
    }
  }

  /** The connected SDK client, for the gateway's listing and routing (throws when not connected). */
  clientForGateway(): Client {
    return this.connected();
  }

  async listResources(): Promise<ResourceInfo[]> {
    const client = this.connected();
    if (!client.getServerCapabilities()?.resources) return [];
    return this.listAll('resources', (cursor) =>
      this.withStepUp((current) => current.request({ method: 'resources/list', params: cursor ? { cursor } : {} })).then((page) => ({
        items: page.resources,
        nextCursor: page.nextCursor,
      })),
    );
  }

  async listResourceTemplates(): Promise<ResourceTemplateInfo[]> {
    const client = this.connected();
    if (!client.getServerCapabilities()?.resources) return [];
    return this.listAll('resource templates', (cursor) =>
      this.withStepUp((current) => current.request({ method: 'resources/templates/list', params: cursor ? { cursor } : {} })).then(
        (page) => ({ items: page.resourceTemplates, nextCursor: page.nextCursor }),
      ),
    );
  }

  async readResource(uri: string, control?: RequestControl): Promise<ReadResourceResult> {
    // `bypass`: a re-read after `resources/updated` must reach the server, not a cached body.
    const { contents } = await this.withStepUp((client) =>
      client.readResource({ uri }, { cacheMode: 'bypass', timeout: TOOL_CALL_TIMEOUT_MS, resetTimeoutOnProgress: true, ...control }),
    );
    return { contents: contents };
  }

  /** Whether the server offers `resources/subscribe` (2025 era; the 2026-07-28 era dropped it). */
  supportsSubscriptions(): boolean {
    const client = this.connected();
    return (
      client.getProtocolEra() !== 'modern' &&
      Boolean((client.getServerCapabilities()?.resources as { subscribe?: unknown } | undefined)?.subscribe)
    );
  }

  async subscribe(uri: string): Promise<void> {
    if (!this.supportsSubscriptions()) throw new Error(`Server "${this.name}" does not offer resource subscriptions`);
    await this.connected().subscribeResource({ uri });
    this.subscriptions.add(uri);
  }

  async unsubscribe(uri: string): Promise<void> {
    this.subscriptions.delete(uri);
    await this.connected().unsubscribeResource({ uri });
  }

  subscribed(): string[] {
    return [...this.subscriptions];
  }

  /** `completion/complete` for a prompt argument or a resource-template variable. */
  async complete(
    ref: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string },
    argument: { name: string; value: string },
    context?: Record<string, string>,
  ): Promise<CompletionResult> {
    const client = this.connected();
    if (!client.getServerCapabilities()?.completions) return { values: [] };
    const { completion } = await client.complete(
      { ref, argument, ...(context && Object.keys(context).length ? { context: { arguments: context } } : {}) },
      { timeout: PROBE_TIMEOUT_MS * 2 },
    );
    // The spec caps a response at 100 values; a server that sends more, or huge ones, is cut.
    return {
      values: completion.values.slice(0, 100).map((value) => String(value).slice(0, 500)),
      total: typeof completion.total === 'number' ? completion.total : undefined,
      hasMore: completion.hasMore,
    };
  }

  async listPrompts(): Promise<PromptInfo[]> {
    const client = this.connected();
    if (!client.getServerCapabilities()?.prompts) return [];
    return this.listAll('prompts', (cursor) =>
      this.withStepUp((current) => current.request({ method: 'prompts/list', params: cursor ? { cursor } : {} })).then((page) => ({
        items: page.prompts,
        nextCursor: page.nextCursor,
      })),
    );
  }

  async getPrompt(name: string, args: Record<string, string>, control?: RequestControl): Promise<GetPromptResult> {
    const result = await this.withStepUp((client) =>
      client.getPrompt({ name, arguments: args }, { timeout: TOOL_CALL_TIMEOUT_MS, resetTimeoutOnProgress: true, ...control }),
    );
    return { description: result.description, messages: result.messages };
  }

  /**
   * Runs a request; when the server refuses it with 403 `insufficient_scope`, the sign-in service
   * asks the user to sign in again with the wider scopes (the token in hand is kept and the
   * connection stays up), and the request runs again after that sign-in. The service bounds it:
   * it refuses (with a message saying why) once asking again cannot help.
   */
  private async withStepUp<T>(request: (client: Client) => Promise<T>): Promise<T> {
    for (let steppedUp = false; ; steppedUp = true) {
      try {
        const result = await request(this.connected());
        if (steppedUp) this.auth?.stepUpSucceeded(this.name);
        return result;
      } catch (error) {
        const insufficient = insufficientScope(error);
        if (!insufficient || !this.auth) throw error;
        this.log.add({
          source: 'sluice',
          text: `The server wants more permissions${insufficient.requiredScope ? ` (${insufficient.requiredScope.slice(0, 200)})` : ''}`,
        });
        await this.auth.stepUp(this.definition, insufficient.requiredScope);
      }
    }
  }

  private connected(): Client {
    if (!this.client || this.status.state !== 'connected') {
      throw new Error(`Server "${this.name}" is not connected${this.status.error ? `: ${this.status.error}` : ''}`);
    }
    return this.client;
  }

  /** The transports to try, in order: Streamable HTTP falls back to SSE for servers that predate it. */
  private transportPlan(): TransportKind[] {
    const type = this.definition.type;
    return type === 'stdio' ? ['stdio'] : type === 'http' ? ['http', 'sse'] : ['sse'];
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.setStatus({ definition: this.definition, state: 'connecting', connectingSince: Date.now() });
    const failures: Array<{ kind: TransportKind; text: string }> = [];
    const plan = this.transportPlan();
    try {
      // Secret env values and headers come from the secret store only now, for the transport.
      this.resolvedValues = await this.secrets?.resolve(this.definition);
    } catch (error) {
      if (generation !== this.generation) return;
      failures.push({ kind: plan[0] ?? 'stdio', text: (error as Error).message });
      plan.length = 0;
    }
    const launchEnvironment = this.definition.type === 'stdio' ? await this.launchEnvironment() : undefined;
    if (generation !== this.generation) return;
    for (const kind of plan) {
      const client = this.createClient();
      let forwardLane: TransportCalls;
      this.lastExit = undefined;
      this.runMark = this.log.mark();
      try {
        const transport = this.createTransport(kind, launchEnvironment);
        await this.handshake(client, transport, kind);
        carryCallScope(transport, this.toolCallScope);
        forwardLane = new TransportCalls(transport);
      } catch (error) {
        await this.closeClient(client);
        if (generation !== this.generation) return;
        const insufficient = this.auth ? insufficientScope(error) : undefined;
        if (insufficient && this.auth) {
          // Refused for lack of scope while connecting: a sign-in with wider scopes (the restart after it retries).
          this.auth.stepUp(this.definition, insufficient.requiredScope).catch((stepUpError: unknown) => {
            if (generation === this.generation)
              this.setStatus({ definition: this.definition, state: 'error', error: this.describeFailure(stepUpError) });
          });
        }
        if (insufficient || isSignInRequired(error)) {
          // Not a failure to retry: nothing changes until the user presses Sign in (the status says so).
          const message = this.auth?.statusFor(this.name)?.message ?? this.describeFailure(error);
          this.log.add({ source: 'sluice', text: `Sign-in required: ${message}` });
          this.reconnectAttempt = 0;
          this.setStatus({ definition: this.definition, state: 'error', error: message });
          return;
        }
        failures.push({ kind, text: this.describeFailure(error) });
        // Credentials problems are not a protocol mismatch: falling back to SSE would only hide them;
        // a server that did not answer, or an address where nothing listens, will not do better over SSE.
        if (kind === 'http' && (isAuthFailure(error) || error instanceof ConnectTimeoutError || isUnreachable(error))) break;
        if (kind === 'http')
          this.log.add({
            source: 'sluice',
            text: `Streamable HTTP failed (${this.describeFailure(error)}); trying the legacy SSE transport`,
          });
        continue;
      }
      if (generation !== this.generation) {
        await this.closeClient(client);
        return;
      }
      this.forwardLane = forwardLane;
      this.onConnected(client, kind);
      return;
    }
    // Name the transports only when both were tried and failed differently.
    const message =
      failures.length === 1 || failures.every((f) => f.text === failures[0]?.text)
        ? (failures[0]?.text ?? 'Could not connect')
        : failures.map((f) => `${f.kind === 'http' ? 'Streamable HTTP' : 'SSE fallback'}: ${f.text}`).join('; ');
    this.log.add({ source: 'sluice', text: `Could not connect: ${message}` });
    // A failed reconnect keeps the backoff going; a failed first start waits for the user.
    if (this.reconnectAttempt > 0) {
      this.status = { definition: this.definition, state: 'error', error: message };
      this.scheduleReconnect(message);
    } else {
      this.setStatus({ definition: this.definition, state: 'error', error: message });
    }
  }

  /** The SDK handshake; for remote servers bounded by connectTimeoutMs (the caller closes the client on failure). */
  private async handshake(client: Client, transport: Transport, kind: TransportKind): Promise<void> {
    if (kind === 'stdio') return client.connect(transport);
    const ms = this.connectTimeoutMs;
    const connecting = client.connect(transport, { timeout: ms });
    // The race below may leave it behind; closing the client settles it, and nobody listens then.
    connecting.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ConnectTimeoutError(`The server did not answer within ${Math.round(ms / 1000)} s`)), ms);
    });
    try {
      await Promise.race([connecting, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private onConnected(client: Client, kind: TransportKind): void {
    this.client = client;
    this.connectedAt = Date.now();
    client.onclose = () => this.handleClosed(client);
    const serverInfo = client.getServerVersion();
    this.log.add({
      source: 'sluice',
      text: `Connected over ${kind} (${client.getNegotiatedProtocolVersion() ?? 'unknown protocol version'})`,
    });
    this.setStatus({
      definition: this.definition,
      state: 'connected',
      era: client.getProtocolEra(),
      protocolVersion: client.getNegotiatedProtocolVersion(),
      serverInfo: serverInfo
        ? {
            name: serverInfo.name,
            version: serverInfo.version,
            title: serverInfo.title,
            icons: serverInfo.icons as NonNullable<ServerStatus['serverInfo']>['icons'],
          }
        : undefined,
      instructions: client.getInstructions(),
      transport: kind,
      capabilities: client.getServerCapabilities(),
    });
    this.resubscribe(client);
    // A level the user chose (stored in the definition) survives reconnects and restarts.
    const logLevel = this.definition.logLevel;
    if (logLevel && client.getServerCapabilities()?.logging) {
      client
        .setLoggingLevel(logLevel)
        .then(() => this.log.add({ source: 'sluice', text: `Log level set to ${logLevel} (the level chosen for this server)` }))
        .catch((error: unknown) => this.log.add({ source: 'sluice', text: `Could not restore the log level: ${String(error)}` }));
    }
  }

  /** A new session has no subscriptions: ask again for the resources the user subscribed to. */
  private resubscribe(client: Client): void {
    for (const uri of this.subscriptions) {
      client.subscribeResource({ uri }).catch((error: unknown) => {
        this.subscriptions.delete(uri);
        this.log.add({ source: 'sluice', text: `Could not subscribe to ${uri} again: ${String(error)}` });
      });
    }
  }

  /**
   * The one place the Client is configured: capabilities, request and notification handlers.
   * (Other features add their capabilities and handlers here.)
   */
  private createClient(): Client {
    const era = this.definition.era;
    const onListChanged = (kind: ListKind) => ({
      autoRefresh: false,
      onChanged: () => {
        this.log.add({ source: 'sluice', text: `The server's ${kind} list changed` });
        this.events.onListChanged?.(kind);
      },
    });
    const client = new Client(CLIENT_INFO, {
      capabilities: { sampling: SAMPLING_CAPABILITY, ...(this.userRequests ? USER_REQUEST_CAPABILITIES : {}) },
      versionNegotiation:
        era === 'modern'
          ? { mode: { pin: '2026-07-28' } }
          : era === 'auto'
            ? { mode: 'auto', probe: { timeoutMs: PROBE_TIMEOUT_MS } }
            : undefined,
      listChanged: { tools: onListChanged('tools'), resources: onListChanged('resources'), prompts: onListChanged('prompts') },
    });
    client.setRequestHandler('sampling/createMessage', (request, ctx) =>
      this.handleSampling(client, request.params, ctx.mcpReq.signal, ctx.mcpReq.id),
    );
    if (this.userRequests) {
      const services = this.userRequests;
      registerUserRequestHandlers(client, {
        serverName: this.name,
        services,
        toolCall: () => toolCallRef(this.causingCall()),
        signalFor: (signal) => withCallSignal(signal, this.causingCall()),
        whileAsking: (work) => this.askingUser(this.causingCall(), work),
        askApp: () => this.appAnswerer(),
      });
    }
    client.setNotificationHandler('notifications/resources/updated', (notification) => {
      const uri = notification.params.uri;
      // Only resources we asked about: a server cannot make us re-read arbitrary URIs.
      if (this.subscriptions.has(uri)) this.events.onResourceUpdated?.(uri);
    });
    // Not a method-keyed notification in the v2 SDK (tasks became an extension in 2026-07-28): give the schema.
    client.setNotificationHandler('notifications/tasks/status', { params: TaskWire }, (task) => this.events.onTaskStatus?.(task));
    client.setNotificationHandler('notifications/message', (notification) => {
      const { level, logger, data } = notification.params;
      this.log.add({ source: 'notification', level, logger, text: typeof data === 'string' ? data : JSON.stringify(data) });
    });
    return client;
  }

  private async handleSampling(
    client: Client,
    params: unknown,
    signal: AbortSignal,
    mcpRequestId: string | number,
  ): Promise<WireCreateMessageResult> {
    const call = this.causingCall();
    const modern = client.getProtocolEra() === 'modern';
    const callSignal = withCallSignal(signal, call);
    // Pass-through: a server set to be answered by the calling app, and the app can.
    const askApp = this.appAnswerer()?.sampling;
    if (askApp) return this.askingUser(call, () => askApp(params, callSignal));
    const asked = this.broker.enqueue(
      {
        serverName: this.name,
        route: modern ? 'input_required' : 'push',
        toolCall: toolCallRef(call),
        // No deadline: a 2025 server's timeout is its own choice (60 s is only the SDKs' default) and a
        // 2026 server waits for our retry; the dialog must not count down to a time it cannot know.
        mcpRequestId,
      },
      params,
      callSignal,
    );
    const result = await this.askingUser(call, () => asked);
    // The broker validated the answer against shared/mcp.ts (the spec's shape); the SDK validates
    // it once more on the way out, so this cast only bridges the two libraries' type spellings.
    return result as WireCreateMessageResult;
  }

  /**
   * The app that answers the server's request now, when this server is set to pass its requests
   * to the calling app. Only when the causing call is certain: named by the async context (the
   * 2026-07-28 era: the request came in the response to that call, see call-scope.ts) or the only
   * call in flight. The guess causingCall() makes for dialogs (the one call not waiting on the user)
   * is not enough to send a server's request, with what it says, to one of two apps: Sluice answers.
   */
  private appAnswerer(): AppAnswerer | undefined {
    if (this.definition.gateway?.answer !== 'app') return undefined;
    const certain = this.toolCallScope.getStore() ?? (this.inFlightToolCalls.size === 1 ? [...this.inFlightToolCalls][0] : undefined);
    return certain?.askApp;
  }

  /**
   * The tool call that led to a server's request. In the 2026-07-28 era the request comes in the
   * response to our callTool() (input_required), which call-scope.ts delivers in that call's async
   * context, so the context names the exact call. A 2025 server pushes the request on its own;
   * when exactly one of our calls is in flight to it, that call is the cause.
   */
  private causingCall(): ToolCall | undefined {
    const scoped = this.toolCallScope.getStore();
    if (scoped || this.inFlightToolCalls.size <= 1) return scoped ?? [...this.inFlightToolCalls][0];
    // Several calls in flight: a tool asks the user one thing at a time, so a call whose request
    // is still open is not the one asking now. The second call's request (made while the first
    // one's dialog waits) keeps its "Caused by tool call" (issue 11, item 4); truly concurrent
    // calls stay unnamed rather than guessed.
    const free = [...this.inFlightToolCalls].filter((call) => !this.waitingOnUser.has(call));
    return free.length === 1 ? free[0] : undefined;
  }

  /** Runs `work`, a request to the user, counted against the tool call that caused it. */
  private async askingUser<T>(call: ToolCall | undefined, work: () => Promise<T>): Promise<T> {
    if (!call) return work();
    this.waitingOnUser.set(call, (this.waitingOnUser.get(call) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const left = (this.waitingOnUser.get(call) ?? 1) - 1;
      if (left > 0) this.waitingOnUser.set(call, left);
      else this.waitingOnUser.delete(call);
    }
  }

  /** The one place transports are built (and their options, e.g. auth, set). */
  private createTransport(kind: TransportKind, launchEnvironment: LaunchEnvironment | undefined): Transport {
    const definition = this.definition;
    if (definition.type === 'stdio') {
      const launch = this.planStdioLaunch(launchEnvironment ?? inheritedEnvironment());
      const transport = new StdioClientTransport({
        command: launch.command,
        args: definition.args,
        env: launch.env,
        cwd: definition.cwd,
        stderr: 'pipe',
        maxBufferSize: STDIO_MAX_BUFFER_BYTES,
      });
      // The gateway's forwarded calls read their answers before the SDK validates anything (lane-read-buffer.ts).
      installLaneReader(transport, ReadBuffer, parseJSONRPCMessage, STDIO_MAX_BUFFER_BYTES);
      transport.stderr?.on('data', (chunk: Buffer) => this.log.addStderr(chunk.toString('utf8')));
      this.watchChild(transport);
      return transport;
    }
    const url = new URL(definition.url);
    const requestInit = { headers: this.resolvedValues ?? definition.headers };
    const authProvider = this.auth?.providerFor(definition);
    const fetch = this.auth?.fetchFor(definition);
    const options = authProvider ? { requestInit, authProvider, ...(fetch ? { fetch } : {}) } : { requestInit };
    // A 403 insufficient_scope comes back to us (see withStepUp): the user, not the SDK, decides to sign in again.
    return kind === 'sse'
      ? new SSEClientTransport(url, options)
      : new StreamableHTTPClientTransport(url, { ...options, onInsufficientScope: 'throw' });
  }

  /**
   * Which file runs and with what environment: the SDK's default variables taken from the launch
   * environment (so PATH is the login shell's on the desktop), the server's own `env` on top. The
   * command is looked up on that PATH first, so a missing one is named before anything is spawned;
   * on Windows the resolved file (e.g. `npx.cmd`) is what starts.
   */
  private planStdioLaunch(launchEnvironment: LaunchEnvironment): StdioLaunch {
    const definition = this.definition;
    if (definition.type !== 'stdio') throw new Error('not a stdio server');
    // The SDK's short list of safe variables (HOME, PATH, USER … ; on Windows APPDATA, PATHEXT …), read from
    // the launch environment instead of our own; exported shell functions ("() {") are never passed on.
    const base: Record<string, string> = {};
    for (const name of DEFAULT_INHERITED_ENV_VARS) {
      const value = envValue(launchEnvironment.env, name);
      if (value !== undefined && !value.startsWith('()')) base[name] = value;
    }
    // Secret values come from the secret store (resolved at connect), never from servers.json.
    const env = { ...base, ...(this.resolvedValues ?? definition.env) };
    const resolved = findExecutable(definition.command, { env, cwd: definition.cwd });
    this.launchInfo = {
      path: envValue(env, 'PATH') ?? '',
      source:
        definition.env && Object.keys(definition.env).some((name) => name.toUpperCase() === 'PATH') ? 'server' : launchEnvironment.source,
      ...(resolved ? { resolvedCommand: resolved } : {}),
      ...(launchEnvironment.note ? { note: launchEnvironment.note } : {}),
    };
    if (!resolved) throw new Error(`'${definition.command}' was not found on PATH`);
    return { command: process.platform === 'win32' ? resolved : definition.command, env };
  }

  /**
   * Learns the spawned child (for its exit code and its process tree). The SDK keeps the
   * ChildProcess to itself, so we wrap this instance's start() and read it structurally; if the
   * SDK ever renames it we only lose the exit code, never the connection. The instance is left
   * an exact StdioClientTransport so the SDK can still probe the era on a disposable sibling.
   */
  private watchChild(transport: StdioClientTransport): void {
    const start = transport.start.bind(transport);
    transport.start = async () => {
      await start();
      const child = (transport as unknown as { _process?: ChildProcess })._process;
      if (!child) return;
      this.child = child;
      child.once('exit', (code, signal) => {
        this.lastExit = { code, signal };
        this.log.flushStderr();
        this.log.add({ source: 'sluice', text: describeExit(code, signal) });
        if (this.child === child) this.child = undefined;
      });
    };
  }

  /** Closes the client and, for stdio, makes sure no process of the server's tree survives. */
  private async closeClient(client: Client | undefined): Promise<void> {
    const child = this.child;
    const pid = child?.exitCode === null && child.signalCode === null ? child.pid : undefined;
    const descendants = pid ? await descendantsOf(pid) : [];
    if (pid && process.platform === 'win32') await endTreeOnWindows(pid);
    await client?.close().catch(() => undefined);
    await endProcesses(descendants);
  }

  private handleClosed(client: Client): void {
    // Only a live connection's close matters; a failed connect or our own stop report themselves.
    if (this.client !== client) return;
    this.client = undefined;
    const message = this.describeFailure(new Error('The server closed the connection'));
    this.log.add({ source: 'sluice', text: message });
    this.broker.failServer(this.name, message);
    this.status = { definition: this.definition, state: 'error', error: message, transport: this.status.transport };
    // A connection that stayed up a while was healthy: this crash starts the backoff over.
    if (Date.now() - this.connectedAt >= this.backoff.stableMs) this.reconnectAttempt = 0;
    this.scheduleReconnect(message);
  }

  private scheduleReconnect(message: string): void {
    const attempt = this.reconnectAttempt + 1;
    const delay = reconnectDelay(attempt, this.backoff);
    if (delay === undefined) {
      this.reconnectAttempt = 0;
      const gaveUp = `${message}. Gave up reconnecting after ${this.backoff.maxAttempts} attempts; use Restart to try again.`;
      this.log.add({ source: 'sluice', text: gaveUp });
      this.setStatus({ ...this.status, state: 'error', error: gaveUp, reconnect: undefined });
      return;
    }
    this.reconnectAttempt = attempt;
    const at = Date.now() + delay;
    this.log.add({
      source: 'sluice',
      text: `Reconnecting in ${Math.round(delay / 1000)} s (attempt ${attempt} of ${this.backoff.maxAttempts})`,
    });
    this.setStatus({ ...this.status, state: 'error', error: message, reconnect: { at, attempt } });
    const generation = this.generation;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (generation === this.generation && this.definition.enabled) void this.connect();
    }, delay);
  }

  private cancelReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  /**
   * One sentence for the status and the log: the library's codes as words (shared/error-text.ts),
   * and for a stdio server that died, its exit and the stderr line that says why (the full
   * stderr is in the server's log).
   */
  private describeFailure(error: unknown): string {
    const base = plainError(chainText(error));
    if (!this.lastExit || this.definition.type !== 'stdio') return base;
    const reason = crashReason(this.log.stderrTail(STDERR_LINES_SEARCHED, this.runMark));
    return `${describeExit(this.lastExit.code, this.lastExit.signal)}${reason ? `: ${reason}` : ''}`;
  }

  private setStatus(status: ServerStatus): void {
    this.status = status;
    this.events.onStatus();
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `The server process was killed by ${signal}` : `The server process exited with code ${code ?? 'unknown'}`;
}

/** At most this many URLs of one -32042 error are shown (the rest of the list is the server's to bound). */
const MAX_REQUIRED_URLS = 3;

/** The URL-mode elicitations of a -32042 "URL elicitation required" error, or undefined for any other error. */
function urlElicitationsRequired(error: unknown): Array<{ message: string; url: string; elicitationId?: string }> | undefined {
  const { code, data } = (error ?? {}) as { code?: unknown; data?: { elicitations?: unknown } };
  if (code !== -32042 || !Array.isArray(data?.elicitations)) return undefined;
  const valid = data.elicitations.flatMap((item: unknown) => {
    const { mode, url, message, elicitationId } = (item ?? {}) as Record<string, unknown>;
    if (mode !== 'url' || typeof url !== 'string' || url.length > 8192) return [];
    return [
      {
        url,
        message: typeof message === 'string' ? message.slice(0, 2000) : '',
        ...(typeof elicitationId === 'string' ? { elicitationId: elicitationId.slice(0, 200) } : {}),
      },
    ];
  });
  return valid.length ? valid.slice(0, MAX_REQUIRED_URLS) : undefined;
}

/** The SDK's InsufficientScopeError, also when wrapped (as the cause of a request's error). */
function insufficientScope(error: unknown, depth = 0): InsufficientScopeError | undefined {
  if (error instanceof InsufficientScopeError) return error;
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  return depth < 4 && cause !== undefined && cause !== error ? insufficientScope(cause, depth + 1) : undefined;
}

/**
 * An error's message with its causes' (fetch puts the useful part, `connect ECONNREFUSED
 * 127.0.0.1:9999`, in `cause`), so plainError can find the code.
 */
function chainText(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof Error) {
      // A wrapper that already quotes its cause's message (auth/cross-app-access.ts) is not repeated.
      const message = current.message;
      if (!parts.some((part) => part.includes(message))) parts.push(message);
      const { code, address, port } = current as Error & { code?: unknown; address?: unknown; port?: unknown };
      const where = typeof address === 'string' ? ` ${address}${typeof port === 'number' ? `:${port}` : ''}` : '';
      if (typeof code === 'string' && !current.message.includes(code)) parts.push(`${code}${where}`);
      current = current.cause;
    } else {
      if (typeof current === 'string') parts.push(current);
      break;
    }
  }
  return parts.join(': ');
}

function isUnreachable(error: unknown): boolean {
  return /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b/.test(chainText(error));
}

function isAuthFailure(error: unknown): boolean {
  const status = (error as { status?: unknown; code?: unknown } | undefined)?.status;
  if (status === 401 || status === 403) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /\b(401|403)\b|unauthori[sz]ed|forbidden/i.test(message);
}
