/**
 * The history database: one SQLite file (`history.db`) opened through libsql, a Node-API binding
 * with prebuilt per-platform packages on npm (no compile or download at install, and the same
 * binary loads in Node and in Electron's main process). See README "History storage" for why.
 *
 * WAL journal: a commit is one append to the -wal file, so a crash mid-write loses at most the
 * transaction in flight and never an earlier one. `synchronous=NORMAL` survives any crash of the
 * app; only a power cut can lose the last commits (never corrupt the file).
 */
import { chmodSync } from 'node:fs';
import Database from 'libsql';

type Connection = InstanceType<typeof Database>;
type Statement = ReturnType<Connection['prepare']>;
type Param = string | number | null;

/**
 * A thin layer over the connection: cached prepared statements, parameters always passed as one
 * array (libsql reads a lone `null` argument as named parameters), and scalars read by column
 * name (libsql's `pluck()` only applies to `all()`, and its rows carry a `_metadata` field).
 */
export class Db {
  private readonly statements = new Map<string, Statement>();

  constructor(readonly connection: Connection) {}

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.connection.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  run(sql: string, params: Param[] = []): { changes: number; lastInsertRowid: number | bigint } {
    return this.statement(sql).run(params);
  }

  all<T>(sql: string, params: Param[] = []): T[] {
    return this.statement(sql).all(params) as T[];
  }

  get<T>(sql: string, params: Param[] = []): T | undefined {
    return (this.statement(sql).get(params) as T | null | undefined) ?? undefined;
  }

  /** The column named `value` of the first row. */
  value<T>(sql: string, params: Param[] = []): T | undefined {
    return this.get<{ value: T }>(sql, params)?.value;
  }

  exec(sql: string): void {
    this.connection.exec(sql);
  }

  /**
   * Runs `fn` in one transaction (committed on return, rolled back on throw). IMMEDIATE: it takes
   * the write lock at the start (waiting up to busy_timeout), since the host and the writer thread
   * both write; a deferred one that reads first fails at once with SQLITE_BUSY_SNAPSHOT when the
   * other connection committed in between.
   */
  transaction<T>(fn: () => T): T {
    return this.connection.transaction(fn).immediate();
  }

  /**
   * Folds the WAL into the main file first, so a closed database is one self-contained file
   * (the host's connection does; the writer threads' connections close without it).
   *
   * libsql has no way to finalize a prepared statement: SQLite keeps a closed connection that
   * still has statements as a "zombie" until they are garbage-collected, and only then removes
   * the -wal and -shm files (when it was the file's last connection). So those two files can
   * outlive close() for a while, and disappear at any later moment of the same process.
   */
  close({ checkpoint = true } = {}): void {
    try {
      if (checkpoint) this.connection.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      this.statements.clear();
      this.connection.close();
    }
  }
}

/** Bump with a new step in MIGRATIONS; `PRAGMA user_version` records how far a file has come. */
export const SCHEMA_VERSION = 3;

