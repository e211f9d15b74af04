/**
 * Requests the gateway forwards to a 2025-era server, sent on the connection's transport itself
 * rather than through the SDK client's request machinery.
 *
 * Why: a forwarded `tools/call` needs none of what the client's funnel does for Sluice's own calls
 * (decode the result against the era's schema, check structured content against the tool's output
 * schema, compile and cache that check): the app at the other end validates what it receives, and
 * the server's answer must reach it unchanged. On the gateway's hot path that work was a large
 * share of what the gateway added to a call (bench/RESULTS.md §4).
 *
 * What the client's funnel does that a forwarded request still needs is done here: an id of our
 * own (a string, `sluice-…`, which the SDK's numeric ids never collide with), the app's progress
 * under a token of ours (two apps may both use token 1 on one server), a timeout that progress
 * resets, `notifications/cancelled` when the caller gives up, and every waiting request settled
 * when the connection closes. Responses, errors and progress for our ids are taken off the
 * transport before the SDK client sees them (by the transport's lane reader, lane-read-buffer.ts,
 * before the SDK validates them, when it has one); everything else passes to it untouched.
 */
import { ProtocolError, SdkError, SdkErrorCode, type Progress, type Transport } from '@modelcontextprotocol/client';
import { isPlainObject } from '../../../shared/json-value.js';
import { attachLane } from './lane-read-buffer.js';

type Message = Parameters<NonNullable<Transport['onmessage']>>[0];

export interface TransportCallOptions {
  signal: AbortSignal;
  /** Ends the wait (and cancels at the server) after this long without an answer or progress. */
  timeoutMs: number;
  onprogress?: (progress: Progress) => void;
}

interface Waiting {
  resolve(result: Record<string, unknown>): void;
  reject(error: Error): void;
  onprogress?: (progress: Progress) => void;
  /** Restarts the timeout (progress arrived). */
  touch(): void;
}

const ID_PREFIX = 'sluice-';

/** What a cancelled request rejects with: the caller's reason (as the SDK client's request does). */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new SdkError(SdkErrorCode.RequestTimeout, String(reason));
}

export class TransportCalls {
  private readonly waiting = new Map<string, Waiting>();
  private nextId = 1;
  private closed = false;

  /** Wraps a connected transport (after `client.connect` and carryCallScope, which install theirs). */
  constructor(private readonly transport: Transport) {
    attachLane(transport, (message) => this.take(message));
    const closed = transport.onclose;
    transport.onclose = () => {
      this.closeAll();
      closed?.();
    };
  }

  /** Sends `method` with `params` and answers the server's result, as it came. */
  request(method: string, params: Record<string, unknown>, options: TransportCallOptions): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'));
    if (options.signal.aborted) return Promise.reject(abortError(options.signal));
    const id = `${ID_PREFIX}${this.nextId++}`;
    const sent = options.onprogress ? { ...params, _meta: { ...(params._meta as object | undefined), progressToken: id } } : params;
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = () => {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
        this.waiting.delete(id);
      };
      const cancel = (reason: unknown, error: Error) => {
        settle();
        this.transport
          .send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: String(reason) } })
          .catch(() => undefined);
        reject(error);
      };
      const onAbort = () => cancel(options.signal.reason, abortError(options.signal));
      const touch = () => {
        clearTimeout(timer);
        timer = setTimeout(
          () => cancel('Request timed out', new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out', { timeout: options.timeoutMs })),
          options.timeoutMs,
        );
      };
      this.waiting.set(id, {
        resolve: (result) => {
          settle();
          resolve(result);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        onprogress: options.onprogress,
        touch,
      });
      options.signal.addEventListener('abort', onAbort, { once: true });
      touch();
      this.transport.send({ jsonrpc: '2.0', id, method, params: sent }).catch((error: unknown) => {
        settle();
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  /**
   * Handles a message meant for one of our requests; answers whether it was one. The message may
   * not have been validated (the lane reader): every field used is checked here.
   */
  private take(message: Message | Record<string, unknown>): boolean {
    const { id, method, params } = message as { id?: unknown; method?: unknown; params?: unknown };
    if (method === 'notifications/progress') {
      const token = isPlainObject(params) ? params.progressToken : undefined;
      const call = typeof token === 'string' ? this.waiting.get(token) : undefined;
      if (!call || !isPlainObject(params)) return false;
      // What the spec's progress notification holds, checked as the SDK client does; nothing else is passed on.
      const { progress, total, message: text } = params;
      if (typeof progress !== 'number' || (total !== undefined && typeof total !== 'number')) return true;
      call.touch();
      call.onprogress?.({
        progress,
        ...(total !== undefined ? { total } : {}),
        ...(typeof text === 'string' ? { message: text } : {}),
      } satisfies Progress);
      return true;
    }
    if (method !== undefined || typeof id !== 'string' || !id.startsWith(ID_PREFIX)) return false;
    const call = this.waiting.get(id);
    if (!call) return true; // answered after we gave up on it: nobody waits
    const { result, error } = message as { result?: unknown; error?: unknown };
    if (isPlainObject(error)) {
      const code = Number.isSafeInteger(error.code) ? (error.code as number) : -32603;
      call.reject(new ProtocolError(code, typeof error.message === 'string' ? error.message : 'Unknown error', error.data));
    } else if (error === undefined && isPlainObject(result)) call.resolve(result);
    else call.reject(new ProtocolError(-32603, 'The server answered with something that is neither a result object nor an error'));
    return true;
  }

  private closeAll(): void {
    this.closed = true;
    for (const call of [...this.waiting.values()]) call.reject(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'));
  }
}
