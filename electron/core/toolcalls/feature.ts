/**
 * The host side of gateway tool calls: the settings store, the queue of calls waiting for the user,
 * the gate the gateway consults, and the IPC handlers for the `toolCalls:*` channels. The host
 * constructs one, hands `gateway` to the gateway (gate, exposure, call records), merges
 * `handlers()` into its own, and tells it when servers are renamed or removed.
 */
import type { EventChannel, EventPayload, InvokeResponse, parseInvokeRequest } from '../../../shared/contract.js';
import type { ToolInfo } from '../../../shared/domain.js';
import type { ServerToolRow, ToolCallHistoryEntry } from '../../../shared/toolcalls.js';
import type { GatewayExposure } from '../gateway/seams.js';
import type { ServerManager } from '../servers/manager.js';
import type { TypedEmitter } from '../typed-emitter.js';
import { ToolCallBroker } from './broker.js';
import { describeChanges, definitionChanged, type ToolDefinition } from './definition.js';
import { ToolCallGateway } from './gate.js';
import { effectiveRule } from './policy.js';
import { ToolCallStore } from './store.js';

type FeatureChannel =
  | 'toolCalls:list'
  | 'toolCalls:respond'
  | 'toolCalls:validate'
  | 'toolCalls:settings'
  | 'toolCalls:serverTools'
  | 'toolCalls:setPreset'
  | 'toolCalls:setToolRule'
  | 'toolCalls:setExposure';

export type ToolCallHandlers = {
  [C in FeatureChannel]: (request: ReturnType<typeof parseInvokeRequest<C>>) => Promise<InvokeResponse<C>> | InvokeResponse<C>;
};

export interface ToolCallsOptions {
  dataDir: string;
  servers: ServerManager;
  events: TypedEmitter<{ [E in EventChannel]: EventPayload<E> }>;
  /** Appends a finished gateway call to the history (and tells the renderer). */
  record: (entry: ToolCallHistoryEntry) => void;
  /** How long a call waits for the user (tests shorten it). */
  timeoutMs?: number;
}

const ok = { ok: true as const };

function definitionOf(tool: ToolInfo): ToolDefinition {
  return { name: tool.name, description: tool.description, inputSchema: tool.inputSchema, annotations: tool.annotations };
}

export class ToolCallsFeature {
  readonly store: ToolCallStore;
  readonly broker: ToolCallBroker;
  readonly gateway: ToolCallGateway;
  /** Set by whoever runs the gateway: re-list for the sessions of one app token (its view changed). */
  exposureChanged?: (tokenId: string) => void;

  constructor(
    private readonly options: ToolCallsOptions,
    baseExposure?: GatewayExposure,
  ) {
    this.store = new ToolCallStore(options.dataDir);
    this.broker = new ToolCallBroker(options.timeoutMs);
    this.gateway = new ToolCallGateway(this.store, this.broker, options.record, baseExposure);
    this.broker.on('added', (call) => options.events.emit('toolCalls:added', call));
    this.broker.on('removed', (removal) => options.events.emit('toolCalls:removed', removal));
    this.store.onChange = (settings) => options.events.emit('toolCalls:settingsChanged', settings);
  }

  load(): Promise<string | undefined> {
    return this.store.load();
  }

  /** Calls waiting for the user (the tray and notification count). */
  get size(): number {
    return this.broker.size;
  }

  async onServerSaved(previousName: string | undefined, name: string): Promise<void> {
    if (previousName && previousName !== name) {
      this.broker.failServer(previousName, 'The server was renamed');
      await this.store.onServerRenamed(previousName, name);
    }
  }

  async onServerRemoved(name: string): Promise<void> {
    this.broker.failServer(name, 'The server was removed');
    await this.store.onServerRemoved(name);
  }

  close(): void {
    this.broker.failAll('Sluice is quitting');
  }

  handlers(): ToolCallHandlers {
    const { servers } = this.options;
    const toolOf = async (serverName: string, toolName: string) => {
      const tool = (await servers.get(serverName).listTools()).find((candidate) => candidate.name === toolName);
      if (!tool) throw new Error(`${serverName} has no tool named ${toolName}`);
      return definitionOf(tool);
    };
    return {
      'toolCalls:list': () => this.broker.list(),
      'toolCalls:respond': (answer) => {
        if (answer.action === 'approve') this.broker.approve(answer.id, answer.arguments, answer.always ?? false);
        else this.broker.reject(answer.id, answer.reason);
        return ok;
      },
      'toolCalls:validate': ({ id, arguments: args }) => ({ problems: this.broker.validate(id, args) }),
      'toolCalls:settings': () => this.store.settings(),
      'toolCalls:serverTools': async ({ name }) => {
        const policy = this.store.policyFor(name);
        const tools = await servers.get(name).listTools();
        const rows: ServerToolRow[] = tools.map((tool) => {
          const definition = definitionOf(tool);
          const allowed = policy.tools[tool.name]?.allowed;
          const changed = allowed && definitionChanged(allowed, definition);
          return {
            name: tool.name,
            title: tool.title ?? tool.annotations?.title,
            description: tool.description,
            annotations: tool.annotations,
            rule: policy.tools[tool.name]?.rule,
            effective: effectiveRule(policy, definition),
            changes: changed ? describeChanges(allowed, definition) : undefined,
          };
        });
        return { preset: policy.preset, tools: rows };
      },
      'toolCalls:setPreset': async ({ serverName, preset }) => {
        await this.store.setPreset(serverName, preset);
        return ok;
      },
      'toolCalls:setToolRule': async ({ serverName, tool, rule }) => {
        // Allowing needs the definition the user sees now (the changed-definition guard compares with it).
        const definition = rule === 'allow' ? await toolOf(serverName, tool) : { name: tool, inputSchema: {} };
        await this.store.setToolRule(serverName, definition, rule);
        return ok;
      },
      'toolCalls:setExposure': async ({ tokenId, exposure }) => {
        await this.store.setExposure(tokenId, exposure);
        this.exposureChanged?.(tokenId);
        return ok;
      },
    };
  }
}
