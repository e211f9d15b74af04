/**
 * The requests a server makes of the person at the keyboard, other than sampling: elicitation
 * (form and URL mode) and roots. One call wires them into a Client, whichever protocol era it
 * ends up speaking: a 2025 server pushes `elicitation/create` and `roots/list`; a 2026-07-28
 * server returns them as `input_required` and the SDK hands them to the same handlers.
 *
 * The SDK refuses a mode Sluice did not declare with the spec's -32602 before our handler runs,
 * so the capability below lists exactly the modes the broker and the dialog support.
 */
import type { Client } from '@modelcontextprotocol/client';
import type { ToolCallRef } from '../../../shared/domain.js';
import type { RootsService } from '../roots/roots-service.js';
import type { ElicitationBroker } from './broker.js';

/** What Sluice declares in its handshake for these features. */
export const USER_REQUEST_CAPABILITIES = {
  // applyDefaults: the broker fills in the schema's defaults for fields the answer leaves out.
  elicitation: { form: { applyDefaults: true }, url: {} },
  roots: { listChanged: true },
} as const;

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
}

/** Registers the elicitation and roots handlers on `client`; call once, before connecting. */
export function registerUserRequestHandlers(client: Client, context: UserRequestContext): void {
  const { serverName, services } = context;

  client.setRequestHandler('elicitation/create', async (request, ctx) => {
    const modern = client.getProtocolEra() === 'modern';
    const ask = () =>
      services.elicitation.enqueue(
        { serverName, route: modern ? 'input_required' : 'push', toolCall: context.toolCall?.(), mcpRequestId: ctx.mcpReq.id },
        request.params,
        context.signalFor?.(ctx.mcpReq.signal) ?? ctx.mcpReq.signal,
      );
    const answer = await (context.whileAsking ? context.whileAsking(ask) : ask());
    return answer.content === undefined ? { action: answer.action } : { action: answer.action, content: answer.content };
  });

  client.setNotificationHandler('notifications/elicitation/complete', (notification) => {
    services.elicitation.complete(serverName, notification.params.elicitationId);
  });

  client.setRequestHandler('roots/list', () => ({ roots: services.roots.rootsFor(serverName) }));

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
