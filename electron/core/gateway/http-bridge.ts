/**
 * node:http ↔ web-standard Request/Response, for the SDK's fetch-shaped server entry points.
 * The body is read with a size bound before anything parses it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLargeError extends Error {}

/** Reads the request body, refusing (without buffering more) once it passes `maxBytes`. */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      request.destroy();
      throw new BodyTooLargeError(`Request body over ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function toWebRequest(request: IncomingMessage, body: Buffer | undefined, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const withBody = request.method !== 'GET' && request.method !== 'HEAD' && body && body.length > 0;
  return new Request(`http://${request.headers.host ?? '127.0.0.1'}${request.url ?? '/'}`, {
    method: request.method,
    headers,
    body: withBody ? new Uint8Array(body) : undefined,
    signal,
  });
}

/** Resolves after the current turn of the event loop (whatever is ready now has run). */
const nextTurn = () => new Promise<'later'>((resolve) => setImmediate(resolve, 'later'));

/**
 * How long the answer to a POST may keep its headers back while nothing is ready to send: long
 * enough for most tool calls to finish (they then go out as one JSON body), short enough that no
 * client waiting for headers comes near its timeout (undici's is 300 s, httpx's read timeout 5 s).
 */
export const JSON_ANSWER_WAIT_MS = 500;

/**
 * The JSON-RPC response carried by `chunk` when it is exactly one complete SSE `message` event
 * holding a response (not a notification or request), else undefined.
 */
export function soleSseResponse(chunk: Uint8Array): string | undefined {
  const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
  if (!text.endsWith('\n\n') || text.indexOf('\n\n') !== text.length - 2) return undefined;
  const data: string[] = [];
  for (const line of text.slice(0, -2).split('\n')) {
    if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    else if (line !== 'event: message' && !line.startsWith('id:')) return undefined;
  }
  if (data.length === 0) return undefined;
  const body = data.join('\n');
  try {
    const message = JSON.parse(body) as Record<string, unknown>;
    return 'id' in message && ('result' in message || 'error' in message) && !('method' in message) ? body : undefined;
  } catch {
    return undefined;
  }
}

type Read = ReadableStreamReadResult<Uint8Array>;
/** A body whose read fails is treated as ended (the client went away). */
const STREAM_ENDED: Read = { done: true, value: undefined };

/** Whichever comes first: the read, or `ms` passing ('later'). */
function readWithin(read: Promise<Read>, ms: number): Promise<Read | 'later'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    read,
    new Promise<'later'>((resolve) => {
      timer = setTimeout(resolve, ms, 'later');
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Whether the stream's end is ready now (the read that follows a chunk usually is). */
async function endsNow(next: Promise<Read>): Promise<boolean> {
  const ready = await Promise.race([
    next.then(
      (chunk) => chunk.done,
      () => true,
    ),
    nextTurn(),
  ]);
  return ready === true;
}

/**
 * Writes `response` to `res`, streaming its body (SSE) until it ends or the client goes away.
 *
 * Socket writes and the app's SSE parsing are the costly part of a forwarded call, so:
 *  - The answer to a POST (`jsonAnswer`) keeps its SSE headers back for up to
 *    JSON_ANSWER_WAIT_MS. When the first thing the server has to say is the response itself and
 *    the stream ends with it (a call that sent no progress, log or request on the way), the answer
 *    goes out as `application/json`, which Streamable HTTP allows for any POST: one write, and the
 *    app reads a plain JSON body. Anything said before the response (progress, a sampling request,
 *    a keep-alive) makes it a stream as before, delivered as it comes.
 *  - Otherwise what is ready together leaves in one write (headers, an event and the end of the
 *    stream), and when nothing is ready the headers go ahead on their own after a turn (GET
 *    streams) or after the wait above (POST): an HTTP client gives up on headers that never come.
 */
export async function sendWebResponse(
  res: ServerResponse,
  response: Response,
  gone: AbortSignal,
  options: { jsonAnswer?: boolean } = {},
): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (!response.body) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  gone.addEventListener('abort', cancel, { once: true });
  try {
    let next: Promise<Read> = reader.read();
    const mayAnswerJson = options.jsonAnswer === true && (headers['content-type'] ?? '').startsWith('text/event-stream');
    const first = await readWithin(next, mayAnswerJson ? JSON_ANSWER_WAIT_MS : 0).catch(() => STREAM_ENDED);
    if (first !== 'later' && !first.done && mayAnswerJson) {
      next = reader.read();
      const json = (await endsNow(next)) ? soleSseResponse(first.value) : undefined;
      if (json !== undefined) {
        const {
          'content-type': _sse,
          'cache-control': _cache,
          connection: _connection,
          'x-accel-buffering': _buffering,
          ...rest
        } = headers;
        res.writeHead(response.status, { ...rest, 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
        res.end(json);
        return;
      }
      res.writeHead(response.status, headers);
      res.cork();
      res.write(first.value);
      if (await endsNow(next)) return;
      res.uncork();
    } else {
      res.writeHead(response.status, headers);
      if (first === 'later') res.flushHeaders();
      else next = Promise.resolve(first);
    }
    for (;;) {
      const { done, value } = await next;
      if (done) break;
      res.cork();
      res.write(value);
      next = reader.read();
      // The stream's end (or the next chunk) is usually ready at once: keep it in this write.
      if (await endsNow(next)) break; // end() below uncorks: chunk and terminator in one write
      res.uncork();
    }
  } catch {
    // The client went away mid-stream.
  } finally {
    gone.removeEventListener('abort', cancel);
    if (!res.writableEnded) res.end();
  }
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(`${text}\n`);
}