export const MIGRATIONS: ReadonlyArray<string> = [
  // 1: entries, their search index, the daily usage tally kept by triggers, and settings.
  `
  CREATE TABLE history (
    seq          INTEGER PRIMARY KEY,          -- append order, the page cursor
    id           TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,                -- sampling | elicitation | toolCall
    server       TEXT NOT NULL,
    app          TEXT,                         -- gateway entries: the connected app
    received_at  INTEGER,
    decided_at   INTEGER NOT NULL,
    day          TEXT NOT NULL,                -- local day of decided_at when recorded (daily budgets)
    outcome      TEXT NOT NULL,
    decision     TEXT,
    model        TEXT,
    provider     TEXT,
    tokens_in    INTEGER,
    tokens_out   INTEGER,
    cost_usd     REAL,
    latency_ms   REAL,
    edits        INTEGER NOT NULL DEFAULT 0,
    summary      TEXT NOT NULL DEFAULT ''
  );
  -- The large part of each entry, apart: rows of history stay small, so counts, filters and
  -- pages read a few hundred bytes per entry instead of its KBs of messages.
  CREATE TABLE history_body (
    seq          INTEGER PRIMARY KEY,          -- = history.seq
    request_json TEXT NOT NULL,                -- the full request (sampling: original and approved params)
    answer_json  TEXT NOT NULL,                -- the full answer (sampling: generated, sent, the diff)
    meta_json    TEXT NOT NULL                 -- the rest of the entry (edits, detail, route, …)
  );
  CREATE INDEX history_decided ON history(decided_at);
  CREATE INDEX history_server ON history(server, seq);
  CREATE INDEX history_outcome ON history(outcome, seq);
  CREATE INDEX history_kind ON history(kind, seq);
  CREATE INDEX history_app ON history(app, seq) WHERE app IS NOT NULL;
  CREATE INDEX history_model ON history(model, seq);
  CREATE INDEX history_decision ON history(decision, seq);

  -- Contentless: the text lives in request_json/answer_json; the index only maps words to seq.
  CREATE VIRTUAL TABLE history_fts USING fts5(text, content='', contentless_delete=1);

  CREATE TABLE usage_daily (
    day TEXT NOT NULL, server TEXT NOT NULL,
    requests INTEGER NOT NULL, sent INTEGER NOT NULL,
    tokens_in INTEGER NOT NULL, tokens_out INTEGER NOT NULL, cost_usd REAL NOT NULL,
    PRIMARY KEY (day, server)
  ) WITHOUT ROWID;
  CREATE TRIGGER history_usage_add AFTER INSERT ON history WHEN NEW.kind = 'sampling' BEGIN
    INSERT INTO usage_daily VALUES (NEW.day, NEW.server, 1, NEW.outcome = 'sent',
      coalesce(NEW.tokens_in, 0), coalesce(NEW.tokens_out, 0), coalesce(NEW.cost_usd, 0))
    ON CONFLICT (day, server) DO UPDATE SET requests = requests + 1, sent = sent + excluded.sent,
      tokens_in = tokens_in + excluded.tokens_in, tokens_out = tokens_out + excluded.tokens_out,
      cost_usd = cost_usd + excluded.cost_usd;
  END;
  CREATE TRIGGER history_removed AFTER DELETE ON history BEGIN
    DELETE FROM history_body WHERE seq = OLD.seq;
    DELETE FROM history_fts WHERE rowid = OLD.seq;
    UPDATE usage_daily SET requests = requests - 1, sent = sent - (OLD.outcome = 'sent'),
      tokens_in = tokens_in - coalesce(OLD.tokens_in, 0), tokens_out = tokens_out - coalesce(OLD.tokens_out, 0),
      cost_usd = cost_usd - coalesce(OLD.cost_usd, 0)
    WHERE OLD.kind = 'sampling' AND day = OLD.day AND server = OLD.server;
    DELETE FROM usage_daily WHERE OLD.kind = 'sampling' AND day = OLD.day AND server = OLD.server AND requests <= 0;
  END;

  -- The values the History view's filter menus offer (never shrinks: a deleted server stays choosable).
  CREATE TABLE history_facets (field TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (field, value)) WITHOUT ROWID;
  CREATE TRIGGER history_facets_add AFTER INSERT ON history BEGIN
    INSERT OR IGNORE INTO history_facets VALUES ('server', NEW.server);
    INSERT OR IGNORE INTO history_facets SELECT 'app', NEW.app WHERE NEW.app IS NOT NULL;
    INSERT OR IGNORE INTO history_facets SELECT 'model', NEW.model WHERE NEW.model IS NOT NULL;
  END;

  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  `,
  // 2: gateway tool calls (#14: the tool, filtered and offered per server) and the server's JSON-RPC
  // request id (#11); composite indexes for the filters the view combines; a running total.
  `
  ALTER TABLE history ADD COLUMN tool TEXT;
  ALTER TABLE history ADD COLUMN mcp_request_id TEXT;
  UPDATE history SET mcp_request_id = (SELECT json_extract(b.meta_json, '$.mcpRequestId') FROM history_body b WHERE b.seq = history.seq)
    WHERE kind = 'sampling';

  CREATE INDEX history_tool ON history(tool, seq) WHERE tool IS NOT NULL;
  -- Server + decision is the view's most common pair; kind + decision separates tool calls' outcomes.
  CREATE INDEX history_server_outcome ON history(server, outcome, seq);
  CREATE INDEX history_kind_outcome ON history(kind, outcome, seq);
  CREATE INDEX history_app_tool ON history(app, tool, seq) WHERE app IS NOT NULL;

  CREATE TABLE history_tool_facets (server TEXT NOT NULL, tool TEXT NOT NULL, PRIMARY KEY (server, tool)) WITHOUT ROWID;
  DROP TRIGGER history_facets_add;
  CREATE TRIGGER history_facets_add AFTER INSERT ON history BEGIN
    INSERT OR IGNORE INTO history_facets VALUES ('server', NEW.server);
    INSERT OR IGNORE INTO history_facets SELECT 'app', NEW.app WHERE NEW.app IS NOT NULL;
    INSERT OR IGNORE INTO history_facets SELECT 'model', NEW.model WHERE NEW.model IS NOT NULL;
    INSERT OR IGNORE INTO history_tool_facets SELECT NEW.server, NEW.tool WHERE NEW.tool IS NOT NULL;
  END;

  -- count(*) of everything walks a whole index (a million entries: a fifth of a second); the view
  -- asks for it after every change, so it is kept as a running total instead.
  CREATE TABLE history_total (id INTEGER PRIMARY KEY CHECK (id = 1), entries INTEGER NOT NULL);
  INSERT INTO history_total VALUES (1, (SELECT count(*) FROM history));
  CREATE TRIGGER history_total_add AFTER INSERT ON history BEGIN
    UPDATE history_total SET entries = entries + 1 WHERE id = 1;
  END;
  CREATE TRIGGER history_total_remove AFTER DELETE ON history BEGIN
    UPDATE history_total SET entries = entries - 1 WHERE id = 1;
  END;
  `,
  // 3: the search index with the filter values as tokens (history-search.ts). A v2 file's entries
  // are indexed into it in the background, newest first, by the writer thread (history-write.ts):
  // the words are not stored (contentless), so they are taken again from each entry's JSON. Until
  // that is done, searches use v2's index (history_fts), which appends keep writing too; then it
  // is dropped.
  `
  CREATE VIRTUAL TABLE history_search USING fts5(text, facets, content='', contentless_delete=1);
  -- Entries with seq < below are not in history_search yet; no row: every entry is.
  CREATE TABLE history_search_backfill (id INTEGER PRIMARY KEY CHECK (id = 1), below INTEGER NOT NULL);
  INSERT INTO history_search_backfill SELECT 1, max(seq) + 1 FROM history HAVING count(*) > 0;
  -- v1's trigger again (a migration is a fixed text: v1's stays as it shipped), the new index in
  -- place of the old one, which has a trigger of its own until it is dropped.
  DROP TRIGGER history_removed;
  CREATE TRIGGER history_removed AFTER DELETE ON history BEGIN
    DELETE FROM history_body WHERE seq = OLD.seq;
    DELETE FROM history_search WHERE rowid = OLD.seq;
    UPDATE usage_daily SET requests = requests - 1, sent = sent - (OLD.outcome = 'sent'),
      tokens_in = tokens_in - coalesce(OLD.tokens_in, 0), tokens_out = tokens_out - coalesce(OLD.tokens_out, 0),
      cost_usd = cost_usd - coalesce(OLD.cost_usd, 0)
    WHERE OLD.kind = 'sampling' AND day = OLD.day AND server = OLD.server;
    DELETE FROM usage_daily WHERE OLD.kind = 'sampling' AND day = OLD.day AND server = OLD.server AND requests <= 0;
  END;
  -- Dropped with history_fts once the backfill is done.
  CREATE TRIGGER history_removed_legacy_fts AFTER DELETE ON history BEGIN
    DELETE FROM history_fts WHERE rowid = OLD.seq;
  END;
  `,
];

