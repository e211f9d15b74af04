/**
 * One MCP server, connected through the official SDK's v2 client, which speaks both protocol
 * eras: a 2025 server pushes `sampling/createMessage`; a 2026-07-28 server answers our
 * `tools/call` with `input_required` and the SDK hands the embedded request to the same handler.
 * Either way the request goes to the sampling broker and waits for the user.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  Client,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type CreateMessageResult as WireCreateMessageResult,
  type Transport,
} from '@modelcontextprotocol/client';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { ServerDefinition, ServerStatus, ToolCallResult, ToolInfo } from '../../../shared/domain.js';
import { TYPICAL_SERVER_TIMEOUT_MS, type SamplingBroker } from '../sampling/broker.js';

export const CLIENT_INFO = { name: 'Sluice', version: '0.1.0' };

/** A tool call can wait on the user (sampling) for a long time; don't let our side give up first. */
const TOOL_CALL_TIMEOUT_MS = 30 * 60_000;
const PROBE_TIMEOUT_MS = 5_000;
const STDERR_LINES_KEPT = 50;

type ToolCall = { name: string; arguments: Record<string, unknown> };

export class ServerConnection {
  private client: Client | undefined;
  private status: ServerStatus;
  private readonly stderrTail: string[] = [];
  /** Tool calls in flight, so a sampling request can name the call that caused it. */
  private readonly toolCallScope = new AsyncLocalStorage<ToolCall>();
  private readonly inFlightToolCalls = new Set<ToolCall>();
  private closing = false;

  constructor(
    readonly definition: ServerDefinition,
    private readonly broker: SamplingBroker,
    private readonly onStatus: () => void,
  ) {
    this.status = { definition, state: definition.enabled ? 'connecting' : 'disabled' };
  }

  get name(): string {
    return this.definition.name;
  }

  snapshot(): ServerStatus {
    return this.status;
  }

  /** The last lines the server wrote to stderr (stdio servers only). */
  stderr(): string[] {
    return [...this.stderrTail];
  }

  async start(): Promise<void> {
    if (!this.definition.enabled) {
      this.setStatus({ definition: this.definition, state: 'disabled' });
      return;
    }
    this.closing = false;
    this.setStatus({ definition: this.definition, state: 'connecting' });
    const client = this.createClient();
    const transport = this.createTransport();
    transport.onclose = () => this.handleClosed(client);
    try {
      await client.connect(transport);
    } catch (error) {
      await client.close().catch(() => undefined);
      this.setStatus({ definition: this.definition, state: 'error', error: this.describeFailure(error) });
      return;
    }
    this.client = client;
    const serverInfo = client.getServerVersion();
    this.setStatus({
      definition: this.definition,
      state: 'connected',
      era: client.getProtocolEra(),
      protocolVersion: client.getNegotiatedProtocolVersion(),
      serverInfo: serverInfo ? { name: serverInfo.name, version: serverInfo.version, title: serverInfo.title } : undefined,
      instructions: client.getInstructions(),
    });
  }

  async stop(reason = 'The server was stopped'): Promise<void> {
    this.closing = true;
    const client = this.client;
    this.client = undefined;
    this.broker.failServer(this.name, reason);
    await client?.close().catch(() => undefined);
    this.setStatus({ definition: this.definition, state: this.definition.enabled ? 'error' : 'disabled', error: this.definition.enabled ? reason : undefined });
  }

  async listTools(): Promise<ToolInfo[]> {
    const { tools } = await this.connected().listTools();
    return tools.map((tool) => ({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema as Record<string, unknown>,
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
        content: (result.content ?? []) as ToolCallResult['content'],
        structuredContent: result.structuredContent as Record<string, unknown> | undefined,
        isError: result.isError,
      };
    } finally {
      this.inFlightToolCalls.delete(call);
    }
  }

  private connected(): Client {
    if (!this.client || this.status.state !== 'connected') {
      throw new Error(`Server "${this.name}" is not connected${this.status.error ? `: ${this.status.error}` : ''}`);
    }
    return this.client;
  }

  private createClient(): Client {
    const era = this.definition.era;
    const client = new Client(CLIENT_INFO, {
      capabilities: { sampling: {} },
      versionNegotiation:
        era === 'modern'
          ? { mode: { pin: '2026-07-28' } }
          : era === 'auto'
            ? { mode: 'auto', probe: { timeoutMs: PROBE_TIMEOUT_MS } }
            : undefined,
    });
    client.setRequestHandler('sampling/createMessage', (request, ctx) => this.handleSampling(client, request.params, ctx.mcpReq.signal));
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

  private createTransport(): Transport {
    const definition = this.definition;
    if (definition.type === 'stdio') {
      const transport = new StdioClientTransport({
        command: definition.command,
        args: definition.args,
        env: { ...getDefaultEnvironment(), ...definition.env },
        cwd: definition.cwd,
        stderr: 'pipe',
      });
      transport.stderr?.on('data', (chunk: Buffer) => this.keepStderr(chunk.toString('utf8')));
      return transport;
    }
    const url = new URL(definition.url);
    const requestInit = { headers: definition.headers };
    return definition.type === 'sse'
      ? new SSEClientTransport(url, { requestInit })
      : new StreamableHTTPClientTransport(url, { requestInit });
  }

  private keepStderr(text: string): void {
    for (const line of text.split(/\r?\n/)) {
      if (!line.trim()) continue;
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_LINES_KEPT) this.stderrTail.shift();
    }
  }

  private handleClosed(client: Client): void {
    // Only a live connection's close matters; a failed connect reports its own error.
    if (this.closing || this.client !== client) return;
    this.client = undefined;
    const message = this.describeFailure(new Error('The server closed the connection'));
    this.broker.failServer(this.name, message);
    this.setStatus({ definition: this.definition, state: 'error', error: message });
  }

  private describeFailure(error: unknown): string {
    const base = error instanceof Error ? error.message : String(error);
    const tail = this.stderrTail.slice(-3).join(' | ');
    return tail ? `${base} (stderr: ${tail})` : base;
  }

  private setStatus(status: ServerStatus): void {
    this.status = status;
    this.onStatus();
  }
}
