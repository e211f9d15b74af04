/**
 * The history's writer thread (a worker_thread with its own connection), so the host's event
 * loop never waits for a commit, a checkpoint or the v3 search backfill. Two roles, one file:
 *   - writer: inserts the batches the host posts, in order, each in one transaction; after each
 *     it sets the batch number in shared memory (the host can wait for it synchronously: a read
 *     sees every append made before it) and posts the result on the reply port. Between batches
 *     it indexes a migrated file's entries into the v3 search index, ~25 ms at a time, then
 *     merges that index's segments a few pages at a time.
 *   - checkpointer: folds the WAL into the database every second, PASSIVE (it never blocks the
 *     writer, which has automatic checkpoints off, so no commit ever waits for one).
 * Both run at a lower CPU priority than the host on Linux (lowerThisThreadsPriority).
 * Built to dist/electron/history-writer.cjs (scripts/build.mjs); loaded from source under tsx.
 */
import os from 'node:os';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { connectHistoryDb } from './history-db.js';
import type { HistoryRecord } from './history-record.js';
import { backfillSearch, insertRecords, mergeSearchIndex } from './history-write.js';

export interface WriterData {
  role: 'writer' | 'checkpointer';
  file: string;
  /** Int32Array view: [0] last batch done (committed or failed), [1] writer closed, [2] checkpointer closed. */
  signal: SharedArrayBuffer;
  /** The writer's replies (the host can also read them synchronously, receiveMessageOnPort). */
  replies?: MessagePort;
}

export type WriterRequest = { type: 'insert'; batch: number; records: HistoryRecord[] } | { type: 'close' };
export type WriterReply =
  { type: 'inserted'; batch: number } | { type: 'failed'; batch: number; message: string; code?: string } | { type: 'searchReady' };

export const SIGNAL_BATCH = 0;
export const SIGNAL_WRITER_CLOSED = 1;
export const SIGNAL_CHECKPOINTER_CLOSED = 2;
const CHECKPOINT_EVERY_MS = 1_000;
/** How much nicer than the host the history's threads run, on Linux (see lowerThisThreadsPriority). */
export const WRITER_THREAD_NICENESS = 10;

/**
 * The history's threads give way to everything else: on a machine with few cores a commit
 * (~0.3 ms of CPU) that runs while a forwarded call's answer is travelling takes a core the relay,
 * the app or the server needed next, and measurably slowed the gateway's calls (bench/RESULTS.md
 * §4). On Linux a nice value belongs to a thread (setpriority on "process 0" sets the calling
 * thread's), so this lowers only this thread. Elsewhere the same call would lower the whole host
 * (macOS: every thread; Windows: the process's priority class), so nothing is changed there.
 * Relative to the host's own nice value: an unprivileged thread may only lower itself.
 */
function lowerThisThreadsPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    os.setPriority(Math.min(19, os.getPriority() + WRITER_THREAD_NICENESS));
  } catch {
    // Not allowed here (a sandbox's seccomp filter): the thread keeps the host's priority.
  }
}

function signalSet(signal: Int32Array, index: number, value: number): void {
  Atomics.store(signal, index, value);
  Atomics.notify(signal, index);
}

function runWriter({ file, signal: shared, replies }: WriterData & { replies: MessagePort }): void {
  const signal = new Int32Array(shared);
  const db = connectHistoryDb(file);
  db.exec('PRAGMA wal_autocheckpoint = 0');
  let closing = false;
  const merge = () => {
    if (closing) return;
    try {
      if (mergeSearchIndex(db)) setImmediate(merge);
    } catch {
      setTimeout(merge, 1_000);
    }
  };
  const backfill = () => {
    if (closing) return;
    try {
      if (backfillSearch(db)) setImmediate(backfill);
      else {
        replies.postMessage({ type: 'searchReady' } satisfies WriterReply);
        setImmediate(merge);
      }
    } catch {
      // Busy (a long delete on the host's connection) or a disk error: try again later; searches
      // keep using v2's index meanwhile.
      setTimeout(backfill, 1_000);
    }
  };
  parentPort!.on('message', (request: WriterRequest) => {
    if (request.type === 'close') {
      closing = true;
      try {
        db.close({ checkpoint: false });
      } finally {
        signalSet(signal, SIGNAL_WRITER_CLOSED, 1);
        parentPort!.close();
        replies.close();
      }
      return;
    }
    let reply: WriterReply;
    try {
      insertRecords(db, request.records);
      reply = { type: 'inserted', batch: request.batch };
    } catch (error) {
      const { message, code } = error as { message?: string; code?: unknown };
      reply = { type: 'failed', batch: request.batch, message: String(message), code: typeof code === 'string' ? code : undefined };
    }
    // The reply first: a host waiting on the signal then finds it on the port.
    replies.postMessage(reply);
    signalSet(signal, SIGNAL_BATCH, request.batch);
  });
  setImmediate(backfill);
}

function runCheckpointer({ file, signal: shared }: WriterData): void {
  const signal = new Int32Array(shared);
  const db = connectHistoryDb(file);
  db.exec('PRAGMA wal_autocheckpoint = 0');
  const timer = setInterval(() => {
    try {
      db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or a disk error: the next tick tries again, and the host's close folds the WAL.
    }
  }, CHECKPOINT_EVERY_MS);
  parentPort!.on('message', (request: WriterRequest) => {
    if (request.type !== 'close') return;
    clearInterval(timer);
    try {
      db.close({ checkpoint: false });
    } finally {
      signalSet(signal, SIGNAL_CHECKPOINTER_CLOSED, 1);
      parentPort!.close();
    }
  });
}

if (parentPort) {
  const data = workerData as WriterData;
  lowerThisThreadsPriority();
  if (data.role === 'writer' && data.replies) runWriter({ ...data, replies: data.replies });
  else runCheckpointer(data);
}
