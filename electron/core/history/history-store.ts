/**
 * The history store: every sampling decision and gateway tool call in `history.db` (SQLite, see
 * history-db.ts). The renderer reads it a page at a time; counts, usage and the daily token tally
 * are SQL aggregates; export streams; deletes run in batches so the host keeps answering.
 *
 * Appends are queued and written together, one batch per turn of the event loop, by a writer
 * thread with its own connection (history-writer-worker.ts): the host's event loop never waits
 * for a commit, a checkpoint or the search backfill. An append's promise resolves once its batch
 * is committed; a read first hands the queue to the writer and waits (synchronously, on shared
 * memory) until it is committed, so a read always sees every append made before it. If the
 * thread cannot start or dies, the host writes on its own connection (inserts are idempotent by
 * id, so a batch the thread had already committed is not recorded twice).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { HistoryEntry, UsageRow } from '../../../shared/domain.js';
import {
  HISTORY_MAX_PAGE,
  HistoryRetentionSchema,
  type HistoryDetail,
  type HistoryFilter,
  type HistoryKind,
  type HistoryPage,
  type HistoryRetention,
  type HistoryRow,
} from '../../../shared/history.js';
import { openHistoryDb, searchReady, type Db } from './history-db.js';
import { filterSql, ROW_COLUMNS, type RowColumns } from './history-query.js';
import { entryOf, recordOf, type HistoryRecord } from './history-record.js';
import { backfillSearch, insertRecords, mergeSearchIndex } from './history-write.js';
import {
  SIGNAL_BATCH,
  SIGNAL_CHECKPOINTER_CLOSED,
  SIGNAL_WRITER_CLOSED,
  type WriterData,
  type WriterReply,
  type WriterRequest,
} from './history-writer-worker.js';

/** Rows per transaction when deleting, so one delete never holds the host for long. */
const DELETE_BATCH = 2_000;
/** How often appends re-apply a days / entries retention setting. */
const RETENTION_EVERY_MS = 10 * 60_000;

const FULL_COLUMNS = `${ROW_COLUMNS}, b.request_json, b.answer_json, b.meta_json`;

function toRow(columns: RowColumns): HistoryRow {
  const row: HistoryRow = {
    id: columns.id,
    kind: columns.kind as HistoryKind,
    serverName: columns.server,
    decidedAt: columns.decided_at,
    outcome: columns.outcome,
    edits: columns.edits,
    summary: columns.summary,
  };
  if (columns.app !== null) row.app = columns.app;
  if (columns.tool !== null) row.tool = columns.tool;
  if (columns.decision !== null) row.decision = columns.decision as HistoryRow['decision'];
  if (columns.model !== null) row.model = columns.model;
  if (columns.tokens_in !== null) row.inputTokens = columns.tokens_in;
  if (columns.tokens_out !== null) row.outputTokens = columns.tokens_out;
  if (columns.cost_usd !== null) row.costUsd = columns.cost_usd;
  if (columns.latency_ms !== null) row.latencyMs = columns.latency_ms;
  return row;
}

/** What export and detail need beyond the row. */
interface FullColumns extends RowColumns {
  request_json: string;
  answer_json: string;
  meta_json: string;
}

function detailOf(columns: FullColumns): HistoryDetail {
  return {
    row: toRow(columns),
    entry: entryOf(JSON.parse(columns.meta_json), JSON.parse(columns.request_json), JSON.parse(columns.answer_json)),
  };
}

interface QueuedAppend {
  record: HistoryRecord;
  resolve: (row: HistoryRow) => void;
  reject: (error: unknown) => void;
}

/** How long a read waits for the writer thread before writing on the host's connection instead. */
const WRITER_WAIT_MS = 10_000;

/**
 * The writer thread's script: built next to the bundle (dist/electron/history-writer.cjs, also
 * inside app.asar: Electron loads worker scripts from the asar), or the source under tsx.
 */
function writerScript(): string | undefined {
  for (const file of ['history-writer.cjs', 'history-writer-worker.ts']) {
    const script = path.join(__dirname, file);
    if (existsSync(script)) return script;
  }
  return undefined;
}

