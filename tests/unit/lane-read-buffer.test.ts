/**
 * The lane reader: the gateway's fast paths get their messages as parsed JSON, everything else is
 * validated by the SDK as its own reader would. Run on the installed SDK's real stdio transports,
 * so an SDK that stops holding its reader where we put ours fails here, not silently in use.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import {
  parseJSONRPCMessage as parseClientMessage,
  ReadBuffer as ClientReadBuffer,
  StreamableHTTPClientTransport,
  type JSONRPCMessage as ClientMessage,
  type Transport,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { parseJSONRPCMessage, ReadBuffer, type JSONRPCMessage } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { installLaneReader, laneReaderOf } from '../../electron/core/servers/lane-read-buffer.js';
import { TransportCalls } from '../../electron/core/servers/transport-calls.js';

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

/** A relay-like transport: the SDK's server transport on a pair of streams, with our reader and a lane taking tools/call. */
async function relayTransport() {
  const input = new PassThrough();
  const output = new PassThrough();
  const transport = new StdioServerTransport(input, output);
  let validated = 0;
  const reader = installLaneReader(
    transport,
    ReadBuffer,
    (value) => {
      validated += 1;
      return parseJSONRPCMessage(value);
    },
    1024,
  );
  assert.ok(reader, "the SDK's StdioServerTransport takes the lane reader");
  const taken: unknown[] = [];
  reader.lane = (message) => {
    if (message.method !== 'tools/call') return false;
    taken.push(message);
    return true;
  };
  const delivered: JSONRPCMessage[] = [];
  const errors: Error[] = [];
  let closed = false;
  transport.onmessage = (message) => void delivered.push(message);
  transport.onerror = (error) => void errors.push(error);
  transport.onclose = () => {
    closed = true;
  };
  await transport.start();
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { input, taken, delivered, errors, validated: () => validated, closed: () => closed, settle };
}

describe('the lane reader', () => {
  it('hands the lane its messages unvalidated and validates the rest as the SDK would', async () => {
    const relay = await relayTransport();
    const call = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'a__b', arguments: { q: 1 } } };
    const ping = { jsonrpc: '2.0', id: 8, method: 'ping' };
    relay.input.write(line(call) + line(ping));
    await relay.settle();
    assert.deepEqual(relay.taken, [call]);
    assert.deepEqual(relay.delivered, [ping], 'the taken call never reaches the SDK');
    assert.equal(relay.validated(), 1, 'only what the lane left was validated');
  });

  it('reads lines split across chunks and CRLF endings, skips a line that is not JSON, and reports a malformed message without stopping', async () => {
    const relay = await relayTransport();
    const text = `${line({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x' } }).replace('\n', '\r\n')}not json\n${line({ jsonrpc: '2.0', id: 2, method: 7 })}${line({ jsonrpc: '2.0', method: 'notifications/initialized' })}`;
    for (let at = 0; at < text.length; at += 9) relay.input.write(text.slice(at, at + 9));
    await relay.settle();
    assert.equal(relay.taken.length, 1, 'the CRLF line, reassembled from its chunks, reached the lane');
    assert.equal(relay.errors.length, 1, 'the message whose method is a number is refused by the SDK schema');
    assert.deepEqual(relay.delivered, [{ jsonrpc: '2.0', method: 'notifications/initialized' }], 'and the line after it is still read');
    assert.equal(relay.closed(), false);
  });

  it('gives the lane only JSON-RPC 2.0 objects: anything else goes to the SDK, which refuses it', async () => {
    const relay = await relayTransport();
    relay.input.write(
      line({ id: 1, method: 'tools/call', params: { name: 'x' } }) + line([{ jsonrpc: '2.0', id: 2, method: 'tools/call' }]),
    );
    await relay.settle();
    assert.deepEqual(relay.taken, []);
    assert.equal(relay.errors.length, 2);
  });

  it("closes the transport on a line longer than the limit, as the SDK's reader does", async () => {
    const relay = await relayTransport();
    relay.input.write('x'.repeat(2000));
    await relay.settle();
    assert.match(relay.errors[0]?.message ?? '', /exceeded maximum size of 1024 bytes/);
    assert.equal(relay.closed(), true);
  });

  it("is installed on the SDK client's stdio transport before it starts, and never on a transport without that reader", () => {
    const stdio = new StdioClientTransport({ command: 'node', args: ['-e', ''] });
    assert.ok(installLaneReader(stdio, ClientReadBuffer, parseClientMessage, 1024));
    assert.ok(laneReaderOf(stdio));
    const http = new StreamableHTTPClientTransport(new URL('http://127.0.0.1:9/mcp'));
    assert.equal(installLaneReader(http, ClientReadBuffer, parseClientMessage, 1024), undefined);
    assert.equal(laneReaderOf(http), undefined);
  });
});

describe('TransportCalls on a lane reader', () => {
  /** A transport holding the SDK client's reader, as StdioClientTransport does; lines are fed to that reader. */
  function laneTransport() {
    const sent: ClientMessage[] = [];
    const toSdk: ClientMessage[] = [];
    const transport: Transport & { _readBuffer: unknown } = {
      _readBuffer: new ClientReadBuffer(),
      start: () => Promise.resolve(),
      close: () => Promise.resolve(),
      send: (message) => {
        sent.push(message);
        return Promise.resolve();
      },
      onmessage: (message) => void toSdk.push(message),
    };
    const reader = installLaneReader(transport, ClientReadBuffer, parseClientMessage, 1024 * 1024);
    assert.ok(reader);
    const calls = new TransportCalls(transport);
    const feed = (value: unknown) => {
      reader.append(Buffer.from(line(value)));
      for (let message = reader.readMessage(); message !== null; message = reader.readMessage()) transport.onmessage?.(message);
    };
    return { calls, sent, toSdk, feed };
  }

  const never = () => new AbortController().signal;

  it('takes its answers and progress off the reader, checking what the SDK no longer checked for it', async () => {
    const { calls, toSdk, feed } = laneTransport();
    const heard: unknown[] = [];
    const first = calls.request('tools/call', { name: 't' }, { signal: never(), timeoutMs: 60_000, onprogress: (p) => heard.push(p) });
    feed({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 'sluice-1', progress: 1, message: 'one', secret: 'x' },
    });
    feed({ jsonrpc: '2.0', id: 'sluice-1', error: null });
    await assert.rejects(first, /neither a result object nor an error/);
    assert.deepEqual(heard, [{ progress: 1, message: 'one' }], 'only the fields of a progress notification are passed on');

    const second = calls.request('tools/call', { name: 't' }, { signal: never(), timeoutMs: 60_000 });
    feed({ jsonrpc: '2.0', id: 'sluice-2', error: { code: 1.5, message: 'odd code' } });
    await assert.rejects(second, (error: Error & { code?: number }) => error.code === -32603 && /odd code/.test(error.message));

    const third = calls.request('tools/call', { name: 't' }, { signal: never(), timeoutMs: 60_000 });
    const result = { content: [{ type: 'text', text: 'ok' }], unknownField: { kept: true } };
    feed({ jsonrpc: '2.0', id: 'sluice-3', result });
    assert.deepEqual(await third, result, 'the result reaches the caller as the server sent it');

    const theirs = { jsonrpc: '2.0', id: 5, result: {} };
    feed(theirs);
    assert.deepEqual(toSdk, [theirs], "the SDK client's own answers still reach it, validated");
  });
});
