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
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type CreateMessageResult as WireCreateMessageResult,
  type Transport,
} from '@modelcontextprotocol/client';
import { DEFAULT_INHERITED_ENV_VARS, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { ServerDefinition, ServerStatus, ToolCallResult, ToolInfo } from '../../../shared/domain.js';
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
import { SAMPLING_CAPABILITY, TYPICAL_SERVER_TIMEOUT_MS, type SamplingBroker } from '../sampling/broker.js';
import { registerUserRequestHandlers, USER_REQUEST_CAPABILITIES, type UserRequestServices } from '../elicitation/user-requests.js';
import { isSignInRequired } from '../auth/errors.js';
import type { ServerAuth } from '../auth/sign-in-service.js';
import { DEFAULT_BACKOFF, reconnectDelay, type BackoffPolicy } from './backoff.js';
import { LogBuffer } from './log-buffer.js';
import { envValue, findExecutable } from './command-lookup.js';
import { inheritedEnvironment, type LaunchEnvironment } from './launch-environment.js';
import { descendantsOf, endProcesses, endTreeOnWindows } from './process-tree.js';

export const CLIENT_INFO = { name: 'Sluice', version: '0.1.0' };

/** A tool call can wait on the user (sampling) for a long time; don't let our side give up first. */
const TOOL_CALL_TIMEOUT_MS = 30 * 60_000;
const PROBE_TIMEOUT_MS = 5_000;
const STDERR_LINES_IN_ERRORS = 3;

type ToolCall = { name: string; arguments: Record<string, unknown> };
type TransportKind = NonNullable<ServerStatus['transport']>;

/** What a connection reports to the manager besides its status. */
export interface ConnectionEvents {
  onStatus(): void;
  onLog?(entry: ServerLogEntry): void;
  onListChanged?(kind: ListKind): void;
}

export interface ConnectionOptions {
  backoff?: BackoffPolicy;
  /** Elicitation and roots (electron/core/elicitation, roots); without them Sluice declares neither. */
  userRequests?: UserRequestServices;
  /** OAuth for remote servers (electron/core/auth): the transports' auth provider and the sign-in state. */
  auth?: ServerAuth;
  /** The environment stdio servers start with (the login shell's on the desktop); default: Sluice's own. */
  launchEnvironment?: () => Promise<LaunchEnvironment>;
}

/** What a stdio server is started with: the file that runs and the environment's PATH. */
type StdioLaunch = { command: string; env: Record<string, string> };

export class ServerConnection {
  private client: Client | undefined;
  private status: ServerStatus;
  private readonly log: LogBuffer;
  /** Tool calls in flight, so a sampling request can name the call that caused it. */
  private readonly toolCallScope = new AsyncLocalStorage<ToolCall>();
  private readonly inFlightToolCalls = new Set<ToolCall>();
  /** Bumped by every start/stop: a connect that finishes after a newer start/stop is discarded. */
  private generation = 0;
  private child: ChildProcess | undefined;
  private lastExit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempt = 0;
  private connectedAt = 0;
  private current: ServerDefinition;
  /** Log position when the current process/connection attempt began: its errors quote only its own stderr. */
  private runMark = 0;
  private readonly backoff: BackoffPolicy;
  private readonly userRequests: UserRequestServices | undefined;
  private readonly auth: ServerAuth | undefined;
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
    this.launchEnvironment = options.launchEnvironment ?? (() => Promise.resolve(inheritedEnvironment()));
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
    const { tools } = await this.connected().listTools();
    return tools.map((tool) => ({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema,
    }));
  }

  async callTool(name: string, args: Record<string, unknown>): Promise<ToolCallResult> {
    const client = this.connected();
    const call: ToolCall = { name, arguments: args };
    this.inFlightToolCalls.add(call);
    try {
      const result = await this.toolCallScope.run(call, () =>
        client.callTool({ name, arguments: args }, { timeout: TOOL_CALL_TIMEOUT_MS, resetTimeoutOnProgress: true }),
      );
      return {
        content: result.content ?? [],
        structuredContent: result.structuredContent as Record<string, unknown> | undefined,
        isError: result.isError,
      };
    } finally {
      this.inFlightToolCalls.delete(call);
    }
  }

  async listResources(): Promise<ResourceInfo[]> {
    const client = this.connected();
    if (!client.getServerCapabilities()?.resources) return [];
    const { resources } = await client.listResources();
    return resources;
  }

  async listResourceTemplates(): Promise<ResourceTemplateInfo[]> {
    const client = this.connected();
    if (!client.getServerCapabilities()?.resources) return [];
    const { resourceTemplates } = await client.listResourceTemplates();
    return resourceTemplates;
  }

  async readResource(uri: string): Promise<ReadResourceResult> {
    const { contents } = await this.connected().readResource({ uri });
    return { contents };
  }

  async listPrompts(): Promise<PromptInfo[]> {
    const client = this.connected();
    if (!client.getServerCapabilities()?.prompts) return [];
    const { prompts } = await client.listPrompts();
    return prompts;
  }

  async getPrompt(name: string, args: Record<string, string>): Promise<GetPromptResult> {
    const result = await this.connected().getPrompt({ name, arguments: args });
    return { description: result.description, messages: result.messages };
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
    this.setStatus({ definition: this.definition, state: 'connecting' });
    const failures: string[] = [];
    const plan = this.transportPlan();
    const launchEnvironment = this.definition.type === 'stdio' ? await this.launchEnvironment() : undefined;
    if (generation !== this.generation) return;
    for (const kind of plan) {
      const client = this.createClient();
      this.lastExit = undefined;
      this.runMark = this.log.mark();
      try {
        const transport = this.createTransport(kind, launchEnvironment);
        await client.connect(transport);
      } catch (error) {
        await this.closeClient(client);
        if (generation !== this.generation) return;
        if (isSignInRequired(error)) {
          // Not a failure to retry: nothing changes until the user presses Sign in (the status says so).
          const message = this.auth?.statusFor(this.name)?.message ?? this.describeFailure(error);
          this.log.add({ source: 'sluice', text: `Sign-in required: ${message}` });
          this.reconnectAttempt = 0;
          this.setStatus({ definition: this.definition, state: 'error', error: message });
          return;
        }
        failures.push(plan.length > 1 ? `${kind === 'http' ? 'Streamable HTTP' : 'SSE fallback'}: ${this.describeFailure(error)}` : this.describeFailure(error));
        // Credentials problems are not a protocol mismatch: falling back to SSE would only hide them.
        if (kind === 'http' && isAuthFailure(error)) break;
        if (kind === 'http') this.log.add({ source: 'sluice', text: `Streamable HTTP failed (${this.describeFailure(error)}); trying the legacy SSE transport` });
        continue;
      }
      if (generation !== this.generation) {
        await this.closeClient(client);
        return;
      }
      this.onConnected(client, kind);
      return;
    }
    const message = failures.join('; ');
    this.log.add({ source: 'sluice', text: `Could not connect: ${message}` });
    // A failed reconnect keeps the backoff going; a failed first start waits for the user.
    if (this.reconnectAttempt > 0) {
      this.status = { definition: this.definition, state: 'error', error: message };
      this.scheduleReconnect(message);
    } else {
      this.setStatus({ definition: this.definition, state: 'error', error: message });
    }
  }

  private onConnected(client: Client, kind: TransportKind): void {
    this.client = client;
    this.connectedAt = Date.now();
    client.onclose = () => this.handleClosed(client);
    const serverInfo = client.getServerVersion();
    this.log.add({ source: 'sluice', text: `Connected over ${kind} (${client.getNegotiatedProtocolVersion() ?? 'unknown protocol version'})` });
    this.setStatus({
      definition: this.definition,
      state: 'connected',
      era: client.getProtocolEra(),
      protocolVersion: client.getNegotiatedProtocolVersion(),
      serverInfo: serverInfo ? { name: serverInfo.name, version: serverInfo.version, title: serverInfo.title } : undefined,
      instructions: client.getInstructions(),
      transport: kind,
      capabilities: client.getServerCapabilities(),
    });
    // A level the user chose (stored in the definition) survives reconnects and restarts.
    const logLevel = this.definition.logLevel;
    if (logLevel && client.getServerCapabilities()?.logging) {
      client
        .setLoggingLevel(logLevel)
        .then(() => this.log.add({ source: 'sluice', text: `Log level set to ${logLevel} (the level chosen for this server)` }))
        .catch((error: unknown) => this.log.add({ source: 'sluice', text: `Could not restore the log level: ${String(error)}` }));
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
    client.setRequestHandler('sampling/createMessage', (request, ctx) => this.handleSampling(client, request.params, ctx.mcpReq.signal));
    if (this.userRequests) {
      const services = this.userRequests;
      registerUserRequestHandlers(client, { serverName: this.name, services, toolCall: () => this.toolCallScope.getStore() ?? (this.inFlightToolCalls.size === 1 ? [...this.inFlightToolCalls][0] : undefined) });
    }
    client.setNotificationHandler('notifications/message', (notification) => {
      const { level, logger, data } = notification.params;
      this.log.add({ source: 'notification', level, logger, text: typeof data === 'string' ? data : JSON.stringify(data) });
    });
    return client;
  }

  private async handleSampling(client: Client, params: unknown, signal: AbortSignal): Promise<WireCreateMessageResult> {
    // In the 2026-07-28 era the SDK runs this handler inside our callTool() (input_required), so the
    // async context names the exact call. A 2025 server pushes the request on its own; when exactly
    // one of our calls is in flight to it, that call is the cause.
    const scoped = this.toolCallScope.getStore();
    const onlyCall = this.inFlightToolCalls.size === 1 ? [...this.inFlightToolCalls][0] : undefined;
    const modern = client.getProtocolEra() === 'modern';
    const result = await this.broker.enqueue(
      {
        serverName: this.name,
        route: modern ? 'input_required' : 'push',
        toolCall: scoped ?? onlyCall,
        // A 2025 server times its request out (60 s unless it chose otherwise); a 2026 server waits for our retry.
        deadline: modern ? undefined : Date.now() + TYPICAL_SERVER_TIMEOUT_MS,
      },
      params,
      signal,
    );
    // The broker validated the answer against shared/mcp.ts (the spec's shape); the SDK validates
    // it once more on the way out, so this cast only bridges the two libraries' type spellings.
    return result as WireCreateMessageResult;
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
        // Above the SDK's 10 MB default, so an oversized request still parses and the server
        // gets a proper invalid-params error instead of a dropped connection.
        maxBufferSize: 64 * 1024 * 1024,
      });
      transport.stderr?.on('data', (chunk: Buffer) => this.log.addStderr(chunk.toString('utf8')));
      this.watchChild(transport);
      return transport;
    }
    const url = new URL(definition.url);
    const requestInit = { headers: definition.headers };
    const authProvider = this.auth?.providerFor(definition);
    const options = authProvider ? { requestInit, authProvider } : { requestInit };
    return kind === 'sse' ? new SSEClientTransport(url, options) : new StreamableHTTPClientTransport(url, options);
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
    const env = { ...base, ...definition.env };
    const resolved = findExecutable(definition.command, { env, cwd: definition.cwd });
    this.launchInfo = {
      path: envValue(env, 'PATH') ?? '',
      source: definition.env && Object.keys(definition.env).some((name) => name.toUpperCase() === 'PATH') ? 'server' : launchEnvironment.source,
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
    this.log.add({ source: 'sluice', text: `Reconnecting in ${Math.round(delay / 1000)} s (attempt ${attempt} of ${this.backoff.maxAttempts})` });
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

  private describeFailure(error: unknown): string {
    let base = error instanceof Error ? error.message : String(error);
    if (this.lastExit && this.definition.type === 'stdio') base = `${describeExit(this.lastExit.code, this.lastExit.signal)}: ${base}`;
    const tail = this.log.stderrTail(STDERR_LINES_IN_ERRORS, this.runMark).join(' | ');
    return tail ? `${base} (stderr: ${tail})` : base;
  }

  private setStatus(status: ServerStatus): void {
    this.status = status;
    this.events.onStatus();
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `The server process was killed by ${signal}` : `The server process exited with code ${code ?? 'unknown'}`;
}

function isAuthFailure(error: unknown): boolean {
  const status = (error as { status?: unknown; code?: unknown } | undefined)?.status;
  if (status === 401 || status === 403) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /\b(401|403)\b|unauthori[sz]ed|forbidden/i.test(message);
}
