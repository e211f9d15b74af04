/**
 * All configured servers: persisted definitions plus their live connections.
 * Names are unique; the manager owns the order (the user's) and the servers.json file.
 */
import type { ServerDefinition, ServerStatus } from '../../../shared/domain.js';
import type { ListKind, LogLevel, ServerLogEntry } from '../../../shared/server-features.js';
import type { SamplingBroker } from '../sampling/broker.js';
import type { ServersStore } from '../storage/servers-store.js';
import type { BackoffPolicy } from './backoff.js';
import type { UserRequestServices } from '../elicitation/user-requests.js';
import type { ServerAuth } from '../auth/sign-in-service.js';
import { ServerConnection } from './connection.js';
import type { LaunchEnvironment } from './launch-environment.js';
import type { ServerSecrets } from './server-secrets.js';
import { SerialQueue } from '../serial-queue.js';
import type { WireTask } from './task-wire.js';

/** Per-server events besides status changes (the host relays them to the renderer), and what every connection is given. */
export interface ServerManagerOptions {
  onLog?(server: string, entry: ServerLogEntry): void;
  onListChanged?(server: string, kind: ListKind): void;
  onResourceUpdated?(server: string, uri: string): void;
  onTaskStatus?(server: string, task: WireTask): void;
  /** Elicitation and roots services handed to every connection. */
  userRequests?: UserRequestServices;
  /** OAuth sign-in for remote servers (electron/core/auth). */
  auth?: ServerAuth;
  /** Keeps secret env values and headers out of servers.json (electron/core/servers/server-secrets). */
  secrets?: ServerSecrets;
  backoff?: BackoffPolicy;
  /** How long a remote server may take to connect (default REMOTE_CONNECT_TIMEOUT_MS; tests shorten it). */
  connectTimeoutMs?: number;
  /** The environment stdio servers start with (the login shell's on the desktop). */
  launchEnvironment?: () => Promise<LaunchEnvironment>;
}

/**
 * Sluice's own settings on a server's definition that do not affect its connection: changing them
 * saves servers.json and updates the live connection without restarting the server.
 * (`undefined` removes a setting.)
 */
export type ServerSettingsPatch = { roots?: ServerDefinition['roots']; logLevel?: LogLevel; gateway?: ServerDefinition['gateway'] };

export class ServerManager {
  private connections: ServerConnection[] = [];
  /** Changes to the list run one at a time, so two of them cannot overwrite each other's servers.json write. */
  private readonly changes = new SerialQueue();

  constructor(
    private readonly store: ServersStore,
    private readonly broker: SamplingBroker,
    private readonly onChange: (statuses: ServerStatus[]) => void,
    private readonly options: ServerManagerOptions = {},
  ) {}

  /**
   * Loads servers.json and starts every enabled server in the background; returns a notice for the
   * user, if any. It does not wait for the connections: one slow or silent server must not hold up
   * the window or `npm run web` (each card shows its own "Connecting…").
   */
  async load(): Promise<string | undefined> {
    const loaded = await this.store.load();
    // Older files hold secret values in plain text: move them to the secret store once.
    const definitions = await Promise.all(loaded.value.map((definition) => this.withoutPlainSecrets(definition)));
    if (definitions.some((definition, index) => definition !== loaded.value[index])) await this.store.save(definitions);
    this.connections = definitions.map((definition) => this.connectionFor(definition));
    // Servers connect in the background: the host (and the window) never wait for a slow one.
    for (const connection of this.connections) void connection.start();
    return loaded.notice;
  }

  statuses(): ServerStatus[] {
    return this.connections.map((connection) => connection.snapshot());
  }

  definitions(): ServerDefinition[] {
    return this.connections.map((connection) => connection.definition);
  }

  get(name: string): ServerConnection {
    const connection = this.connections.find((candidate) => candidate.name === name);
    if (!connection) throw new Error(`No server named "${name}"`);
    return connection;
  }

