/**
 * TransportCalls: the gateway's requests to a 2025-era server, sent on the connection's transport
 * itself. What the server receives (ids, progress tokens, cancellations) and what the caller and
 * the SDK client see, on a transport whose sends we record and whose messages we play.
 */
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { ProtocolError, SdkError, SdkErrorCode, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import { TransportCalls } from '../../electron/core/servers/transport-calls.js';

function fakeTransport() {
  const sent: JSONRPCMessage[] = [];
  const toSdk: JSONRPCMessage[] = [];
  let sdkSawClose = false;
  const transport: Transport = {
    start: () => Promise.resolve(),
    close: () => {
      transport.onclose?.();
      return Promise.resolve();
    },
    send: (message) => {
      sent.push(message);
      return Promise.resolve();
    },
    // What the SDK client installed before us.
    onmessage: (message) => void toSdk.push(message),
    onclose: () => {
      sdkSawClose = true;
    },
  };
  const calls = new TransportCalls(transport);
  const receive = (message: unknown) => transport.onmessage?.(message as JSONRPCMessage);
  return { transport, calls, sent, toSdk, receive, sdkSawClose: () => sdkSawClose };
}

const never = () => new AbortController().signal;
const HOUR = 3_600_000;

describe('TransportCalls', () => {
  it("sends the request under an id of its own and answers the server's result unchanged; other traffic reaches the SDK client", async () => {
    const { calls, sent, toSdk, receive } = fakeTransport();
    const answer = calls.request('tools/call', { name: 'search', arguments: { q: 'x' } }, { signal: never(), timeoutMs: HOUR });
    assert.deepEqual(sent, [{ jsonrpc: '2.0', id: 'sluice-1', method: 'tools/call', params: { name: 'search', arguments: { q: 'x' } } }]);

    const sdkResponse = { jsonrpc: '2.0', id: 4, result: {} };
    const sampling = { jsonrpc: '2.0', id: 9, method: 'sampling/createMessage', params: {} };
    receive(sdkResponse);
    receive(sampling);
    const result = { content: [{ type: 'text', text: 'found' }], isError: true, structuredContent: { n: 1 }, _meta: { extra: true } };
    receive({ jsonrpc: '2.0', id: 'sluice-1', result });
    assert.deepEqual(await answer, result);
    assert.deepEqual(toSdk, [sdkResponse, sampling], "the SDK client gets its own traffic and the server's requests, not our answer");

    const second = calls.request('tools/call', { name: 'search' }, { signal: never(), timeoutMs: HOUR });
    assert.equal((sent[1] as { id: string }).id, 'sluice-2');
    receive({ jsonrpc: '2.0', id: 'sluice-2', result: { content: [] } });
    await second;
  });

  it("carries the caller's progress under a token of its own (two apps may use the same one) and hands it back without it", async () => {
    const { calls, sent, toSdk, receive } = fakeTransport();
    const heard: unknown[] = [];
    const answer = calls.request(
      'tools/call',
      { name: 'slow', _meta: { trace: 'abc' } },
      { signal: never(), timeoutMs: HOUR, onprogress: (progress) => heard.push(progress) },
    );
    assert.deepEqual((sent[0] as { params: unknown }).params, { name: 'slow', _meta: { trace: 'abc', progressToken: 'sluice-1' } });
    receive({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 'sluice-1', progress: 1, total: 2, message: 'half' },
    });
    receive({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'sluice-1', progress: 'most of it' } });
    const someoneElses = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 3, progress: 1 } };
    receive(someoneElses);
    receive({ jsonrpc: '2.0', id: 'sluice-1', result: { content: [] } });
    await answer;
    assert.deepEqual(heard, [{ progress: 1, total: 2, message: 'half' }], 'a progress that is not a number is dropped');
    assert.deepEqual(toSdk, [someoneElses], 'progress for a token of the SDK client goes to it');
  });

  it("rejects with the server's JSON-RPC error (code, message, data), and says so when the answer is not a result object", async () => {
    const { calls, receive } = fakeTransport();
    const failing = calls.request('tools/call', { name: 'a' }, { signal: never(), timeoutMs: HOUR });
    receive({ jsonrpc: '2.0', id: 'sluice-1', error: { code: -32042, message: 'Connect first', data: { url: 'https://example.test' } } });
    await assert.rejects(failing, (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.equal(error.code, -32042);
      assert.match(error.message, /Connect first/);
      assert.deepEqual(error.data, { url: 'https://example.test' });
      return true;
    });
    const odd = calls.request('tools/call', { name: 'b' }, { signal: never(), timeoutMs: HOUR });
    receive({ jsonrpc: '2.0', id: 'sluice-2', result: ['not', 'an', 'object'] });
    await assert.rejects(odd, /neither a result object nor an error/);
  });

  it('cancelling sends notifications/cancelled with our id and the reason; an answer after that reaches nobody', async () => {
    const { calls, sent, toSdk, receive } = fakeTransport();
    const controller = new AbortController();
    const answer = calls.request('tools/call', { name: 'slow' }, { signal: controller.signal, timeoutMs: HOUR });
    controller.abort(new Error('The app cancelled'));
    await assert.rejects(answer, /The app cancelled/);
    assert.deepEqual(sent[1], {
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 'sluice-1', reason: 'Error: The app cancelled' },
    });
    receive({ jsonrpc: '2.0', id: 'sluice-1', result: { content: [] } });
    assert.deepEqual(toSdk, [], 'the late answer is not passed to the SDK client as an unknown response');
    await assert.rejects(
      calls.request('tools/call', { name: 'x' }, { signal: AbortSignal.abort(), timeoutMs: HOUR }),
      (error: Error) => error.name === 'AbortError',
      'an already-aborted signal sends nothing',
    );
    assert.equal(sent.length, 2);
  });

  it('times out after timeoutMs without an answer, progress restarting the wait; the server is told', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const { calls, sent, receive } = fakeTransport();
      let settled = false;
      const answer = calls.request('tools/call', { name: 'slow' }, { signal: never(), timeoutMs: 1_000, onprogress: () => undefined });
      answer.catch(() => undefined).finally(() => (settled = true));
      for (let step = 1; step <= 3; step++) {
        mock.timers.tick(900);
        receive({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'sluice-1', progress: step } });
      }
      await Promise.resolve();
      assert.equal(settled, false, '2.7 s in, but never 1 s without progress');
      mock.timers.tick(1_000);
      await assert.rejects(answer, (error: unknown) => error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout);
      assert.deepEqual(sent.at(-1), {
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: 'sluice-1', reason: 'Request timed out' },
      });
    } finally {
      mock.timers.reset();
    }
  });

  it('the connection closing settles every waiting request (and the SDK client still hears of it); later requests fail at once', async () => {
    const { transport, calls, sdkSawClose } = fakeTransport();
    const waiting = [1, 2].map(() => calls.request('tools/call', { name: 'slow' }, { signal: never(), timeoutMs: HOUR }));
    await transport.close();
    for (const request of waiting) {
      await assert.rejects(request, (error: unknown) => error instanceof SdkError && error.code === SdkErrorCode.ConnectionClosed);
    }
    assert.equal(sdkSawClose(), true);
    await assert.rejects(
      calls.request('tools/call', { name: 'x' }, { signal: never(), timeoutMs: HOUR }),
      (error: unknown) => error instanceof SdkError && error.code === SdkErrorCode.ConnectionClosed,
    );
  });
});
