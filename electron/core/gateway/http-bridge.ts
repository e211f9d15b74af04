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
 * Writes `response` to `res`, streaming its body (SSE) until it ends or the client goes away.
 *
 * Socket writes are the costly part of a forwarded call, so what is ready together leaves in one
 * write: an answer that is complete at once (headers, body and the end of the stream) is one
 * write, not three. When the body is not ready at once (a call the server is still working on),
 * the headers go ahead on their own: the app's HTTP client sets up its stream reader while it
 * waits (and it would give up on headers that never come: undici's limit is 300 s). Every chunk
 * of a stream that stays open (progress) is still flushed as it arrives.
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
  try {
    let next = reader.read();
    if (
      (await Promise.race([
        next.then(
          () => 'now' as const,
          () => 'now' as const,
        ),
        nextTurn(),
      ])) === 'later'
    )
      res.flushHeaders();
    for (;;) {
      const { done, value } = await next;
      if (done) break;
      res.cork();
      res.write(value);
      next = reader.read();
      // The stream's end (or the next chunk) is usually ready at once: keep it in this write.
      const ready = await Promise.race([
        next.then(
          (chunk) => chunk.done,
          () => true,
        ),
        nextTurn(),
      ]);
      if (ready === true) break; // end() below uncorks: chunk and terminator in one write
      res.uncork();
    }
  } catch {
    // The client went away mid-stream.
  } finally {
    gone.removeEventListener('abort', cancel);
  }
  res.end();
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(`${text}\n`);
}