  /** Adds a server, or replaces `previousName` with `definition`, then (re)starts it. */
  async save(input: ServerDefinition, previousName?: string): Promise<void> {
    const { old, fresh } = await this.changes.run(async () => {
      const clash = this.connections.find((c) => c.name === input.name && c.name !== previousName);
      if (clash) throw new Error(`A server named "${input.name}" already exists`);
      const old = previousName ? this.get(previousName) : undefined;
      const definition = this.options.secrets ? await this.options.secrets.extract(input, old?.definition) : input;
      const fresh = this.connectionFor(definition);
      const next = old ? this.connections.map((c) => (c === old ? fresh : c)) : [...this.connections, fresh];
      await this.store.save(next.map((c) => c.definition));
      this.connections = next;
      return { old, fresh };
    });
    if (old) await old.stop('The server configuration changed');
    this.emit();
    await fresh.start();
  }

  /** Adds several servers in one write (an import); names must be free. */
  async addAll(definitions: readonly ServerDefinition[]): Promise<void> {
    const fresh = await this.changes.run(async () => {
      const names = new Set(this.connections.map((c) => c.name));
      for (const definition of definitions) {
        if (names.has(definition.name)) throw new Error(`A server named "${definition.name}" already exists`);
        names.add(definition.name);
      }
      const stored = await Promise.all(definitions.map((definition) => this.withoutPlainSecrets(definition)));
      const fresh = stored.map((definition) => this.connectionFor(definition));
      const next = [...this.connections, ...fresh];
      await this.store.save(next.map((c) => c.definition));
      this.connections = next;
      return fresh;
    });
    this.emit();
    await Promise.all(fresh.map((connection) => connection.start()));
  }

  /**
   * Changes settings that do not affect the connection (see ServerSettingsPatch): servers.json is
   * written first (atomically), then the live connection gets the new definition; the server
   * process and its session are left alone. Answers the updated definition.
   */
  updateSettings(name: string, patch: ServerSettingsPatch): Promise<ServerDefinition> {
    return this.changes.run(async () => {
      const connection = this.get(name);
      const next: ServerDefinition = { ...connection.definition };
      for (const key of ['roots', 'logLevel', 'gateway'] as const) {
        if (!(key in patch)) continue;
        if (patch[key] === undefined) delete next[key];
        else Object.assign(next, { [key]: patch[key] });
      }
      await this.store.save(this.connections.map((c) => (c === connection ? next : c.definition)));
      connection.updateSettings(next);
      return next;
    });
  }

  /** Sets the server's logging level now and remembers it (it is sent again after every connect). */
  async setLogLevel(name: string, level: LogLevel): Promise<void> {
    await this.get(name).setLogLevel(level);
    await this.updateSettings(name, { logLevel: level });
  }

  async setEnabled(name: string, enabled: boolean): Promise<void> {
    const current = this.get(name).definition;
    if (current.enabled === enabled) return;
    await this.save({ ...current, enabled }, name);
  }

  async remove(name: string): Promise<void> {
    const connection = await this.changes.run(async () => {
      const connection = this.get(name);
      const next = this.connections.filter((c) => c !== connection);
      await this.store.save(next.map((c) => c.definition));
      this.connections = next;
      await this.options.secrets?.forgetUnused(connection.definition, undefined);
      return connection;
    });
    await connection.stop('The server was removed');
    this.emit();
  }

  async restart(name: string): Promise<void> {
    const connection = this.get(name);
    await connection.stop('The server is restarting');
    await connection.start();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.connections.map((connection) => connection.stop('Sluice is quitting')));
  }

  private async withoutPlainSecrets(definition: ServerDefinition): Promise<ServerDefinition> {
    return this.options.secrets?.hasPlainSecrets(definition) ? this.options.secrets.extract(definition) : definition;
  }

  private connectionFor(definition: ServerDefinition): ServerConnection {
    const name = definition.name;
    return new ServerConnection(
      definition,
      this.broker,
      {
        onStatus: () => this.emit(),
        onLog: (entry) => this.options.onLog?.(name, entry),
        onListChanged: (kind) => this.options.onListChanged?.(name, kind),
        onResourceUpdated: (uri) => this.options.onResourceUpdated?.(name, uri),
        onTaskStatus: (task) => this.options.onTaskStatus?.(name, task),
      },
      {
        backoff: this.options.backoff,
        userRequests: this.options.userRequests,
        auth: this.options.auth,
        secrets: this.options.secrets,
        launchEnvironment: this.options.launchEnvironment,
        connectTimeoutMs: this.options.connectTimeoutMs,
      },
    );
  }

  private emit(): void {
    this.onChange(this.statuses());
  }
}
