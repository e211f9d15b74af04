/**
 * SluiceHost: the whole host behind the IPC contract, in plain Node. The Electron adapter and the
 * web-mode bridge both forward validated invoke requests to `invoke()` and relay `events`.
 */
import path from 'node:path';
import {
  parseInvokeRequest,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeResponse,
} from '../../shared/contract.js';
import type { AppInfo, HistoryEntry } from '../../shared/domain.js';
import { appHandlers } from './app-info.js';
import { AuthSettingsStore } from './auth/auth-settings.js';
import { createSignInService } from './auth/feature.js';
import { authHandlers } from './auth/handlers.js';
import type { SignInService } from './auth/sign-in-service.js';
import { UserRequestsFeature } from './elicitation/feature.js';
import { elicitationHandlers } from './elicitation/handlers.js';
import type { RelayCommand } from './gateway/app-configs.js';
import { Gateway } from './gateway/gateway.js';
import { gatewayHandlers } from './gateway/handlers.js';
import type { GatewaySettings } from '../../shared/gateway.js';
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
import { PolicyStore, serverFingerprint } from './sampling/policy.js';
import { ServerActivityFeature } from './servers/activity-feature.js';
import { serverHandlers } from './servers/handlers.js';
import { CLIENT_INFO } from './servers/connection.js';
import type { LaunchEnvironment } from './servers/launch-environment.js';
import { ServerManager } from './servers/manager.js';
import { updatesHandlers } from './updates/handlers.js';
import { unsupportedUpdates, type UpdatesPort } from './updates/updates-port.js';
import { ServerSecrets } from './servers/server-secrets.js';
import { securePrivateDir } from './storage/atomic-file.js';
import type { SecretStore } from './storage/secret-store.js';
import { ServersStore } from './storage/servers-store.js';
import { TypedEmitter } from './typed-emitter.js';
import { ToolCallsFeature } from './toolcalls/feature.js';

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
   * App-wide Client ID Metadata Document URL (https, with a path): Sluice's client ID at
   * authorization servers that support them, unless a server's OAuth options name another. The
   * default below the one the user saves in auth-settings.json.
   */
  clientMetadataUrl?: string;
  /**
   * The environment stdio servers start with. The desktop app passes the login shell's (resolved
   * once); web mode, started from a terminal, leaves it out and servers get Sluice's own.
   */
  launchEnvironment?: () => Promise<LaunchEnvironment>;
  /** The desktop app's updater; without one (web mode) the `updates:*` channels say updates are not offered here. */
  updates?: UpdatesPort;
  /** Where to look for other hosts' MCP configs (tests point it at a temp home). */
  importer?: ImporterOptions;
  /** The gateway: how apps start the stdio relay, settings that override the saved ones (tests: port 0), the home its config writers use. */
  gateway?: { relay?: RelayCommand; override?: Partial<GatewaySettings>; home?: string };
  /** How long a remote server may take to connect (default REMOTE_CONNECT_TIMEOUT_MS; tests shorten it). */
  connectTimeoutMs?: number;
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
  /** App-wide sign-in settings (the Client ID Metadata Document URL): auth-settings.json. */
  readonly authSettings: AuthSettingsStore;
  /** Calls with progress and Cancel, tasks, subscriptions and completions. */
  readonly activity: ServerActivityFeature;
  /** Gateway tool calls: policies, the approval queue, per-app exposure, activity records. */
  readonly toolCalls: ToolCallsFeature;
  /** Sluice as one MCP server for the user's other apps (electron/core/gateway). */
  readonly gateway: Gateway;
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
    const policyStore = this.policies;
    this.broker = new SamplingBroker(this.providers, record, {
      policies: {
        get paused() {
          return policyStore.paused;
        },
        policyFor: (serverName) => policyStore.policyFor(serverName),
        // Auto-approve applies only to the definition it was granted to (see serverFingerprint).
        fingerprintMatches: (serverName, fingerprint) => fingerprint !== undefined && fingerprint === this.fingerprintOf(serverName),
      },
      tokensUsedToday: (serverName) => this.history.tokensUsedToday(serverName),
      contextFor: (serverName, scope) => contextFor(this.servers.statuses(), serverName, scope),
    });
    this.userRequests = new UserRequestsFeature({
      dataDir: options.dataDir,
      openExternal: options.openExternal,
      events: this.events,
      serverRoots: (name) => this.servers.get(name).definition.roots ?? [],
    });
    this.authSettings = new AuthSettingsStore(options.dataDir, options.clientMetadataUrl);
    this.auth = createSignInService({
      secrets: options.secrets,
      openExternal: options.openExternal,
      clientMetadataUrl: () => this.authSettings.clientMetadataUrl(),
      servers: () => this.servers,
      emitStatuses: () => this.events.emit('servers:changed', this.servers.statuses()),
    });
    this.activity = new ServerActivityFeature(() => this.servers, this.events, options.openExternal);
    this.servers = new ServerManager(
      new ServersStore(options.dataDir),
      this.broker,
      (statuses) => this.events.emit('servers:changed', statuses),
      {
        onLog: (name, entry) => this.events.emit('servers:log', { name, entry }),
        onListChanged: (name, kind) => this.events.emit('servers:listChanged', { name, kind }),
        onResourceUpdated: (name, uri) => this.activity.resourceUpdated(name, uri),
        onTaskStatus: (name, task) => this.activity.taskStatus(name, task),
        userRequests: this.userRequests.services,
        auth: this.auth,
        secrets: new ServerSecrets(options.secrets),
        connectTimeoutMs: options.connectTimeoutMs,
        launchEnvironment: options.launchEnvironment,
      },
    );
    this.broker.on('added', (request) => this.events.emit('sampling:added', request));
    this.broker.on('removed', (removal) => this.events.emit('sampling:removed', removal));
    this.broker.on('delta', (delta) => this.events.emit('sampling:delta', delta));
    this.broker.on('problem', (problem) => this.events.emit('sampling:problem', problem));
    this.events.on('servers:changed', (statuses) => this.userRequests.serversChanged(statuses));
    this.events.on('servers:changed', (statuses) => this.activity.serversChanged(statuses));
    this.toolCalls = new ToolCallsFeature({
      dataDir: options.dataDir,
      servers: this.servers,
      events: this.events,
      record: (entry) => {
        record(entry).catch((error: unknown) => console.error('sluice: could not write a tool call to the history', error));
      },
    });
    this.gateway = new Gateway({
      dataDir: options.dataDir,
      servers: this.servers,
      relay: options.gateway?.relay ?? { command: 'node', args: [path.resolve(__dirname, 'mcp-stdio.cjs')] },
      override: options.gateway?.override,
      home: options.gateway?.home,
      onStatus: (status) => this.events.emit('gateway:changed', status),
    });
    this.events.on('servers:changed', (statuses) => this.gateway.serversChanged(statuses));
    this.events.on('servers:listChanged', ({ name, kind }) => this.gateway.serverListChanged(name, kind));
    this.events.on('servers:log', ({ name, entry }) => this.gateway.serverLog(name, entry));
    // Every gateway tools/call passes the tool-call policies; each app sees what its token may see.
    this.gateway.gate = this.toolCalls.gateway;
    this.gateway.exposure = this.toolCalls.gateway;
    this.gateway.onCallCompleted((record) => this.toolCalls.gateway.record(record));
    // One token's view changed: the apps using that token re-list.
    this.toolCalls.exposureChanged = (tokenId) => this.gateway.notifyTokenListChanged(tokenId);
    this.gateway.onTokenRevoked = (id) => this.toolCalls.store.forgetApp(id);

    // The app's self-update (desktop), or a port that says why there is none.
    const updates =
      options.updates ??
      unsupportedUpdates(
        CLIENT_INFO.version,
        options.mode === 'web' ? 'Web mode has no updater: update Sluice with git pull and npm install.' : 'Updates are not available.',
      );
    updates.onChange((state) => this.events.emit('updates:changed', state));
    const fingerprintOf = (serverName: string) => this.fingerprintOf(serverName);
    const emitSamplingSettings = () => this.events.emit('sampling:settingsChanged', samplingSettings(this.policies, fingerprintOf));
    const { servers, broker, policies } = this;
    this.handlers = {
      ...appHandlers({ mode: options.mode, dataDir: options.dataDir, notices: this.notices }),
      ...serverHandlers({ servers, auth: this.auth, policies, emitSamplingSettings, toolCalls: this.toolCalls }),
      ...authHandlers({ auth: this.auth, servers, settings: this.authSettings }),
      ...importHandlers({ importer: this.importer, servers, pickFile: options.pickFile }),
      ...samplingHandlers({ broker, policies, fingerprintOf, emitSamplingSettings }),
      ...providerHandlers({ providers: this.providers }),
      ...historyHandlers({ history: this.history.store, pickSaveFile: options.pickSaveFile, exportLinks: this.history.exportLinks }),
      ...elicitationHandlers({ elicitation: this.userRequests.elicitation }),
      ...rootsHandlers({ roots: this.userRequests.roots, servers, pickFolder: options.pickFolder }),
      ...this.activity.handlers(),
      ...this.toolCalls.handlers(),
      ...gatewayHandlers({ gateway: this.gateway, servers }),
      ...updatesHandlers(updates),
    };
  }

  /**
   * Creates the host, loads every file (recovering from corrupt ones) and starts enabled servers
   * without waiting for them to connect (their status events follow).
   */
  static async start(options: HostOptions): Promise<SluiceHost> {
    await securePrivateDir(options.dataDir);
    const history = await HistoryFeature.open(options);
    const host = new SluiceHost(options, history.feature);
    if (options.secrets.warning) host.notices.push(options.secrets.warning);
    const historyNotice = history.notice;
    for (const notice of [
      await host.providers.load(),
      historyNotice,
      await host.policies.load(),
      await host.authSettings.load(),
      await host.userRequests.load(),
      await host.toolCalls.load(),
      await host.servers.load(),
    ]) {
      if (notice) host.notices.push(notice);
    }
    const gatewayNotice = await host.gateway.load();
    if (gatewayNotice) host.notices.push(gatewayNotice);
    return host;
  }

  /** The fingerprint of the server definition configured under `serverName` now, if any. */
  private fingerprintOf(serverName: string): string | undefined {
    const definition = this.servers.definitions().find((candidate) => candidate.name === serverName);
    return definition ? serverFingerprint(definition) : undefined;
  }

  /** Validates `request` against the contract, then runs the channel's handler. */
  async invoke<C extends InvokeChannel>(channel: C, request: unknown): Promise<InvokeResponse<C>> {
    const parsed = parseInvokeRequest(channel, request);
    const handler: Handler<C> = this.handlers[channel];
    return handler(parsed);
  }

  /** Graceful shutdown: pending requests fail with an error, servers stop, the history database closes. */
  async close(): Promise<void> {
    const hadPending = this.broker.size + this.toolCalls.size > 0;
    this.broker.failAll('Sluice is quitting');
    this.userRequests.close();
    this.activity.close();
    this.toolCalls.close();
    await this.gateway.close();
    // Give the error responses a moment to reach the servers before their transports close.
    if (hadPending) await new Promise((resolve) => setTimeout(resolve, QUIT_GRACE_MS));
    await this.auth.close();
    await this.servers.stopAll();
    this.history.close();
  }
}
