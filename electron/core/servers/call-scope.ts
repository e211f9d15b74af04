/**
 * Keeps the tool call a server's `input_required` request belongs to (2026-07-28 era).
 *
 * The SDK fulfils an `input_required` answer from where the response arrived (the transport's
 * message handler), not from inside our `callTool()`, so the AsyncLocalStorage scope our call ran
 * in is lost by the time the elicitation, sampling or roots handler runs. With two calls in flight
 * that left the handler guessing. Here each request we send is tagged with the call in scope, and
 * the response to it is delivered inside that call's scope again: the handlers the SDK runs for it,
 * and the retry it sends, see the same call, round after round.
 */
import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Transport } from '@modelcontextprotocol/client';

/** Requests remembered at once per connection (an answer that never comes must not grow the map forever). */
const MAX_TRACKED_REQUESTS = 10_000;

type Message = Parameters<NonNullable<Transport['onmessage']>>[0];
type Id = string | number;

function requestId(message: Message): Id | undefined {
  const { id, method } = message as { id?: unknown; method?: unknown };
  return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number') ? id : undefined;
}

function responseId(message: Message): Id | undefined {
  const { id, method } = message as { id?: unknown; method?: unknown };
  return method === undefined && (typeof id === 'string' || typeof id === 'number') ? id : undefined;
}

/** Wraps a connected transport (call after `client.connect`, which installs `onmessage`). */
export function carryCallScope<C>(transport: Transport, scope: AsyncLocalStorage<C>): void {
  const callsByRequest = new Map<Id, C>();
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    const id = requestId(message);
    const call = scope.getStore();
    if (id !== undefined && call !== undefined) {
      if (callsByRequest.size >= MAX_TRACKED_REQUESTS) callsByRequest.delete(callsByRequest.keys().next().value as Id);
      callsByRequest.set(id, call);
    }
    return send(message, options);
  };
  const receive = transport.onmessage;
  if (!receive) return;
  transport.onmessage = (message, extra) => {
    const id = responseId(message);
    const call = id === undefined ? undefined : callsByRequest.get(id);
    if (id === undefined || call === undefined) return receive(message, extra);
    callsByRequest.delete(id);
    return scope.run(call, () => receive(message, extra));
  };
}
