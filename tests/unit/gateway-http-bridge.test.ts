/**
 * The gateway's node:http ↔ web Response bridge: a quick answer leaves in one socket write
 * (headers, body and the end of the chunked stream together), while a stream that stays open
 * still delivers each chunk as it comes (progress must not wait for the end of the call).
 */
import assert from 'node:assert/strict';
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { JSON_ANSWER_WAIT_MS, sendWebResponse, soleSseResponse } from '../../electron/core/gateway/http-bridge.js';

/** Counts the writes that reach the response's socket (write and writev both end in one of these). */
function countSocketWrites(res: ServerResponse): { count: number } {
  const counter = { count: 0 };
  const socket = res.socket as Socket & { _write: (...args: unknown[]) => void; _writev?: (...args: unknown[]) => void };
  const write = socket._write.bind(socket);
  socket._write = (...args: unknown[]) => {
    counter.count += 1;
    write(...args);
  };
  const writev = socket._writev?.bind(socket);
  if (writev) {
    socket._writev = (...args: unknown[]) => {
      counter.count += 1;
      writev(...args);
    };
  }
  return counter;
}

describe('gateway http bridge: sendWebResponse', () => {
  let server: Server;
  let port = 0;
  let respond: (res: ServerResponse) => Promise<void>;

  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      void respond(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** GETs the server, noting when each body chunk arrived (ms since the request). */
  function fetchChunks(): Promise<{ status: number; chunks: Array<{ at: number; text: string }> }> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        const chunks: Array<{ at: number; text: string }> = [];
        res.on('data', (chunk: Buffer) => chunks.push({ at: Date.now() - started, text: chunk.toString('utf8') }));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, chunks }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('sends a body that is complete at once in one socket write', async () => {
    let writes = { count: -1 };
    respond = async (res) => {
      writes = countSocketWrites(res);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('event: message\ndata: {"result":{}}\n\n'));
          controller.close();
        },
      });
      await sendWebResponse(
        res,
        new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
        new AbortController().signal,
      );
    };
    const { status, chunks } = await fetchChunks();
    assert.equal(status, 200);
    assert.equal(chunks.map((chunk) => chunk.text).join(''), 'event: message\ndata: {"result":{}}\n\n');
    assert.equal(writes.count, 1, 'headers, the event and the end of the stream in one write');
  });

  it('delivers each chunk of a stream that stays open as it comes, not at the end', async () => {
    const encoder = new TextEncoder();
    respond = async (res) => {
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode('progress 1\n'));
          await new Promise((resolve) => setTimeout(resolve, 400));
          controller.enqueue(encoder.encode('result\n'));
          controller.close();
        },
      });
      await sendWebResponse(
        res,
        new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
        new AbortController().signal,
      );
    };
    const { chunks } = await fetchChunks();
    assert.equal(chunks.map((chunk) => chunk.text).join(''), 'progress 1\nresult\n');
    const first = chunks.find((chunk) => chunk.text.includes('progress 1'));
    const last = chunks.find((chunk) => chunk.text.includes('result'));
    assert.ok(
      first && last && last.at - first.at >= 300,
      `the first chunk arrived before the second was written (at ${first?.at} and ${last?.at} ms)`,
    );
  });

  it('sends the headers of a silent stream on their own after a moment (clients time out waiting for headers)', async () => {
    let finish: () => void = () => undefined;
    respond = async (res) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          finish = () => controller.close();
        },
      });
      await sendWebResponse(
        res,
        new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
        new AbortController().signal,
      );
    };
    const headersAt = await new Promise<number>((resolve, reject) => {
      const started = Date.now();
      const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        resolve(Date.now() - started);
        res.resume();
      });
      req.on('error', reject);
      req.end();
    });
    finish();
    assert.ok(headersAt < 2_000, `headers arrived after ${headersAt} ms, while the body was still silent`);
  });

  /** POSTs the server, with the answer's content type and body chunks (ms since the request). */
  function post(): Promise<{ type: string; headersAt: number; chunks: Array<{ at: number; text: string }> }> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/', method: 'POST', agent: false }, (res) => {
        const headersAt = Date.now() - started;
        const chunks: Array<{ at: number; text: string }> = [];
        res.on('data', (chunk: Buffer) => chunks.push({ at: Date.now() - started, text: chunk.toString('utf8') }));
        res.on('end', () => resolve({ type: String(res.headers['content-type']), headersAt, chunks }));
      });
      req.on('error', reject);
      req.end('{}');
    });
  }

  /** An SSE body that sends `events` (each after `delay` ms), then ends. */
  function sseAnswer(events: Array<{ delay: number; data: unknown }>): Response {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (const event of events) {
          await new Promise((resolve) => setTimeout(resolve, event.delay));
          controller.enqueue(encoder.encode(`event: message\ndata: ${JSON.stringify(event.data)}\n\n`));
        }
        controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', 'mcp-session-id': 's1' } });
  }

  const RESPONSE = { jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'done' }] } };
  const PROGRESS = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } };

  it('answers a POST whose only event is the response as one application/json body, in one write', async () => {
    let writes = { count: -1 };
    respond = async (res) => {
      writes = countSocketWrites(res);
      await sendWebResponse(res, sseAnswer([{ delay: 20, data: RESPONSE }]), new AbortController().signal, { jsonAnswer: true });
    };
    const { type, chunks } = await post();
    assert.equal(type, 'application/json');
    assert.deepEqual(JSON.parse(chunks.map((chunk) => chunk.text).join('')), RESPONSE);
    assert.equal(writes.count, 1);
  });

  it('keeps a stream when something comes before the response (progress reaches the app as it happens)', async () => {
    respond = async (res) => {
      await sendWebResponse(
        res,
        sseAnswer([
          { delay: 0, data: PROGRESS },
          { delay: 300, data: RESPONSE },
        ]),
        new AbortController().signal,
        { jsonAnswer: true },
      );
    };
    const { type, chunks } = await post();
    assert.equal(type, 'text/event-stream');
    const text = chunks.map((chunk) => chunk.text).join('');
    assert.ok(text.indexOf('notifications/progress') < text.indexOf('"result"'), text);
    const progressAt = chunks.find((chunk) => chunk.text.includes('progress'))?.at ?? Infinity;
    const resultAt = chunks.find((chunk) => chunk.text.includes('"result"'))?.at ?? 0;
    assert.ok(resultAt - progressAt >= 200, `progress at ${progressAt} ms, result at ${resultAt} ms`);
  });

  it('sends the stream headers once the answer has been silent for the wait, then the response as an event', async () => {
    respond = async (res) => {
      await sendWebResponse(res, sseAnswer([{ delay: JSON_ANSWER_WAIT_MS + 400, data: RESPONSE }]), new AbortController().signal, {
        jsonAnswer: true,
      });
    };
    const { type, headersAt, chunks } = await post();
    assert.equal(type, 'text/event-stream');
    assert.ok(headersAt < JSON_ANSWER_WAIT_MS + 300, `headers after ${headersAt} ms`);
    assert.match(chunks.map((chunk) => chunk.text).join(''), /^event: message\ndata: \{"jsonrpc":"2.0","id":7/);
  });

  it('reads a sole response out of one SSE event, and nothing else', () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    assert.equal(soleSseResponse(encode(`event: message\ndata: ${JSON.stringify(RESPONSE)}\n\n`)), JSON.stringify(RESPONSE));
    assert.equal(soleSseResponse(encode(`id: 4\ndata: ${JSON.stringify(RESPONSE)}\n\n`)), JSON.stringify(RESPONSE));
    assert.equal(soleSseResponse(encode(`event: message\ndata: ${JSON.stringify(PROGRESS)}\n\n`)), undefined, 'a notification');
    assert.equal(soleSseResponse(encode(`data: ${JSON.stringify(RESPONSE)}\n\ndata: {}\n\n`)), undefined, 'two events');
    assert.equal(soleSseResponse(encode(`data: ${JSON.stringify(RESPONSE)}\n`)), undefined, 'an unfinished event');
    assert.equal(soleSseResponse(encode(': keepalive\n\n')), undefined, 'a comment');
    assert.equal(soleSseResponse(encode('event: other\ndata: {"id":1,"result":{}}\n\n')), undefined, 'another event type');
  });
});
