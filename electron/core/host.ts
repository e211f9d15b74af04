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
import { appHandlers } from './app-info.js';
import { createSignInService } from './auth/feature.js';
import { authHandlers } from './auth/handlers.js';
import type { SignInService } from './auth/sign-in-service.js';
import { UserRequestsFeature } from './elicitation/feature.js';
import { elicitationHandlers } from './elicitation/handlers.js';
import type { Handler, HandlersFor } from './handlers.js';
import { HistoryFeature } from './history/feature.js';
import { historyHandlers } from './history/handlers.js';
import { importHandlers } from './import/handlers.js';
import { ServerImporter, type ImporterOptions } from './import/importer.js';
import { providerHandlers } from './providers/handlers.js';
import { ProviderRegistry } from './providers/registry.js';
import { rootsHandlers } from './roots/handlers.js';
import { SamplingBroker } from './sampling/broker.js';
import { contextFor } from './sampling/context.js';
import { samplingHandlers, samplingSettings } from './sampling/handlers.js';
import { PolicyStore } from './sampling/policy.js';
import { serverHandlers } from './servers/handlers.js';
import { CLIENT_INFO } from './servers/connection.js';
import type { LaunchEnvironment } from './servers/launch-environment.js';
import { ServerManager } from './servers/manager.js';
import { updatesHandlers } from './updates/handlers.js';
import { unsupportedUpdates, type UpdatesPort } from './updates/updates-port.js';
import type { SecretStore } from './storage/secret-store.js';
import { ServersStore } from './storage/servers-store.js';
import { TypedEmitter } from './typed-emitter.js';

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
  /**
   * The environment stdio servers start with. The desktop app passes the login shell's (resolved
   * once); web mode, started from a terminal, leaves it out and servers get Sluice's own.
   */
  launchEnvironment?: () => Promise<LaunchEnvironment>;
  /** The desktop app's updater; without one (web mode) the `updates:*` channels say updates are not offered here. */
  updates?: UpdatesPort;
  /** Where to look for other hosts' MCP configs (tests point it at a temp home). */
  importer?: ImporterOptions;
}

type HostEvents = { [E in EventChannel]: EventPayload<E> };

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
  readonly auth: SignInService;
  private readonly notices: string[] = [];
  private readonly handlers: HandlersFor<InvokeChannel>;

  private constructor(options: HostOptions, history: HistoryFeature) {
    this.providers = new ProviderRegistry(options.dataDir, options.secrets);
    this.history = history;
    this.policies = new PolicyStore(options.dataDir);
    this.importer = new ServerImporter(options.importer);
    // The services below call back into the server manager only once servers run, so they are
    // built first and given to the manager's constructor.
    // The row goes to the renderer once the entry is committed, so a history:get for it finds it.
    const record = async (entry: HistoryEntry) => this.events.emit('history:added', await this.history.record(entry));
    this.broker = new SamplingBroker(this.providers, record, {
      policies: this.policies,
      tokensUsedToday: (serverName) => this.history.tokensUsedToday(serverName),
      contextFor: (serverName, scope) => contextFor(this.servers.statuses(), serverName, scope),
    });
    this.userRequests = new UserRequestsFeature({
      dataDir: options.dataDir,
      openExternal: options.openExternal,
      events: this.events,
      serverRoots: (name) => this.servers.get(name).definition.roots ?? [],
    });
    this.auth = createSignInService({
      secrets: options.secrets,
      openExternal: options.openExternal,
      servers: () => this.servers,
      emitStatuses: () => this.events.emit('servers:changed', this.servers.statuses()),
    });
    this.servers = new ServerManager(
      new ServersStore(options.dataDir),
      this.broker,
      (statuses) => this.events.emit('servers:changed', statuses),
      {
        onLog: (name, entry) => this.events.emit('servers:log', { name, entry }),
        onListChanged: (name, kind) => this.events.emit('servers:listChanged', { name, kind }),
        userRequests: this.userRequests.services,
        auth: this.auth,
        launchEnvironment: options.launchEnvironment,
      },
    );
    this.broker.on('added', (request) => this.events.emit('sampling:added', request));
    this.broker.on('removed', (removal) => this.events.emit('sampling:removed', removal));
    this.broker.on('delta', (delta) => this.events.emit('sampling:delta', delta));
    this.broker.on('problem', (problem) => this.events.emit('sampling:problem', problem));
    this.events.on('servers:changed', (statuses) => this.userRequests.serversChanged(statuses));

    // The app's self-update (desktop), or a port that says why there is none.
    const updates =
      options.updates ??
      unsupportedUpdates(CLIENT_INFO.version, options.mode === 'web' ? 'Web mode has no updater: update Sluice with git pull and npm install.' : 'Updates are not available.');
    updates.onChange((state) => this.events.emit('updates:changed', state));
    const emitSamplingSettings = () => this.events.emit('sampling:settingsChanged', samplingSettings(this.policies));
    const { servers, broker, policies } = this;
    this.handlers = {
      ...appHandlers({ mode: options.mode, dataDir: options.dataDir, notices: this.notices }),
      ...serverHandlers({ servers, auth: this.auth, policies, emitSamplingSettings }),
      ...authHandlers({ auth: this.auth, servers }),
      ...importHandlers({ importer: this.importer, servers, pickFile: options.pickFile }),
      ...samplingHandlers({ broker, policies, emitSamplingSettings }),
      ...providerHandlers({ providers: this.providers }),
      ...historyHandlers({ history: this.history.store, pickSaveFile: options.pickSaveFile }),
      ...elicitationHandlers({ elicitation: this.userRequests.elicitation }),
      ...rootsHandlers({ roots: this.userRequests.roots, servers, pickFolder: options.pickFolder }),
      ...updatesHandlers(updates),
    };
  }

  /** Creates the host, loads every file (recovering from corrupt ones) and starts enabled servers. */
  static async start(options: HostOptions): Promise<SluiceHost> {
    await fs.mkdir(options.dataDir, { recursive: true });
    const history = await HistoryFeature.open(options);
    const host = new SluiceHost(options, history.feature);
    if (options.secrets.warning) host.notices.push(options.secrets.warning);
    const historyNotice = history.notice;
    for (const notice of [
      await host.providers.load(),
      historyNotice,
      await host.policies.load(),
      await host.userRequests.load(),
      await host.servers.load(),
    ]) {
      if (notice) host.notices.push(notice);
    }
    return host;
  }

  /** Validates `request` against the contract, then runs the channel's handler. */
  async invoke<C extends InvokeChannel>(channel: C, request: unknown): Promise<InvokeResponse<C>> {
    const parsed = parseInvokeRequest(channel, request);
    const handler: Handler<C> = this.handlers[channel];
    return handler(parsed);
  }

  /** Graceful shutdown: pending requests fail with an error, servers stop, the history database closes. */
  async close(): Promise<void> {
    const hadPending = this.broker.size > 0;
    this.broker.failAll('Sluice is quitting');
    this.userRequests.close();
    // Give the error responses a moment to reach the servers before their transports close.
    if (hadPending) await new Promise((resolve) => setTimeout(resolve, QUIT_GRACE_MS));
    await this.auth.close();
    await this.servers.stopAll();
    this.history.close();
  }
}
