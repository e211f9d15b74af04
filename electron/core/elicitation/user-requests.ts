/**
 * The requests a server makes of the person at the keyboard, other than sampling: elicitation
 * (form and URL mode) and roots. One call wires them into a Client, whichever protocol era it
 * ends up speaking: a 2025 server pushes `elicitation/create` and `roots/list`; a 2026-07-28
 * server returns them as `input_required` and the SDK hands them to the same handlers.
 *
 * The SDK refuses a mode Sluice did not declare with the spec's -32602 before our handler runs,
 * so the capability below lists exactly the modes the broker and the dialog support.
 */
import { getSupportedElicitationModes, type Client, type ElicitResult, type ListRootsResult } from '@modelcontextprotocol/client';
import type { ToolCallRef } from '../../../shared/domain.js';
import type { RootsService } from '../roots/roots-service.js';
import type { ElicitationBroker } from './broker.js';

/** What Sluice declares in its handshake for these features. */
export const USER_REQUEST_CAPABILITIES = {
  // applyDefaults: the broker fills in the schema's defaults for fields the answer leaves out.
  elicitation: { form: { applyDefaults: true }, url: {} },
  roots: { listChanged: true },
} as const;

export type ElicitationMode = 'form' | 'url';

/** The elicitation modes a client declared (`elicitation: {}` is form mode only, as the spec says). */
export function declaredElicitationModes(capabilities: Record<string, unknown>): ReadonlySet<ElicitationMode> {
  if (capabilities.elicitation === undefined) return new Set();
  const { supportsFormMode, supportsUrlMode } = getSupportedElicitationModes(
    capabilities.elicitation as Parameters<typeof getSupportedElicitationModes>[0],
  );
  return new Set<ElicitationMode>([...(supportsFormMode ? (['form'] as const) : []), ...(supportsUrlMode ? (['url'] as const) : [])]);
}

/**
 * Pass-through: the calling app answers instead of Sluice (see `AppAnswerer` in
 * electron/core/servers/connection.ts). `elicitation.modes`: the modes the app declared; a request
 * in another mode is answered in Sluice.
 */
export interface AppUserRequests {
  elicitation?: {
    modes: ReadonlySet<ElicitationMode>;
    ask: (params: unknown, signal: AbortSignal) => Promise<ElicitResult>;
    /** Tells the app that the URL-mode elicitation it was given has completed (the server said so, maybe after the call). */
    completed: (elicitationId: string) => void;
  };
  roots?: (signal: AbortSignal) => Promise<ListRootsResult>;
}

/** URL-mode elicitations passed to apps whose completion notice may still come (the server controls how many). */
const MAX_URL_ELICITATIONS_AT_APPS = 100;

export interface UserRequestServices {
  elicitation: ElicitationBroker;
  roots: RootsService;
}

export interface UserRequestContext {
  serverName: string;
  services: UserRequestServices;
  /** The tool call of ours that led to a request, when known (as for sampling). */
  toolCall?: () => ToolCallRef | undefined;
  /** The request's signal, also aborted when the tool call that caused it is cancelled (e.g. by a gateway app). */
  signalFor?: (signal: AbortSignal) => AbortSignal;
  /** Runs the wait for the user's answer, so the connection knows which tool call is waiting on it. */
  whileAsking?: <T>(work: () => Promise<T>) => Promise<T>;
  /** The calling app, when the server is set to pass its requests through and the app can answer them. */
  askApp?: () => AppUserRequests | undefined;
}

/** Registers the elicitation and roots handlers on `client`; call once, before connecting. */
export function registerUserRequestHandlers(client: Client, context: UserRequestContext): void {
  const { serverName, services } = context;

  const whileAsking = <T>(work: () => Promise<T>) => (context.whileAsking ? context.whileAsking(work) : work());
  /** URL-mode elicitations an app was given (pass-through), by id: the server's completion notice goes to that app. */
  const urlElicitationsAtApps = new Map<string, (elicitationId: string) => void>();

  client.setRequestHandler('elicitation/create', async (request, ctx) => {
    const modern = client.getProtocolEra() === 'modern';
    const signal = context.signalFor?.(ctx.mcpReq.signal) ?? ctx.mcpReq.signal;
    // Pass-through only in a mode the app declared; otherwise the app could not answer it and Sluice does.
    const app = context.askApp?.()?.elicitation;
    if (app?.modes.has(request.params.mode ?? 'form')) {
      if (request.params.mode === 'url' && request.params.elicitationId !== undefined) {
        if (urlElicitationsAtApps.size >= MAX_URL_ELICITATIONS_AT_APPS)
          urlElicitationsAtApps.delete(urlElicitationsAtApps.keys().next().value!);
        urlElicitationsAtApps.set(request.params.elicitationId, app.completed);
      }
      return whileAsking(() => app.ask(request.params, signal));
    }
    const answer = await whileAsking(() =>
      services.elicitation.enqueue(
        { serverName, route: modern ? 'input_required' : 'push', toolCall: context.toolCall?.(), mcpRequestId: ctx.mcpReq.id },
        request.params,
        signal,
      ),
    );
    return answer.content === undefined ? { action: answer.action } : { action: answer.action, content: answer.content };
  });

  client.setNotificationHandler('notifications/elicitation/complete', (notification) => {
    const { elicitationId } = notification.params;
    const atApp = urlElicitationsAtApps.get(elicitationId);
    urlElicitationsAtApps.delete(elicitationId);
    if (atApp) atApp(elicitationId);
    else services.elicitation.complete(serverName, elicitationId);
  });

  client.setRequestHandler('roots/list', (_request, ctx) => {
    // Asked during an app's call, on a pass-through server: the app's roots (its workspace), not Sluice's.
    const app = context.askApp?.()?.roots;
    if (app) return whileAsking(() => app(context.signalFor?.(ctx.mcpReq.signal) ?? ctx.mcpReq.signal));
    return { roots: services.roots.rootsFor(serverName) };
  });

  // Registered before the connection exists; once it has connected and closed, the SDK drops the
  // transport and the listener is discarded (the connection keeps client.onclose for itself).
  const isOpen = () => client.transport !== undefined || client.getNegotiatedProtocolVersion() === undefined;
  services.roots.attach({
    serverName,
    // The 2026-07-28 era asks for roots per call (input_required); only 2025 servers keep a session to notify.
    notifyChanged: () => (client.transport && client.getProtocolEra() === 'legacy' ? client.sendRootsListChanged() : undefined),
    isOpen,
  });
}
