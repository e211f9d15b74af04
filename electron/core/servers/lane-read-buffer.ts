/**
 * The line reader of an SDK stdio transport, with a lane: messages the gateway's fast paths answer
 * are handed to them as parsed JSON, and only the rest is validated by the SDK's schema.
 *
 * Why: the SDK's own reader validates every message against the whole JSON-RPC schema (zod) before
 * anyone sees it. For a forwarded tool call that was a fifth of the host's busy time, on both of
 * its sides (bench/RESULTS.md §4), and bought nothing: the lanes (relay-calls.ts on the app's side,
 * transport-calls.ts on the server's) check every field they use themselves, and pass the server's
 * result on as it came for the app to validate. Everything a lane leaves goes through the SDK's
 * `parseJSONRPCMessage`, so the SDK's client and server get exactly what its reader gave them.
 *
 * Otherwise it reads as the SDK's `ReadBuffer` does: newline-delimited JSON, a trailing `\r`
 * dropped, a line that is not JSON skipped, more than `maxBufferSize` bytes without a newline an
 * error (the transport then closes).
 */
import { isPlainObject } from '../../../shared/json-value.js';

/** Takes a message (a JSON object with `jsonrpc: "2.0"`, not validated otherwise) and answers whether it did. */
export type Lane = (message: Record<string, unknown>) => boolean;

export class LaneReadBuffer<M> {
  private buffer: Buffer | undefined;
  /** Set by the lane once it can answer; until then every message is validated and delivered. */
  lane: Lane | undefined;

  constructor(
    private readonly maxBufferSize: number,
    /** The SDK's validation (`parseJSONRPCMessage`): throws on a message that breaks the schema. */
    private readonly validate: (value: unknown) => M,
  ) {}

  append(chunk: Buffer): void {
    if ((this.buffer?.length ?? 0) + chunk.length > this.maxBufferSize) {
      this.clear();
      throw new Error(`ReadBuffer exceeded maximum size of ${this.maxBufferSize} bytes`);
    }
    this.buffer = this.buffer ? Buffer.concat([this.buffer, chunk]) : chunk;
  }

  /** The next message for the SDK, or null when no whole line is left. Messages the lane takes are not returned. */
  readMessage(): M | null {
    while (this.buffer) {
      const end = this.buffer.indexOf(0x0a);
      if (end === -1) return null;
      const line = this.buffer.toString('utf8', 0, end).replace(/\r$/, '');
      this.buffer = this.buffer.subarray(end + 1);
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue;
      }
      if (this.lane && isPlainObject(value) && value.jsonrpc === '2.0' && this.lane(value)) continue;
      return this.validate(value);
    }
    return null;
  }

  clear(): void {
    this.buffer = undefined;
  }
}

const readers = new WeakMap<object, LaneReadBuffer<unknown>>();

/**
 * Puts a LaneReadBuffer in place of the reader of an SDK stdio transport that has not started yet
 * (`sdkReader` is that SDK's `ReadBuffer` class: the swap is made only when the transport holds
 * one, so an SDK that reads differently keeps its own reader and the lanes read from `onmessage`).
 */
export function installLaneReader<M>(
  transport: object,
  sdkReader: abstract new (...args: never[]) => unknown,
  validate: (value: unknown) => M,
  maxBufferSize: number,
): LaneReadBuffer<M> | undefined {
  const holder = transport as { _readBuffer?: unknown };
  if (!(holder._readBuffer instanceof sdkReader)) return undefined;
  const reader = new LaneReadBuffer(maxBufferSize, validate);
  holder._readBuffer = reader;
  readers.set(transport, reader);
  return reader;
}

/** The lane reader installLaneReader() gave `transport`, if any. */
export function laneReaderOf(transport: object): LaneReadBuffer<unknown> | undefined {
  return readers.get(transport);
}

/**
 * Offers every message of `transport` to `lane` first; what it does not take goes on as before.
 * On the transport's lane reader when it has one (before the SDK validates anything), else in
 * `onmessage` (after: an HTTP transport, or an SDK that reads differently), so call this once the
 * SDK has installed its own `onmessage`.
 */
export function attachLane<M extends object, R extends unknown[]>(
  transport: { onmessage?: (message: M, ...rest: R) => void },
  lane: Lane,
): void {
  const reader = readers.get(transport);
  if (reader) {
    reader.lane = lane;
    return;
  }
  const receive = transport.onmessage;
  transport.onmessage = (message, ...rest) => {
    if (!lane(message as Record<string, unknown>)) receive?.(message, ...rest);
  };
}
