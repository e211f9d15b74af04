/**
 * The gateway feature: Sluice as one MCP server for the user's other apps (see seams.ts for what
 * other features plug in, endpoint.ts for who may connect, catalog.ts for what they see).
 *
 * It owns the settings (on/off, port: gateway-settings.json), the app tokens, the endpoint's life
 * and the discovery file, and tells every connected app when the aggregated lists change (a server
 * connected, disconnected, was added, removed, hidden or changed its own lists). Its channels:
 * handlers.ts.
 */
import path from 'node:path';
import type { ServerStatus } from '../../../shared/domain.js';
import type { ServerLogEntry } from '../../../shared/server-features.js';
import { GatewaySettingsSchema, type GatewaySettings, type GatewayStatus } from '../../../shared/gateway.js';
import type { ServerManager } from '../servers/manager.js';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file.js';
import { AppConfigs, type RelayCommand } from './app-configs.js';
import { InFlightRequests } from './app-server.js';
import { EXPOSE_SWITCHED_ON, GatewayCatalog } from './catalog.js';
import { removeDiscovery, writeDiscovery } from './discovery.js';
import { GatewayEndpoint, MCP_PATH } from './endpoint.js';
import { FORWARD_ALL, type GatewayCallRecord, type GatewayExposure, type ToolCallGate } from './seams.js';
import { GatewayTokens } from './tokens.js';

export interface GatewayOptions {
  dataDir: string;
  servers: ServerManager;
  /** How apps start the stdio relay (desktop: the app binary with --mcp-stdio; web: node mcp-stdio.cjs). */
  relay: RelayCommand;
  /** Overrides the saved settings (tests: port 0; `npm run web --gateway-port`). */
  override?: Partial<GatewaySettings>;
  /** Where the app config writers look for the apps' files (tests: a temp home). */
  home?: string;
  onStatus(status: GatewayStatus): void;
}

/** List changes from several servers within this window reach the apps as one notification. */
const LIST_CHANGED_DEBOUNCE_MS = 50;
/**
 * Call counts reach the "Connect apps" view at most this often: a status event per call would
 * cost every busy app's call a status rebuild and a message to the window.
 */
const CALL_COUNT_STATUS_MS = 250;

export class Gateway {
  readonly tokens: GatewayTokens;
  readonly catalog: GatewayCatalog;
  readonly appConfigs: AppConfigs;
  private readonly endpoint: GatewayEndpoint;
  private readonly inFlight = new InFlightRequests();
  private settings: GatewaySettings = GatewaySettingsSchema.parse({});
  private error: string | undefined;
  private port: number | undefined;
  /** Seams (seams.ts): replaced by the tool-call policy feature. */
  gate: ToolCallGate = FORWARD_ALL;
  exposure: GatewayExposure = EXPOSE_SWITCHED_ON;
  /** Told after a token is revoked, so what is kept per token (its exposure) goes with it. */
  onTokenRevoked?: (id: string) => Promise<void>;
  private readonly callListeners = new Set<(record: GatewayCallRecord) => void>();
  private visibleSignature = '';
  private listChangedTimer: NodeJS.Timeout | undefined;
  private callCountTimer: NodeJS.Timeout | undefined;
  private readonly settingsFile: string;

  constructor(private readonly options: GatewayOptions) {
    this.settingsFile = path.join(options.dataDir, 'gateway-settings.json');
    this.tokens = new GatewayTokens(options.dataDir);
    this.catalog = new GatewayCatalog(options.servers, () => this.exposure);
    this.appConfigs = new AppConfigs({ home: options.home, relay: options.relay });
    this.endpoint = new GatewayEndpoint(
      this.tokens,
      {
        catalog: this.catalog,
        inFlight: this.inFlight,
        gate: () => this.gate,
        onCallCompleted: (record) => {
          for (const listener of this.callListeners) listener(record);
        },
      },
      {
        onAppsChanged: () => this.emitStatus(),
        onCallCounted: () => {
          this.callCountTimer ??= setTimeout(() => {
            this.callCountTimer = undefined;
            this.emitStatus();
          }, CALL_COUNT_STATUS_MS);
        },
      },
    );
  }

