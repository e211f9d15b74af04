/**
 * The history store: every sampling decision and gateway tool call in `history.db` (SQLite, see
 * history-db.ts). The renderer reads it a page at a time; counts, usage and the daily token tally
 * are SQL aggregates; export streams; deletes run in batches so the host keeps answering.
 *
 * Appends are queued and written together, one transaction per turn of the event loop: 50 servers
 * recording at once cost one commit, not 50 (each commit is a WAL append, and every thousandth
 * page a checkpoint). An append's promise resolves once its transaction is committed, and every
 * read writes what is queued first, so a read always sees every append made before it.
 */
import path from 'node:path';
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
import { localDay } from '../sampling/usage.js';
import { openHistoryDb, type Db } from './history-db.js';
import { filterSql, ROW_COLUMNS, type RowColumns } from './history-query.js';
import { entryOf, recordOf, type HistoryRecord } from './history-record.js';

/** Rows per transaction when deleting, so one delete never holds the host for long. */
const DELETE_BATCH = 2_000;
/** How often appends re-apply a days / entries retention setting. */
const RETENTION_EVERY_MS = 10 * 60_000;

const INSERT = `INSERT OR IGNORE INTO history (id, kind, server, app, tool, mcp_request_id, received_at, decided_at, day, outcome,
  decision, model, provider, tokens_in, tokens_out, cost_usd, latency_ms, edits, summary)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_BODY = 'INSERT INTO history_body (seq, request_json, answer_json, meta_json) VALUES (?, ?, ?, ?)';
const FULL_COLUMNS = `${ROW_COLUMNS}, b.request_json, b.answer_json, b.meta_json`;

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

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

export class HistoryStore {
  readonly file: string;
  /** The feature applies retention when it opens the store; appends re-apply it now and then. */
  private lastRetention = Date.now();
  /** Appends waiting for the next write (see the file comment). */
  private queue: QueuedAppend[] = [];
  private writeScheduled = false;

  private constructor(
    private readonly db: Db,
    file: string,
  ) {
    this.file = file;
  }

  /** Opens (creating and migrating) `history.db` in the data folder. */
  private closed = false;

  static open(dataDir: string): HistoryStore {
    const file = path.join(dataDir, 'history.db');
    return new HistoryStore(openHistoryDb(file), file);
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

  /** Writes every queued append in one transaction. */
  private writeQueued(): void {
    this.writeScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      this.insertAll(batch.map((queued) => queued.record));
    } catch (error) {
      for (const queued of batch) queued.reject(error);
      return;
    }
    for (const queued of batch) queued.resolve(queued.record.row);
    if (Date.now() - this.lastRetention > RETENTION_EVERY_MS) void this.applyRetention().catch(() => undefined);
  }

  /** Inserts records in one transaction; an id already present is kept as it is (imports can re-run). */
  insertAll(records: readonly HistoryRecord[]): number {
    return this.db.transaction(() => {
      let added = 0;
      for (const { row, receivedAt, provider, mcpRequestId, request, answer, meta, text } of records) {
        const { changes, lastInsertRowid } = this.db.run(INSERT, [
          row.id,
          row.kind,
          row.serverName,
          orNull(row.app),
          orNull(row.tool),
          orNull(mcpRequestId),
          orNull(receivedAt),
          row.decidedAt,
          localDay(row.decidedAt),
          row.outcome,
          orNull(row.decision),
          orNull(row.model),
          orNull(provider),
          orNull(row.inputTokens),
          orNull(row.outputTokens),
          orNull(row.costUsd),
          orNull(row.latencyMs),
          row.edits,
          row.summary,
        ]);
        if (changes === 0) continue;
        const seq = Number(lastInsertRowid);
        this.db.run(INSERT_BODY, [seq, JSON.stringify(request), JSON.stringify(answer), JSON.stringify(meta)]);
        this.db.run('INSERT INTO history_fts (rowid, text) VALUES (?, ?)', [seq, text]);
        added += 1;
      }
      return added;
    });
  }

  /** One page, newest first. `next` is the cursor of the following (older) page. */
  page(filter: HistoryFilter, cursor: string | undefined, limit: number): HistoryPage {
    this.writeQueued();
    const size = Math.min(Math.max(1, limit), HISTORY_MAX_PAGE);
    const before = cursor !== undefined && /^\d+$/.test(cursor) ? Number(cursor) : undefined;
    const sql = filterSql(filter, { before });
    const columns = this.db.all<RowColumns>(`SELECT ${ROW_COLUMNS} FROM ${sql.from} WHERE ${sql.where} ORDER BY ${sql.seq} DESC LIMIT ?`, [
      ...sql.params,
      size + 1,
    ]);
    const rows = columns.slice(0, size).map(toRow);
    const last = columns[size - 1];
    return columns.length > size && last ? { rows, next: String(last.seq) } : { rows };
  }

  /** How many entries match (the "N of M" in the view, and what a delete would remove). */
  count(filter: HistoryFilter, upTo?: number): number {
    this.writeQueued();
    const sql = filterSql(filter, { upTo });
    if (sql.where === '1') return this.db.value<number>('SELECT entries AS value FROM history_total WHERE id = 1') ?? 0;
    return this.db.value<number>(`SELECT count(*) AS value FROM ${sql.from} WHERE ${sql.where}`, sql.params) ?? 0;
  }

  /** The newest seq: a delete confirmed for "these N entries" removes nothing recorded after it. */
  newestSeq(): number {
    this.writeQueued();
    return this.db.value<number>('SELECT max(seq) AS value FROM history') ?? 0;
  }

  /** One entry with its full request and answer, or undefined when it is gone. */
  get(id: string): HistoryDetail | undefined {
    this.writeQueued();
    const columns = this.db.get<FullColumns>(`SELECT ${FULL_COLUMNS} FROM history h JOIN history_body b ON b.seq = h.seq WHERE h.id = ?`, [
      id,
    ]);
    return columns ? detailOf(columns) : undefined;
  }

  /** The full entries matching a filter, newest first, `batch` at a time (export). */
  async *entries(filter: HistoryFilter, batch = 500): AsyncGenerator<HistoryDetail[]> {
    let before: number | undefined;
    this.writeQueued();
    for (;;) {
      // A turn of the event loop between batches: the host keeps answering during a long export.
      await new Promise((resolve) => setImmediate(resolve));
      const sql = filterSql(filter, { before });
      const columns = this.db.all<FullColumns>(
        `SELECT ${FULL_COLUMNS} FROM ${sql.from} JOIN history_body b ON b.seq = h.seq WHERE ${sql.where} ORDER BY ${sql.seq} DESC LIMIT ?`,
        [...sql.params, batch],
      );
      if (columns.length === 0) return;
      yield columns.map(detailOf);
      if (columns.length < batch) return;
      before = columns[columns.length - 1]!.seq;
    }
  }

  /** The values the filter menus offer: servers, apps, tools (of one server when given) and models seen in the history. */
  facets(serverName?: string): { servers: string[]; apps: string[]; tools: string[]; models: string[] } {
    this.writeQueued();
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
    this.writeQueued();
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
    this.writeQueued();
    return (
      this.db.value<number>('SELECT tokens_in + tokens_out AS value FROM usage_daily WHERE day = ? AND server = ?', [day, serverName]) ?? 0
    );
  }

  /**
   * Deletes the entries matching `filter` (only those up to `upTo`, the newest seq when the user
   * saw the count), in batches with a turn of the event loop between them. Returns how many.
   */
  async delete(filter: HistoryFilter, upTo = this.newestSeq()): Promise<number> {
    this.writeQueued();
    const sql = filterSql(filter, { upTo });
    let deleted = 0;
    for (;;) {
      const { changes } = this.db.transaction(() =>
        this.db.run(`DELETE FROM history WHERE seq IN (SELECT ${sql.seq} FROM ${sql.from} WHERE ${sql.where} LIMIT ?)`, [
          ...sql.params,
          DELETE_BATCH,
        ]),
      );
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
    this.writeQueued();
    return Promise.resolve();
  }

  /** Closing twice is fine (quitting from two places, tests); the second does nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.writeQueued();
    try {
      // Keeps the planner's statistics current for the next start (cheap when they are).
      this.db.exec('PRAGMA optimize');
    } finally {
      this.db.close();
    }
  }
}
