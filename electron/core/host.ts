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
import type { AppInfo, HistoryEntry } from '../../shared/domain.js';
import { ProviderRegistry } from './providers/registry.js';
import { SamplingBroker } from './sampling/broker.js';
import { contextFor } from './sampling/context.js';
import { PolicyStore } from './sampling/policy.js';
import { ServerImporter, type ImporterOptions } from './import/importer.js';
import { CLIENT_INFO } from './servers/connection.js';
import { ServerManager } from './servers/manager.js';
import { HistoryFeature } from './history/feature.js';
import type { SecretStore } from './storage/secret-store.js';
import { ServersStore } from './storage/servers-store.js';
import { TypedEmitter } from './typed-emitter.js';
import { UserRequestsFeature } from './elicitation/feature.js';
import { AuthFeature } from './auth/feature.js';

export interface HostOptions {
  dataDir: string;
  secrets: SecretStore;
  mode: AppInfo['mode'];
  /** Desktop only: open a URL in the system browser (elicitation URL mode). */
  openExternal?: (url: string) => Promise<void>;
  /** Desktop only: the native folder picker (roots). */
  pickFolder?: () => Promise<string | undefined>;
  /** Desktop only: the native file picker (importing a config file); undefined when cancelled. */
  pickFile?: () => Promise<string | undefined>;
  /** Desktop only: the native save dialog (history export); undefined when cancelled. */
  pickSaveFile?: (defaultName: string) => Promise<string | undefined>;
  /** Where to look for other hosts' MCP configs (tests point it at a temp home). */
  importer?: ImporterOptions;
}

type HostEvents = { [E in EventChannel]: EventPayload<E> };
type Handlers = { [C in InvokeChannel]: (request: ReturnType<typeof parseInvokeRequest<C>>) => Promise<InvokeResponse<C>> | InvokeResponse<C> };

const ok = { ok: true as const };
/** How long quitting waits for error responses to pending requests to be written. */
const QUIT_GRACE_MS = 250;

export class SluiceHost {
  readonly events = new TypedEmitter<HostEvents>();
  readonly providers: ProviderRegistry;
  readonly broker: SamplingBroker;
  readonly servers: ServerManager;
  /** The history database: recording, pages, search, usage, export, retention. */
  readonly history: HistoryFeature;
  /** Per-server sampling policies and the global pause. */
  readonly policies: PolicyStore;
  /** Elicitation and roots: what servers ask of the user besides sampling. */
  readonly userRequests: UserRequestsFeature;
  readonly importer: ServerImporter;
  /** OAuth sign-in for remote servers (tokens in the secret store, never in the renderer). */
  readonly auth: AuthFeature;
  private readonly notices: string[] = [];
  private readonly handlers: Handlers;

  private constructor(
    private readonly options: HostOptions,
    history: HistoryFeature,
  ) {
    this.providers = new ProviderRegistry(options.dataDir, options.secrets);
    this.history = history;
    this.policies = new PolicyStore(options.dataDir);
    // The row goes to the renderer once the entry is committed, so a history:get for it finds it.
    const record = async (entry: HistoryEntry) => this.events.emit('history:added', await this.history.record(entry));
    this.broker = new SamplingBroker(this.providers, record, {
      policies: this.policies,
      tokensUsedToday: (serverName) => this.history.tokensUsedToday(serverName),
      contextFor: (serverName, scope) => contextFor(this.servers.statuses(), serverName, scope),
    });
    this.servers = new ServerManager(
      new ServersStore(options.dataDir),
      this.broker,
      (statuses) => this.events.emit('servers:changed', statuses),
      {
        onLog: (name, entry) => this.events.emit('servers:log', { name, entry }),
        onListChanged: (name, kind) => this.events.emit('servers:listChanged', { name, kind }),
      },
    );
    this.importer = new ServerImporter(options.importer);
    this.broker.on('added', (request) => this.events.emit('sampling:added', request));
    this.broker.on('removed', (removal) => this.events.emit('sampling:removed', removal));
    this.broker.on('delta', (delta) => this.events.emit('sampling:delta', delta));
    this.broker.on('problem', (problem) => this.events.emit('sampling:problem', problem));
    this.userRequests = new UserRequestsFeature({ ...options, servers: this.servers, events: this.events });
    this.auth = new AuthFeature({ ...options, servers: this.servers, emitStatuses: () => this.events.emit('servers:changed', this.servers.statuses()) });
    this.servers.auth = this.auth.service;
    this.servers.userRequests = this.userRequests.services;
    this.events.on('servers:changed', (statuses) => this.userRequests.serversChanged(statuses));
    this.handlers = this.createHandlers();
  }