  /** Subscribes to every completed gateway `tools/call`; returns the unsubscribe function. */
  onCallCompleted(listener: (record: GatewayCallRecord) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  /** Loads the settings and tokens and starts listening if switched on; answers a notice, if any. */
  async load(): Promise<string | undefined> {
    const loaded = await readJsonFile(this.settingsFile, GatewaySettingsSchema, () => GatewaySettingsSchema.parse({}));
    this.settings = { ...loaded.value, ...this.options.override };
    const tokensNotice = await this.tokens.load();
    await this.apply();
    return loaded.notice ?? tokensNotice;
  }

  async close(): Promise<void> {
    clearTimeout(this.listChangedTimer);
    clearTimeout(this.callCountTimer);
    this.callCountTimer = undefined;
    await this.stopEndpoint();
  }

  status(): GatewayStatus {
    const listening = this.endpoint.listening;
    return {
      settings: this.settings,
      listening,
      url: listening ? `http://127.0.0.1:${this.port}${MCP_PATH}` : undefined,
      error: this.error,
      apps: this.endpoint.apps().map((app) => ({
        sessionId: app.sessionId,
        name: app.clientInfo.name,
        version: app.clientInfo.version,
        tokenLabel: app.tokenLabel,
        via: app.via,
        connectedAt: app.connectedAt,
        calls: app.calls,
      })),
      tokens: this.tokens.list(),
      relay: this.options.relay,
    };
  }

  /** The actual port while listening (differs from the setting when it is 0). */
  get listeningPort(): number | undefined {
    return this.endpoint.listening ? this.port : undefined;
  }

  /** Tells one app (by session) or every app that its lists changed: the exposure seam calls this. */
  notifyListChanged(sessionId?: string): void {
    this.endpoint.notifyListChanged(sessionId);
  }

  /** What one app token may see changed (its exposure): the apps using it hear list_changed. */
  notifyTokenListChanged(tokenId: string): void {
    this.endpoint.notifyTokenListChanged(tokenId);
  }

  /** Server statuses changed: apps hear about it when the set of servers they can see changed. */
  serversChanged(statuses: ServerStatus[]): void {
    const signature = statuses
      .filter((status) => status.state === 'connected' && (status.definition.gateway?.exposed ?? true))
      .map((status) => `${status.definition.name}\u0000${status.protocolVersion ?? ''}`)
      .join('\u0001');
    if (signature === this.visibleSignature) return;
    this.visibleSignature = signature;
    this.scheduleListChanged();
  }

  /** A server said its own list changed. */
  serverListChanged(name: string, kind: 'tools' | 'resources' | 'prompts'): void {
    this.catalog.forget(name, kind);
    this.scheduleListChanged();
  }

  /** A line of a server's log: its `notifications/message` go on to the apps it is serving right now. */
  serverLog(name: string, entry: ServerLogEntry): void {
    if (entry.source !== 'notification' || !entry.level) return;
    this.inFlight.forwardLog(name, { level: entry.level, logger: entry.logger, data: entry.text });
  }

  /** Switches the endpoint on or off, or moves it; saved in gateway-settings.json. */
  async configure(patch: Partial<GatewaySettings>): Promise<void> {
    this.settings = GatewaySettingsSchema.parse({ ...this.settings, ...patch });
    await writeFileAtomic(this.settingsFile, JSON.stringify(this.settings, null, 2), 0o600);
    await this.apply();
  }

  async createToken(label: string): Promise<{ token: string; id: string }> {
    const { token, view } = await this.tokens.create(label);
    this.emitStatus();
    return { token, id: view.id };
  }

  /** Revokes a token and ends the sessions opened with it. */
  async revokeToken(id: string): Promise<void> {
    await this.tokens.revoke(id);
    await this.endpoint.endSessionsOf(id);
    await this.onTokenRevoked?.(id);
    this.emitStatus();
  }

  private scheduleListChanged(): void {
    if (this.listChangedTimer) return;
    this.listChangedTimer = setTimeout(() => {
      this.listChangedTimer = undefined;
      this.endpoint.notifyListChanged();
    }, LIST_CHANGED_DEBOUNCE_MS);
  }

  /** Starts or stops listening to match the settings. */
  private async apply(): Promise<void> {
    await this.stopEndpoint();
    this.error = undefined;
    if (this.settings.enabled) {
      try {
        this.port = await this.endpoint.start(this.settings.port);
        const url = `http://127.0.0.1:${this.port}${MCP_PATH}`;
        await writeDiscovery(this.options.dataDir, {
          port: this.port,
          token: this.tokens.relayToken,
          pid: process.pid,
          url,
          relayPort: this.endpoint.relayPort,
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        this.error =
          code === 'EADDRINUSE'
            ? `Port ${this.settings.port} is in use by another program: choose another port for the gateway.`
            : `The gateway could not start: ${error instanceof Error ? error.message : String(error)}`;
        await this.stopEndpoint();
      }
    }
    this.emitStatus();
  }

  private async stopEndpoint(): Promise<void> {
    if (!this.endpoint.listening) return;
    await this.endpoint.stop();
    await removeDiscovery(this.options.dataDir).catch(() => undefined);
  }

  private emitStatus(): void {
    this.options.onStatus(this.status());
  }
}