/** The writer and checkpointer threads, and the shared memory the host waits on. */
class WriterThreads {
  readonly signal = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  readonly replies: MessagePort;
  readonly writer: Worker;
  readonly checkpointer: Worker;

  constructor(script: string, file: string) {
    const channel = new MessageChannel();
    this.replies = channel.port1;
    const data = (role: WriterData['role'], replies?: MessagePort): WriterData => ({
      role,
      file,
      signal: this.signal.buffer,
      replies,
    });
    // The source (tests, bench under tsx) is loaded through tsx's require hook; the built .cjs directly.
    const start = (workerData: WriterData, transferList: MessagePort[] = []) =>
      script.endsWith('.ts')
        ? new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(script)});`, {
            eval: true,
            workerData,
            transferList,
          })
        : new Worker(script, { workerData, transferList });
    this.writer = start(data('writer', channel.port2), [channel.port2]);
    this.checkpointer = start(data('checkpointer'));
    // An open history does not keep the process alive (a host that quits closes it first).
    for (const handle of [this.writer, this.checkpointer, this.replies]) handle.unref();
  }

  post(request: WriterRequest): void {
    this.writer.postMessage(request);
  }

  /** Waits until `index` of the signal reaches `value`; false when it did not in time. */
  waitFor(index: number, value: number, timeoutMs = WRITER_WAIT_MS): boolean {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = Atomics.load(this.signal, index);
      if (now >= value) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      if (!this.canWait) continue;
      try {
        Atomics.wait(this.signal, index, now, left);
      } catch {
        // A runtime that forbids blocking waits on this thread (Node allows it on the main thread;
        // an embedder may not): the loop polls the signal instead, for the same short while.
        this.canWait = false;
      }
    }
  }

  private canWait = true;

  close(): void {
    this.writer.postMessage({ type: 'close' } satisfies WriterRequest);
    this.checkpointer.postMessage({ type: 'close' } satisfies WriterRequest);
    this.waitFor(SIGNAL_WRITER_CLOSED, 1);
    this.waitFor(SIGNAL_CHECKPOINTER_CLOSED, 1);
    this.replies.close();
  }
}

export interface StoreOptions {
  /** false: write on the host's connection (tests of that path). */
  writerThread?: boolean;
  /** The thread's script, when not beside this module (tests of the built file). */
  writerScript?: string;
}

export class HistoryStore {
  readonly file: string;
  /** The feature applies retention when it opens the store; appends re-apply it now and then. */
  private lastRetention = Date.now();
  /** Appends waiting for the next write (see the file comment). */
  private queue: QueuedAppend[] = [];
  private writeScheduled = false;
  /** Batches handed to the writer thread and not yet answered, by number. */
  private readonly inFlight = new Map<number, QueuedAppend[]>();
  private lastBatch = 0;
  private threads: WriterThreads | undefined;
  /** Set once every entry is in the v3 search index (it never goes back). */
  private searchComplete = false;

  private constructor(
    private readonly db: Db,
    file: string,
    options: StoreOptions = {},
  ) {
    this.file = file;
    const script = options.writerThread === false ? undefined : (options.writerScript ?? writerScript());
    if (script) {
      try {
        this.threads = new WriterThreads(script, file);
        // The checkpointer thread folds the WAL; a commit on this connection must not do it here.
        this.db.exec('PRAGMA wal_autocheckpoint = 0');
        this.threads.replies.on('message', (reply: WriterReply) => this.onReply(reply));
        // Adding a 'message' listener refs a port again. The process stays up only while a batch
        // waits for its reply (writeQueued refs, onReply unrefs): an idle open history, say one a
        // failed test never closed, must not keep it alive.
        this.threads.replies.unref();
        for (const thread of [this.threads.writer, this.threads.checkpointer]) {
          thread.on('error', () => this.writerGone());
          thread.on('exit', () => this.writerGone());
        }
      } catch {
        this.threads = undefined;
      }
    }
    if (!this.threads) this.backfillHere();
  }

  /** Opens (creating and migrating) `history.db` in the data folder. */
  private closed = false;

  static open(dataDir: string, options?: StoreOptions): HistoryStore {
    const file = path.join(dataDir, 'history.db');
    return new HistoryStore(openHistoryDb(file), file, options);
  }

  /** Records an entry of any kind; resolves with its row once it is committed to the WAL. */
  append(entry: HistoryEntry): Promise<HistoryRow> {
    // A request settled while the host quits: say so instead of a driver error about a closed handle.
    if (this.closed) return Promise.reject(new Error('The history is closed (Sluice is quitting): this entry was not recorded'));
    const record = recordOf(entry);
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (this.writeScheduled) return;
      this.writeScheduled = true;
      setImmediate(() => this.writeQueued());
    });
  }

  /** Hands every queued append to the writer thread as one batch (or writes it here without one). */
  private writeQueued(): void {
    this.writeScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    if (this.threads) {
      const number = ++this.lastBatch;
      this.inFlight.set(number, batch);
      this.threads.replies.ref();
      this.threads.post({ type: 'insert', batch: number, records: batch.map((queued) => queued.record) });
    } else {
      this.writeHere(batch);
    }
    if (Date.now() - this.lastRetention > RETENTION_EVERY_MS) void this.applyRetention().catch(() => undefined);
  }

  /** Writes a batch on this connection and settles its appends. */
  private writeHere(batch: QueuedAppend[]): void {
    try {
      insertRecords(
        this.db,
        batch.map((queued) => queued.record),
      );
    } catch (error) {
      for (const queued of batch) queued.reject(error);
      return;
    }
    for (const queued of batch) queued.resolve(queued.record.row);
  }

  private onReply(reply: WriterReply): void {
    if (reply.type === 'searchReady') {
      this.searchComplete = true;
      return;
    }
    const batch = this.inFlight.get(reply.batch);
    if (!batch) return;
    this.inFlight.delete(reply.batch);
    if (this.inFlight.size === 0) this.threads?.replies.unref();
    if (reply.type === 'inserted') for (const queued of batch) queued.resolve(queued.record.row);
    else {
      const error = Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {});
      for (const queued of batch) queued.reject(error);
    }
  }

  /** Every append made so far committed (a read sees them): waits for the writer thread if needed. */
  private sync(): void {
    this.writeQueued();
    const threads = this.threads;
    if (!threads || this.inFlight.size === 0) return;
    if (threads.waitFor(SIGNAL_BATCH, this.lastBatch)) {
      for (let message = receiveMessageOnPort(threads.replies); message; message = receiveMessageOnPort(threads.replies)) {
        this.onReply(message.message as WriterReply);
      }
    }
    // Answered batches are settled; whatever is left the thread did not answer in time.
    if (this.inFlight.size > 0) this.writerGone();
  }

  /** The writer thread failed or stopped: what it had not answered is written here, and so is everything after. */
  private writerGone(): void {
    if (!this.threads || this.closed) return;
    const threads = this.threads;
    this.threads = undefined;
    void threads.writer.terminate();
    void threads.checkpointer.terminate();
    threads.replies.close();
    this.db.exec('PRAGMA wal_autocheckpoint = 1000');
    const batches = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const batch of batches) this.writeHere(batch);
    this.backfillHere();
  }

  /** Without a writer thread, the v3 search backfill (and the merge after it) runs here, a slice per turn of the event loop. */
  private backfillHere(): void {
    const step = () => {
      if (this.closed || this.threads) return;
      try {
        if (backfillSearch(this.db, 10) || mergeSearchIndex(this.db, 16)) setImmediate(step).unref();
      } catch {
        setTimeout(step, 1_000).unref();
      }
    };
    setImmediate(step).unref();
  }

  /** True while appends are written by the writer thread (false: on the host's connection). */
  get writesOnThread(): boolean {
    return this.threads !== undefined;
  }

  /** Which search index is complete (history-query.ts). */
  private searchIndex(): 'search' | 'legacy' {
    if (!this.searchComplete) this.searchComplete = searchReady(this.db);
    return this.searchComplete ? 'search' : 'legacy';
  }

  /**
   * Runs a query on the complete search index. The writer thread drops v2's index right after it
   * finishes v3's, so a query that chose v2's a moment before can find it gone: it runs again on
   * v3's, which is complete by then (the drop only ever follows completion).
   */
  private withSearchIndex<T>(run: (index: 'search' | 'legacy') => T): T {
    const index = this.searchIndex();
    try {
      return run(index);
    } catch (error) {
      if (index !== 'legacy' || !String((error as Error).message).includes('no such table: history_fts')) throw error;
      this.searchComplete = true;
      return run('search');
    }
  }

  /** True once a migrated file's entries are all in the v3 search index (the bench waits for it). */
  searchIsComplete(): boolean {
    return this.searchIndex() === 'search';
  }

  /** Inserts records in one transaction on the host's connection (the one-time import); an id already present is kept. */
  insertAll(records: readonly HistoryRecord[]): number {
    this.sync();
    return insertRecords(this.db, records);
  }

  /** One page, newest first. `next` is the cursor of the following (older) page. */
  page(filter: HistoryFilter, cursor: string | undefined, limit: number): HistoryPage {
    this.sync();
    const size = Math.min(Math.max(1, limit), HISTORY_MAX_PAGE);
    const before = cursor !== undefined && /^\d+$/.test(cursor) ? Number(cursor) : undefined;
    const columns = this.withSearchIndex((index) => {
      const sql = filterSql(filter, { before, index });
      return this.db.all<RowColumns>(`SELECT ${ROW_COLUMNS} FROM ${sql.from} WHERE ${sql.where} ORDER BY ${sql.seq} DESC LIMIT ?`, [
        ...sql.params,
        size + 1,
      ]);
    });
    const rows = columns.slice(0, size).map(toRow);
    const last = columns[size - 1];
    return columns.length > size && last ? { rows, next: String(last.seq) } : { rows };
  }

  /** How many entries match (the "N of M" in the view, and what a delete would remove). */
  count(filter: HistoryFilter, upTo?: number): number {
    this.sync();
    return this.withSearchIndex((index) => {
      const sql = filterSql(filter, { upTo, index });
      if (sql.where === '1') return this.db.value<number>('SELECT entries AS value FROM history_total WHERE id = 1') ?? 0;
      if (sql.searchOnly) {
        const { from, where, params } = sql.searchOnly;
        return this.db.value<number>(`SELECT count(*) AS value FROM ${from} WHERE ${where}`, params) ?? 0;
      }
      return this.db.value<number>(`SELECT count(*) AS value FROM ${sql.from} WHERE ${sql.where}`, sql.params) ?? 0;
    });
  }

  /** The newest seq: a delete confirmed for "these N entries" removes nothing recorded after it. */
  newestSeq(): number {
    this.sync();
    return this.db.value<number>('SELECT max(seq) AS value FROM history') ?? 0;
  }

  /** One entry with its full request and answer, or undefined when it is gone. */
  get(id: string): HistoryDetail | undefined {
    this.sync();
    const columns = this.db.get<FullColumns>(`SELECT ${FULL_COLUMNS} FROM history h JOIN history_body b ON b.seq = h.seq WHERE h.id = ?`, [
      id,
    ]);
    return columns ? detailOf(columns) : undefined;
  }

  /** The full entries matching a filter, newest first, `batch` at a time (export). */
  async *entries(filter: HistoryFilter, batch = 500): AsyncGenerator<HistoryDetail[]> {
    let before: number | undefined;
    this.sync();
    for (;;) {
      // A turn of the event loop between batches: the host keeps answering during a long export.
      await new Promise((resolve) => setImmediate(resolve));
      const columns = this.withSearchIndex((index) => {
        const sql = filterSql(filter, { before, index });
        return this.db.all<FullColumns>(
          `SELECT ${FULL_COLUMNS} FROM ${sql.from} JOIN history_body b ON b.seq = h.seq WHERE ${sql.where} ORDER BY ${sql.seq} DESC LIMIT ?`,
          [...sql.params, batch],
        );
      });
      if (columns.length === 0) return;
      yield columns.map(detailOf);
      if (columns.length < batch) return;
      before = columns[columns.length - 1]!.seq;
    }
  }

  /** The values the filter menus offer: servers, apps, tools (of one server when given) and models seen in the history. */
  facets(serverName?: string): { servers: string[]; apps: string[]; tools: string[]; models: string[] } {
    this.sync();
    const values = (field: string) =>
      this.db
        .all<{ value: string }>('SELECT value FROM history_facets WHERE field = ? ORDER BY value LIMIT 1000', [field])
        .map((r) => r.value);
    const tools = (
      serverName === undefined
        ? this.db.all<{ value: string }>('SELECT DISTINCT tool AS value FROM history_tool_facets ORDER BY tool LIMIT 1000')
        : this.db.all<{ value: string }>('SELECT tool AS value FROM history_tool_facets WHERE server = ? ORDER BY tool LIMIT 1000', [
            serverName,
          ])
    ).map((r) => r.value);
    return { servers: values('server'), apps: values('app'), tools, models: values('model') };
  }

  /** Requests, tokens and cost per server per local day (sampling), newest day first, from the running tally. */
  usage(maxRows = 1_000): UsageRow[] {
    this.sync();
    return this.db
      .all<{ day: string; server: string; requests: number; sent: number; tokens_in: number; tokens_out: number; cost_usd: number }>(
        'SELECT day, server, requests, sent, tokens_in, tokens_out, cost_usd FROM usage_daily ORDER BY day DESC, server LIMIT ?',
        [maxRows],
      )
      .map((r) => ({
        serverName: r.server,
        day: r.day,
        requests: r.requests,
        sent: r.sent,
        inputTokens: r.tokens_in,
        outputTokens: r.tokens_out,
        costUsd: r.cost_usd,
      }));
  }

  /** Tokens a server's sampling used on a local day (what its daily budget counts). */
  tokensOn(serverName: string, day: string): number {
    this.sync();
    return (
      this.db.value<number>('SELECT tokens_in + tokens_out AS value FROM usage_daily WHERE day = ? AND server = ?', [day, serverName]) ?? 0
    );
  }

  /**
   * Deletes the entries matching `filter` (only those up to `upTo`, the newest seq when the user
   * saw the count), in batches with a turn of the event loop between them. Returns how many.
   */
  async delete(filter: HistoryFilter, upTo = this.newestSeq()): Promise<number> {
    this.sync();
    let deleted = 0;
    for (;;) {
      const { changes } = this.withSearchIndex((index) => {
        const sql = filterSql(filter, { upTo, index });
        return this.db.transaction(() =>
          this.db.run(`DELETE FROM history WHERE seq IN (SELECT ${sql.seq} FROM ${sql.from} WHERE ${sql.where} LIMIT ?)`, [
            ...sql.params,
            DELETE_BATCH,
          ]),
        );
      });
      deleted += changes;
      if (changes < DELETE_BATCH) return deleted;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  retention(): HistoryRetention {
    const stored = this.db.value<string>("SELECT value FROM settings WHERE key = 'retention'");
    const parsed = stored ? HistoryRetentionSchema.safeParse(JSON.parse(stored)) : undefined;
    return parsed?.success ? parsed.data : { mode: 'all' };
  }

  /** Stores the setting and applies it at once; returns how many entries it removed. */
  async setRetention(retention: HistoryRetention): Promise<number> {
    this.db.run("INSERT INTO settings (key, value) VALUES ('retention', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [
      JSON.stringify(retention),
    ]);
    return this.applyRetention();
  }

  /** Removes what the retention setting no longer keeps; returns how many entries. */
  async applyRetention(now = Date.now()): Promise<number> {
    this.lastRetention = now;
    const retention = this.retention();
    if (retention.mode === 'days') return this.delete({ to: now - retention.days * 86_400_000 });
    if (retention.mode === 'entries') {
      // The newest entry that no longer fits; it and everything older go.
      const cut = this.db.value<number>('SELECT seq AS value FROM history ORDER BY seq DESC LIMIT 1 OFFSET ?', [retention.entries]);
      return cut === undefined ? 0 : this.delete({}, cut);
    }
    return 0;
  }

  /** Writes the queued appends now (quitting, tests). */
  flush(): Promise<void> {
    this.sync();
    return Promise.resolve();
  }

  /** Closing twice is fine (quitting from two places, tests); the second does nothing. */
  close(): void {
    if (this.closed) return;
    this.sync();
    this.closed = true;
    try {
      this.threads?.close();
      this.threads = undefined;
      // Keeps the planner's statistics current for the next start (cheap when they are).
      this.db.exec('PRAGMA optimize');
    } finally {
      this.db.close();
    }
  }
}
