/**
 * call-scope.ts: the response to a request we sent inside a tool call's async scope is delivered
 * inside that scope again (so the SDK's input_required handlers know the call), and nothing else is.
 */
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, it } from 'node:test';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { carryCallScope } from '../../electron/core/servers/call-scope.js';

/** A transport whose onmessage records the scope each message (and a continuation after it) ran in. */
function fakeTransport(scope: AsyncLocalStorage<string>) {
  const seen: Array<{ id: unknown; now?: string; later?: string }> = [];
  const sent: JSONRPCMessage[] = [];
  const transport = {
    start: () => Promise.resolve(),
    close: () => Promise.resolve(),
    send: (message: JSONRPCMessage) => {
      sent.push(message);
      return Promise.resolve();
    },
    onmessage: (message: JSONRPCMessage) => {
      const entry: { id: unknown; now?: string; later?: string } = { id: (message as { id?: unknown }).id, now: scope.getStore() };
      seen.push(entry);
      // The SDK fulfils input_required in an async continuation of the response: the scope must reach it.
      void Promise.resolve().then(() => (entry.later = scope.getStore()));
    },
  } as unknown as Transport;
  return { transport, seen, sent };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('carryCallScope', () => {
  it("delivers each response in the scope of the call whose request it answers, with two calls' requests interleaved", async () => {
    const scope = new AsyncLocalStorage<string>();
    const { transport, seen, sent } = fakeTransport(scope);
    carryCallScope(transport, scope);
    await scope.run('call A', () => transport.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'a' } }));
    await scope.run('call B', () => transport.send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'b' } }));
    assert.equal(sent.length, 2, 'the requests still go out');
    transport.onmessage?.({ jsonrpc: '2.0', id: 2, result: {} });
    transport.onmessage?.({ jsonrpc: '2.0', id: 1, result: {} });
    await tick();
    assert.deepEqual(seen, [
      { id: 2, now: 'call B', later: 'call B' },
      { id: 1, now: 'call A', later: 'call A' },
    ]);
  });

  it("leaves alone responses to requests sent outside a call, a server's own requests, and a second response to one id", async () => {
    const scope = new AsyncLocalStorage<string>();
    const { transport, seen } = fakeTransport(scope);
    carryCallScope(transport, scope);
    await transport.send({ jsonrpc: '2.0', id: 7, method: 'tools/list' });
    await scope.run('call A', () => transport.send({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'a' } }));
    transport.onmessage?.({ jsonrpc: '2.0', id: 7, result: {} });
    // A server's request that happens to reuse our id is not a response.
    transport.onmessage?.({ jsonrpc: '2.0', id: 8, method: 'roots/list' });
    transport.onmessage?.({ jsonrpc: '2.0', id: 8, result: {} });
    transport.onmessage?.({ jsonrpc: '2.0', id: 8, result: {} });
    await tick();
    assert.deepEqual(
      seen.map((entry) => entry.now),
      [undefined, undefined, 'call A', undefined],
    );
  });
});
