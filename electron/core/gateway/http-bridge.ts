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

/**
 * How long a response may stay silent before its headers are sent on their own. Until then they
 * wait for the first chunk and leave in the same write (one packet for a quick answer), but not
 * forever: an app's HTTP client gives up on a response whose headers never come (undici: 300 s),
 * and a call can wait on the user far longer.
 */
const HEADERS_ALONE_AFTER_MS = 100;

/** Resolves after the current turn of the event loop (whatever is ready now has run). */
const nextTurn = () => new Promise<undefined>((resolve) => setImmediate(resolve, undefined));

/**
 * Writes `response` to `res`, streaming its body (SSE) until it ends or the client goes away.
 *
 * Chunks that are ready together leave in one write: socket writes are the costly part of a
 * forwarded call, and a quick answer (its result event and the stream's end, with the headers)
 * then costs one instead of three. A stream that stays open (progress, a long call) is still
 * flushed as each chunk arrives: the socket is uncorked as soon as nothing more is ready.
 */
export async function sendWebResponse(res: ServerResponse, response: Response, gone: AbortSignal): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  gone.addEventListener('abort', cancel, { once: true });
  // (`res.headersSent` cannot tell: it is true once writeHead has run, before anything is sent.)
  let wroteChunk = false;
  const headersAlone = setTimeout(() => {
    if (!wroteChunk) res.flushHeaders();
  }, HEADERS_ALONE_AFTER_MS);
  try {
    let next = reader.read();
    for (;;) {
      const { done, value } = await next;
      if (done) break;
      wroteChunk = true;
      res.cork();
      res.write(value);
      next = reader.read();
      // The stream's end (or the next chunk) is usually ready at once: keep it in this write.
      const ready = await Promise.race([next.then((chunk) => chunk.done, () => true), nextTurn()]);
      if (ready === true) break; // end() below uncorks: chunk, terminator and headers in one write
      res.uncork();
    }
  } catch {
    // The client went away mid-stream.
  } finally {
    clearTimeout(headersAlone);
    gone.removeEventListener('abort', cancel);
  }
  res.end();
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(`${text}\n`);
}
