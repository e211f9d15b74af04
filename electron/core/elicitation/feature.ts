/**
 * The host side of "what servers ask of the user" besides sampling: the elicitation queue and
 * roots. The host builds one of these, hands `services` to the server manager, and composes the
 * elicitation and roots handlers (elicitation/handlers.ts, roots/handlers.ts) from its parts.
 */
import type { EventChannel, EventPayload } from '../../../shared/contract.js';
import type { RootFolder, ServerStatus } from '../../../shared/domain.js';
import { RootsService } from '../roots/roots-service.js';
import type { TypedEmitter } from '../typed-emitter.js';
import { ElicitationBroker, type UrlOpener } from './broker.js';
import type { UserRequestServices } from './user-requests.js';

export interface UserRequestsOptions {
  dataDir: string;
  /** A server's own roots (from its definition), looked up when it asks. */
  serverRoots: (name: string) => RootFolder[];
  /** The host's event emitter (relayed to the renderer). */
  events: TypedEmitter<{ [E in EventChannel]: EventPayload<E> }>;
  /** The desktop app opens URLs in the system browser; web mode leaves it to the renderer. */
  openExternal?: UrlOpener;
}

export class UserRequestsFeature {
  readonly elicitation: ElicitationBroker;
  readonly roots: RootsService;

  constructor(options: UserRequestsOptions) {
    this.elicitation = new ElicitationBroker(options.openExternal);
    this.roots = new RootsService(options.dataDir, options.serverRoots);
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
}
