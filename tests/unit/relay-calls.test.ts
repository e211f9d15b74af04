/**
 * RelayCalls: a relay connection's `tools/call`, answered without the SDK server's request
 * machinery. Which messages it takes (and which it leaves to the SDK server), what the app gets
 * back, and that the call is the same callTool() as the SDK handler's: the app's cancellation,
 * progress and pass-through reach the forwarded call. The downstream server is a stand-in
 * connection that records what it was asked; the app's side is a transport that records sends.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtocolError, type JSONRPCMessage, type Server, type Transport } from '@modelcontextprotocol/server';
import { InFlightRequests, type AppServerDeps } from '../../electron/core/gateway/app-server.js';
import type { GatewayCatalog } from '../../electron/core/gateway/catalog.js';
import { RelayCalls } from '../../electron/core/gateway/relay-calls.js';
import { FORWARD_ALL, type GatewayApp, type GatewayCallRecord } from '../../electron/core/gateway/seams.js';
import type { GatewayCallOptions } from '../../electron/core/servers/connection.js';

const APP: GatewayApp = {
  sessionId: 'relay-1',
  tokenId: 'relay',
  tokenLabel: 'relay',
  clientInfo: { name: 'Claude Desktop', version: '1.0.0' },
  capabilities: { sampling: {} },
  via: 'relay',
  connectedAt: 0,
};

type Downstream = (name: string, args: Record<string, unknown>, options: GatewayCallOptions) => Promise<unknown>;

function setUp(downstream: Downstream, options: { version?: string; described?: boolean } = {}) {
  const sent: JSONRPCMessage[] = [];
  const toApp: Array<{ kind: 'notification' | 'request'; message: unknown }> = [];
  const records: GatewayCallRecord[] = [];
  const transport = { send: (message: JSONRPCMessage) => Promise.resolve(void sent.push(message)) } as unknown as Transport;
  const server = {
    getNegotiatedProtocolVersion: () => options.version ?? '2025-06-18',
    notification: (message: unknown) => Promise.resolve(void toApp.push({ kind: 'notification', message })),
    request: (message: unknown) => {
      toApp.push({ kind: 'request', message });
      return Promise.resolve({ model: 'app-model', role: 'assistant', content: { type: 'text', text: 'from the app' } });
    },
    sendLoggingMessage: () => Promise.resolve(),
  } as unknown as Server;
  const connection = { name: 'files', callToolForApp: downstream };
  const catalog = {
    resolveTool: (_app: GatewayApp, name: string) =>
      Promise.resolve(name === 'files__read' ? { connection, tool: { name: 'read', inputSchema: { type: 'object' } } } : undefined),
    unavailableServer: () => undefined,
  } as unknown as GatewayCatalog;
  const deps: AppServerDeps = {
    catalog,
    inFlight: new InFlightRequests(),
    gate: () => FORWARD_ALL,
    onCallCompleted: (record) => records.push(record),
  };
  const calls = new RelayCalls(deps, () => (options.described === false ? undefined : { server, app: APP }), transport);
  const settled = () => new Promise((resolve) => setImmediate(resolve));
  return { calls, sent, toApp, records, settled };
}

const call = (id: number | string, params: unknown) => ({ jsonrpc: '2.0', id, method: 'tools/call', params }) as JSONRPCMessage;

describe('RelayCalls', () => {
  it("answers a well-formed 2025 call itself: the server's result reaches the app under the app's id, unchanged; the history hears of it", async () => {
    const asked: Array<{ name: string; args: Record<string, unknown> }> = [];
    const result = { content: [{ type: 'text', text: 'file body' }], structuredContent: { lines: 3 }, _meta: { cached: true } };
    const { calls, sent, records, settled } = setUp((name, args) => {
      asked.push({ name, args });
      return Promise.resolve(result);
    });
    assert.equal(calls.take(call(7, { name: 'files__read', arguments: { path: '/tmp/a' } })), true);
    await settled();
    assert.deepEqual(asked, [{ name: 'read', args: { path: '/tmp/a' } }], "the server's own tool name, the app's arguments");
    assert.deepEqual(sent, [{ jsonrpc: '2.0', id: 7, result }]);
    await settled();
    assert.deepEqual(
      records.map((record) => [record.app.clientInfo.name, record.serverName, record.tool, record.outcome]),
      [['Claude Desktop', 'files', 'read', 'result']],
    );
  });

  it('leaves to the SDK server what it does not answer: other methods, an app not yet described, a 2026-07-28 session, malformed params', async () => {
    const downstream: Downstream = () => Promise.reject(new Error('must not be called'));
    const { calls, sent, settled } = setUp(downstream);
    assert.equal(calls.take({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), false);
    assert.equal(calls.take({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 99 } }), false);
    for (const params of [
      undefined,
      { name: 42 },
      { name: 'files__read', arguments: ['not', 'an', 'object'] },
      { name: 'files__read', _meta: 'text' },
      { name: 'files__read', _meta: { progressToken: { odd: true } } },
    ]) {
      assert.equal(calls.take(call(2, params)), false, `params ${JSON.stringify(params)}`);
    }
    assert.equal(setUp(downstream, { described: false }).calls.take(call(3, { name: 'files__read' })), false);
    assert.equal(setUp(downstream, { version: '2026-07-28' }).calls.take(call(4, { name: 'files__read' })), false);
    await settled();
    assert.deepEqual(sent, []);
  });

  it("a call that fails reaches the app as a JSON-RPC error with the server's code, message and data; an unknown tool as invalid params", async () => {
    const { calls, sent, settled } = setUp(() =>
      Promise.reject(new ProtocolError(-32042, 'Connect your account first', { url: 'https://x.test' })),
    );
    calls.take(call(1, { name: 'files__read' }));
    calls.take(call(2, { name: 'nobody__nothing' }));
    await settled();
    await settled();
    assert.deepEqual(
      sent.find((message) => (message as { id: number }).id === 1),
      {
        jsonrpc: '2.0',
        id: 1,
        error: { code: -32042, message: 'Connect your account first', data: { url: 'https://x.test' } },
      },
    );
    assert.deepEqual(
      sent.find((message) => (message as { id: number }).id === 2),
      {
        jsonrpc: '2.0',
        id: 2,
        error: { code: -32602, message: 'Unknown tool: nobody__nothing' },
      },
    );
  });

  it("the app's cancellation of a call taken here aborts the forwarded call and no answer is sent; so does the app going away", async () => {
    const signals: AbortSignal[] = [];
    const { calls, sent, records, settled } = setUp(
      (_name, _args, options) =>
        new Promise((_resolve, reject) => {
          signals.push(options.signal);
          options.signal.addEventListener('abort', () => reject(new Error('cancelled downstream')));
        }),
    );
    calls.take(call('a', { name: 'files__read' }));
    calls.take(call('b', { name: 'files__read' }));
    await settled();
    assert.equal(calls.take({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'a', reason: 'user stop' } }), true);
    assert.equal(signals[0]?.aborted, true);
    assert.equal(signals[0]?.reason, 'user stop');
    assert.equal(signals[1]?.aborted, false);
    calls.closeAll();
    assert.equal(signals[1]?.aborted, true);
    await settled();
    await settled();
    assert.deepEqual(sent, [], 'a cancelled request gets no answer');
    assert.deepEqual(
      records.map((record) => record.outcome),
      ['cancelled', 'cancelled'],
    );
  });

  it("the app's progress token gets the server's progress; a server's sampling request can be passed to the app (it declared sampling)", async () => {
    const { calls, toApp, settled } = setUp(async (_name, _args, options) => {
      options.onprogress?.({ progress: 1, total: 2 });
      const answer = await options.askApp?.sampling?.({ messages: [], maxTokens: 10 }, options.signal);
      return { content: [{ type: 'text', text: `app said: ${JSON.stringify(answer?.content)}` }] };
    });
    calls.take(call(5, { name: 'files__read', _meta: { progressToken: 'tok-1' } }));
    await settled();
    await settled();
    assert.deepEqual(toApp, [
      { kind: 'notification', message: { method: 'notifications/progress', params: { progress: 1, total: 2, progressToken: 'tok-1' } } },
      { kind: 'request', message: { method: 'sampling/createMessage', params: { messages: [], maxTokens: 10 } } },
    ]);
  });
});