/** True once every entry is in history_search (schema v3); until then searches use history_fts. */
export function searchReady(db: Db): boolean {
  return db.value<number>('SELECT below AS value FROM history_search_backfill WHERE id = 1') === undefined;
}

/** True while v2's search index is still there (appends keep it current until the backfill is done). */
export function legacySearchPresent(db: Db): boolean {
  return db.value<number>("SELECT 1 AS value FROM sqlite_schema WHERE type = 'table' AND name = 'history_fts'") !== undefined;
}

/** Drops v2's search index once history_search has every entry (at once for a new or empty file). */
export function dropLegacySearchIfDone(db: Db): void {
  if (!searchReady(db) || !legacySearchPresent(db)) return;
  db.transaction(() => {
    db.exec('DROP TRIGGER IF EXISTS history_removed_legacy_fts');
    db.exec('DROP TABLE history_fts');
  });
}

/** A connection to an existing, migrated database (the writer threads'). */
export function connectHistoryDb(file: string): Db {
  const db = new Db(new Database(file));
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA busy_timeout = 5000');
  return db;
}

/** Opens (creating if needed) and migrates the database; the file and its WAL files are 0600. */
export function openHistoryDb(file: string): Db {
  const db = connectHistoryDb(file);
  try {
    migrate(db);
    dropLegacySearchIfDone(db);
    // Statistics for the planner (which index serves which filter); cheap when they are current.
    db.exec('PRAGMA optimize = 0x10002');
  } catch (error) {
    db.close();
    throw error;
  }
  // The WAL and shared-memory files exist once the schema was written.
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      chmodSync(file + suffix, 0o600);
    } catch (error) {
      // Not there (yet, or any more: see Db.close).
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return db;
}

function migrate(db: Db): void {
  const version = db.value<number>('SELECT user_version AS value FROM pragma_user_version') ?? 0;
  if (version > SCHEMA_VERSION) {
    throw new Error(`history.db has schema version ${version}, newer than this Sluice (${SCHEMA_VERSION}): update Sluice`);
  }
  for (let step = version; step < SCHEMA_VERSION; step++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[step]!);
      db.exec(`PRAGMA user_version = ${step + 1}`);
    });
  }
}
