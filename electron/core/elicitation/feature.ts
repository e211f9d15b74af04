/**
 * The host side of "what servers ask of the user" besides sampling: the elicitation queue and
 * roots, with their IPC handlers. The host constructs one of these, hands
 * `services` to the server manager, and merges `handlers()` into its own.
 */
import type { InvokeResponse, parseInvokeRequest } from '../../../shared/contract.js';
import type { EventChannel, EventPayload } from '../../../shared/contract.js';
import type { ServerStatus } from '../../../shared/domain.js';
import { checkFolder, checkFolders, RootsService } from '../roots/roots-service.js';
import type { ServerManager } from '../servers/manager.js';
import { ElicitationBroker, type UrlOpener } from './broker.js';
import type { TypedEmitter } from '../typed-emitter.js';
import type { UserRequestServices } from './user-requests.js';

type FeatureChannel =
  | 'elicitation:list'
  | 'elicitation:respond'
  | 'elicitation:dismiss'
  | 'roots:get'
  | 'roots:setGlobal'
  | 'roots:setServer'
  | 'roots:checkFolder'
  | 'roots:pickFolder';

export type FeatureHandlers = {
  [C in FeatureChannel]: (request: ReturnType<typeof parseInvokeRequest<C>>) => Promise<InvokeResponse<C>> | InvokeResponse<C>;
};

export interface UserRequestsOptions {
  dataDir: string;
  servers: ServerManager;
  /** The host's event emitter (relayed to the renderer). */
  events: TypedEmitter<{ [E in EventChannel]: EventPayload<E> }>;
  /** The desktop app opens URLs in the system browser; web mode leaves it to the renderer. */
  openExternal?: UrlOpener;
  /** The desktop app's native folder picker; absent in web mode. */
  pickFolder?: () => Promise<string | undefined>;
}

const ok = { ok: true as const };

export class UserRequestsFeature {
  readonly elicitation: ElicitationBroker;
  readonly roots: RootsService;

  constructor(private readonly options: UserRequestsOptions) {
    this.elicitation = new ElicitationBroker(options.openExternal);
    this.roots = new RootsService(options.dataDir, (name) => options.servers.get(name).definition.roots ?? []);
    this.elicitation.on('added', (request) => options.events.emit('elicitation:added', request));
    this.elicitation.on('updated', (request) => options.events.emit('elicitation:updated', request));
    this.elicitation.on('removed', (removal) => options.events.emit('elicitation:removed', removal));
  }

  get services(): UserRequestServices {
    return { elicitation: this.elicitation, roots: this.roots };
  }

  /** Loads roots.json; returns a notice for the user if it was unreadable. */
  load(): Promise<string | undefined> {
    return this.roots.load();
  }

  /** Requests from a server that is no longer connected can never be answered: close them. */
  serversChanged(statuses: readonly ServerStatus[]): void {
    const connected = new Set(statuses.filter((s) => s.state === 'connected').map((s) => s.definition.name));
    for (const request of this.elicitation.list()) {
      if (!connected.has(request.serverName)) this.elicitation.failServer(request.serverName, 'The server is no longer connected');
    }
  }

  close(): void {
    this.elicitation.failAll('Sluice is quitting');
  }

  handlers(): FeatureHandlers {
    const { servers } = this.options;
    return {
      'elicitation:list': () => this.elicitation.list(),
      'elicitation:respond': async ({ id, action, content }) => {
        await this.elicitation.respond(id, action, content);
        return ok;
      },
      'elicitation:dismiss': ({ id }) => {
        this.elicitation.dismiss(id);
        return ok;
      },
      'roots:get': () => ({
        global: this.roots.globalRoots(),
        servers: Object.fromEntries(servers.statuses().map((s) => [s.definition.name, s.definition.roots ?? []])),
        canPickFolder: this.options.pickFolder !== undefined,
      }),
      'roots:setGlobal': async ({ roots }) => {
        await this.roots.setGlobal(roots);
        return ok;
      },
      'roots:setServer': async ({ name, roots }) => {
        servers.get(name); // a clear error for an unknown server before the folders are checked
        const checked = await checkFolders(roots);
        // Roots do not affect the connection: the definition is saved and swapped in place, and a
        // 2025-era server is told the list changed (it asks roots/list again); no restart.
        await servers.updateSettings(name, { roots: checked.length ? checked : undefined });
        await this.roots.notifyAll(name);
        return ok;
      },
      'roots:checkFolder': ({ path }) => checkFolder(path),
      'roots:pickFolder': async () => {
        if (!this.options.pickFolder) throw new Error('There is no folder picker in web mode: type the folder path instead');
        return { path: await this.options.pickFolder() };
      },
    };
  }
}
