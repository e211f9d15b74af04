/**
 * What writes entries into history.db, shared by the writer thread (appends, the v3 search
 * backfill) and the host's own connection (the one-time .jsonl import, the fallback when the
 * writer thread is gone). Inserting is idempotent by entry id, so a batch written twice (the
 * thread died after committing it, the host wrote it again) records each entry once.
 */
import { localDay } from '../sampling/usage.js';
import { legacySearchPresent, dropLegacySearchIfDone, type Db } from './history-db.js';
import { entryOf, recordOf, type HistoryRecord } from './history-record.js';
import { facetText } from './history-search.js';

const INSERT = `INSERT OR IGNORE INTO history (id, kind, server, app, tool, mcp_request_id, received_at, decided_at, day, outcome,
  decision, model, provider, tokens_in, tokens_out, cost_usd, latency_ms, edits, summary)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_BODY = 'INSERT INTO history_body (seq, request_json, answer_json, meta_json) VALUES (?, ?, ?, ?)';
const INSERT_SEARCH = 'INSERT INTO history_search (rowid, text, facets) VALUES (?, ?, ?)';

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

/** Inserts records in one transaction; an id already present is kept as it is. Returns how many were added. */
export function insertRecords(db: Db, records: readonly HistoryRecord[]): number {
  return db.transaction(() => {
    const legacy = legacySearchPresent(db);
    let added = 0;
    for (const { row, receivedAt, provider, mcpRequestId, request, answer, meta, text } of records) {
      const { changes, lastInsertRowid } = db.run(INSERT, [
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
      db.run(INSERT_BODY, [seq, JSON.stringify(request), JSON.stringify(answer), JSON.stringify(meta)]);
      const facets = facetText({
        kind: row.kind,
        server: row.serverName,
        app: row.app,
        tool: row.tool,
        outcome: row.outcome,
        decision: row.decision,
        model: row.model,
      });
      db.run(INSERT_SEARCH, [seq, text, facets]);
      if (legacy) db.run('INSERT INTO history_fts (rowid, text) VALUES (?, ?)', [seq, text]);
      added += 1;
    }
    return added;
  });
}

interface BackfillRow {
  seq: number;
  kind: string;
  server: string;
  app: string | null;
  tool: string | null;
  outcome: string;
  decision: string | null;
  model: string | null;
  request_json: string;
  answer_json: string;
  meta_json: string;
}

/**
 * Indexes the next entries of a v2 file into history_search, newest first, for about `budgetMs`
 * in one transaction (so an append waits at most that long behind it). The words come from the
 * entry's JSON exactly as an append takes them (recordOf); the facets from the stored columns,
 * which the SQL filters compare. Returns false once every entry is indexed (and v2's index dropped).
 */
export function backfillSearch(db: Db, budgetMs = 25): boolean {
  const started = performance.now();
  const more = db.transaction(() => {
    const start = db.value<number>('SELECT below AS value FROM history_search_backfill WHERE id = 1');
    if (start === undefined) return false;
    let below: number = start;
    while (performance.now() - started < budgetMs) {
      const rows: BackfillRow[] = db.all<BackfillRow>(
        `SELECT h.seq, h.kind, h.server, h.app, h.tool, h.outcome, h.decision, h.model, b.request_json, b.answer_json, b.meta_json
         FROM history h JOIN history_body b ON b.seq = h.seq WHERE h.seq < ? ORDER BY h.seq DESC LIMIT 16`,
        [below],
      );
      for (const row of rows) {
        const entry = entryOf(JSON.parse(row.meta_json), JSON.parse(row.request_json), JSON.parse(row.answer_json));
        db.run(INSERT_SEARCH, [row.seq, recordOf(entry).text, facetText(row)]);
      }
      if (rows.length < 16) {
        db.run('DELETE FROM history_search_backfill WHERE id = 1');
        db.run("INSERT OR REPLACE INTO settings (key, value) VALUES ('search_merge', 'pending')");
        return false;
      }
      below = rows[rows.length - 1]!.seq;
    }
    db.run('UPDATE history_search_backfill SET below = ? WHERE id = 1', [below]);
    return true;
  });
  if (!more) dropLegacySearchIfDone(db);
  return more;
}

/**
 * After a backfill: merges the search index's segments, a few pages per call. The backfill wrote
 * it in thousands of small transactions, newest first, leaving ~27 segments at 1,000,000 entries;
 * every term of a query opens each one, and merged into one the common-server search above ran
 * about twice as fast (measured; ~16 s of merging for 1,000,000 entries). Returns false when done
 * (FTS5's structure record no longer changes).
 */
export function mergeSearchIndex(db: Db, pages = 64): boolean {
  if (db.value<string>("SELECT value FROM settings WHERE key = 'search_merge'") !== 'pending') return false;
  const structure = () => db.get<{ block: Uint8Array }>('SELECT block FROM history_search_data WHERE id = 10')?.block;
  return db.transaction(() => {
    const before = structure();
    db.run("INSERT INTO history_search (history_search, rank) VALUES ('merge', ?)", [-pages]);
    const after = structure();
    const changed = !before || !after || Buffer.compare(Buffer.from(before), Buffer.from(after)) !== 0;
    if (!changed) db.run("DELETE FROM settings WHERE key = 'search_merge'");
    return changed;
  });
}