  /** Creates the host, loads every file (recovering from corrupt ones) and starts enabled servers. */
  static async start(options: HostOptions): Promise<SluiceHost> {
    await fs.mkdir(options.dataDir, { recursive: true });
    const history = await HistoryFeature.open(options);
    const host = new SluiceHost(options, history.feature);
    if (options.secrets.warning) host.notices.push(options.secrets.warning);
    const historyNotice = history.notice;
    for (const notice of [await host.providers.load(), historyNotice, await host.policies.load(), await host.userRequests.load(), await host.servers.load()]) {
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
    const hadPending = this.broker.size > 0;
    this.broker.failAll('Sluice is quitting');
    this.userRequests.close();
    // Give the error responses a moment to reach the servers before their transports close.
    if (hadPending) await new Promise((resolve) => setTimeout(resolve, QUIT_GRACE_MS));
    await this.auth.service.close();
    await this.servers.stopAll();
    this.history.close();
  }

  private samplingSettings() {
    return { paused: this.policies.paused, policies: this.policies.all() };
  }

  private emitSamplingSettings(): void {
    this.events.emit('sampling:settingsChanged', this.samplingSettings());
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
      'servers:save': async ({ definition, previousName, clientSecret }) => {
        // (A name clash is refused by servers.save below; the sign-in data must not move or change before that.)
        const clash = this.servers.definitions().some((d) => d.name === definition.name && d.name !== previousName);
        if (!clash) await this.auth.service.beforeSave(definition, previousName, clientSecret);
        const before = this.servers.statuses().find((status) => status.definition.name === (previousName ?? definition.name))?.definition;
        await this.servers.save(definition, previousName);
        // A changed command or URL may be another server: its remembered auto-approval is revoked.
        await this.policies.onServerSaved(before, definition, previousName);
        this.emitSamplingSettings();
        return ok;
      },
      'servers:remove': async ({ name }) => {
        await this.servers.remove(name);
        await this.auth.service.forget(name);
        await this.policies.onServerRemoved(name);
        this.emitSamplingSettings();
        return ok;
      },
      'servers:restart': async ({ name }) => {
        await this.servers.restart(name);
        return ok;
      },
      'servers:listTools': ({ name }) => this.servers.get(name).listTools(),
      'servers:callTool': ({ name, tool, arguments: args }) => this.servers.get(name).callTool(tool, args),
      'servers:setEnabled': async ({ name, enabled }) => {
        await this.servers.setEnabled(name, enabled);
        return ok;
      },
      'servers:logs': ({ name }) => this.servers.get(name).logs(),
      'servers:setLogLevel': async ({ name, level }) => {
        // Sent now and stored in the server's definition (no restart), so reconnects and restarts keep it.
        await this.servers.setLogLevel(name, level);
        return ok;
      },
      'servers:listResources': ({ name }) => this.servers.get(name).listResources(),
      'servers:listResourceTemplates': ({ name }) => this.servers.get(name).listResourceTemplates(),
      'servers:readResource': ({ name, uri }) => this.servers.get(name).readResource(uri),
      'servers:listPrompts': ({ name }) => this.servers.get(name).listPrompts(),
      'servers:getPrompt': ({ name, prompt, arguments: args }) => this.servers.get(name).getPrompt(prompt, args),
      'import:scan': () => this.importer.scan(),
      'import:pickFile': async () => {
        if (!this.options.pickFile) throw new Error('There is no file picker in web mode: type the path of the config file instead');
        return { path: await this.options.pickFile() };
      },
      'import:preview': ({ path }) => this.importer.preview(path, this.servers.definitions()),
      'import:apply': async ({ path, picks, inputValues }) => {
        const { definitions, result } = await this.importer.definitionsFor(path, picks, inputValues);
        await this.servers.addAll(definitions);
        return result;
      },
      'sampling:list': () => this.broker.list(),
      'sampling:generate': ({ id, params, model, keepContext }) => this.broker.generate(id, params, model, keepContext),
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
      'sampling:approveAll': ({ serverName }) => this.broker.approveAll(serverName),
      'sampling:rejectAll': ({ serverName, reason }) => ({ rejected: this.broker.rejectAll(serverName, reason) }),
      'sampling:settings': () => this.samplingSettings(),
      'sampling:setPaused': async ({ paused }) => {
        await this.policies.setPaused(paused);
        this.emitSamplingSettings();
        return ok;
      },
      'sampling:setPolicy': async ({ serverName, policy }) => {
        await this.policies.setPolicy(serverName, policy);
        this.emitSamplingSettings();
        return ok;
      },
      'providers:list': () => this.providers.list(),
      'providers:save': (input) => this.providers.save(input),
      'providers:remove': async ({ id }) => {
        await this.providers.remove(id);
        return ok;
      },
      'providers:test': ({ id }) => this.providers.test(id),
      ...this.history.handlers(),
      ...this.userRequests.handlers(),
      ...this.auth.handlers(),
    };
  }
}
