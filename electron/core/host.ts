/**
 * SluiceHost: the whole host behind the IPC contract, in plain Node. The Electron adapter and the
 * web-mode bridge both forward validated invoke requests to `invoke()` and relay `events`.
 */
import { promises as fs } from 'node:fs';
import {
  parseInvokeRequest,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeResponse,
} from '../../shared/contract.js';
import type { AppInfo } from '../../shared/domain.js';
import { ProviderRegistry } from './providers/registry.js';
import { SamplingBroker } from './sampling/broker.js';
import { CLIENT_INFO } from './servers/connection.js';
import { ServerManager } from './servers/manager.js';
import { HistoryStore } from './storage/history-store.js';
import type { SecretStore } from './storage/secret-store.js';
import { ServersStore } from './storage/servers-store.js';
import { TypedEmitter } from './typed-emitter.js';

export interface HostOptions {
  dataDir: string;
  secrets: SecretStore;
  mode: AppInfo['mode'];
}

type HostEvents = { [E in EventChannel]: EventPayload<E> };
type Handlers = { [C in InvokeChannel]: (request: ReturnType<typeof parseInvokeRequest<C>>) => Promise<InvokeResponse<C>> | InvokeResponse<C> };

const ok = { ok: true as const };

export class SluiceHost {
  readonly events = new TypedEmitter<HostEvents>();
  readonly providers: ProviderRegistry;
  readonly broker: SamplingBroker;
  readonly servers: ServerManager;
  readonly history: HistoryStore;
  private readonly notices: string[] = [];
  private readonly handlers: Handlers;

  private constructor(private readonly options: HostOptions) {
    this.providers = new ProviderRegistry(options.dataDir, options.secrets);
    this.history = new HistoryStore(options.dataDir);
    this.broker = new SamplingBroker(this.providers, (entry) => this.history.append(entry));
    this.servers = new ServerManager(new ServersStore(options.dataDir), this.broker, (statuses) =>
      this.events.emit('servers:changed', statuses),
    );
    this.broker.on('added', (request) => this.events.emit('sampling:added', request));
    this.broker.on('removed', (removal) => this.events.emit('sampling:removed', removal));
    this.broker.on('delta', (delta) => this.events.emit('sampling:delta', delta));
    this.broker.on('history', (entry) => this.events.emit('history:added', entry));
    this.handlers = this.createHandlers();
  }

  /** Creates the host, loads every file (recovering from corrupt ones) and starts enabled servers. */
  static async start(options: HostOptions): Promise<SluiceHost> {
    await fs.mkdir(options.dataDir, { recursive: true });
    const host = new SluiceHost(options);
    if (options.secrets.warning) host.notices.push(options.secrets.warning);
    for (const notice of [await host.providers.load(), await host.history.load(), await host.servers.load()]) {
      if (notice) host.notices.push(notice);
    }
    return host;
  }

  /** Validates `request` against the contract, then runs the channel's handler. */
  async invoke<C extends InvokeChannel>(channel: C, request: unknown): Promise<InvokeResponse<C>> {
    const parsed = parseInvokeRequest(channel, request);
    const handler = this.handlers[channel] as (request: unknown) => Promise<InvokeResponse<C>> | InvokeResponse<C>;
    return handler(parsed);
  }

  /** Graceful shutdown: pending requests fail with an error, servers stop, history reaches disk. */
  async close(): Promise<void> {
    this.broker.failAll('Sluice is quitting');
    await this.servers.stopAll();
    await this.history.flush().catch(() => undefined);
  }

  private createHandlers(): Handlers {
    return {
      'app:info': () => ({
        version: CLIENT_INFO.version,
        mode: this.options.mode,
        dataDir: this.options.dataDir,
        notices: [...this.notices],
      }),
      'servers:list': () => this.servers.statuses(),
      'servers:save': async ({ definition, previousName }) => {
        await this.servers.save(definition, previousName);
        return ok;
      },
      'servers:remove': async ({ name }) => {
        await this.servers.remove(name);
        return ok;
      },
      'servers:restart': async ({ name }) => {
        await this.servers.restart(name);
        return ok;
      },
      'servers:listTools': ({ name }) => this.servers.get(name).listTools(),
      'servers:callTool': ({ name, tool, arguments: args }) => this.servers.get(name).callTool(tool, args),
      'sampling:list': () => this.broker.list(),
      'sampling:generate': ({ id, params, model }) => this.broker.generate(id, params, model),
      'sampling:stop': ({ id }) => {
        this.broker.stop(id);
        return ok;
      },
      'sampling:send': ({ id, result }) => {
        this.broker.send(id, result);
        return ok;
      },
      'sampling:reject': ({ id, reason }) => {
        this.broker.reject(id, reason);
        return ok;
      },
      'providers:list': () => this.providers.list(),
      'providers:save': (input) => this.providers.save(input),
      'providers:remove': async ({ id }) => {
        await this.providers.remove(id);
        return ok;
      },
      'providers:test': ({ id }) => this.providers.test(id),
      'history:list': () => this.history.list(),
    };
  }
}
