/**
 * SQL for a history filter: one builder for pages, counts, export and delete, so all four agree
 * on what "these entries" are. Free text goes through the FTS5 index; every other field is an
 * indexed column. Rows always come newest first by append order (`seq`), which is also the cursor.
 */
import type { HistoryFilter } from '../../../shared/history.js';
import { searchMatch } from './history-search.js';

type Param = string | number | null;

export interface FilterSql {
  /** `FROM …` with the search join when there is text. */
  from: string;
  /** `WHERE …` (always present, `1` when nothing narrows). */
  where: string;
  params: Param[];
  /** The seq column to order and page by. */
  seq: string;
  /**
   * When the v3 index alone decides the set (words and token filters, no time range): a count
   * from it without reading a row (a common word's count read a million rows: 0.4 s).
   */
  searchOnly?: { from: string; where: string; params: Param[] };
}

/**
 * The user's words as an FTS5 query: every word must occur, quoted so that FTS5 syntax typed by
 * the user (`AND`, `"`, `:`, `NEAR`) is searched for, never interpreted. Words match whole
 * words; a word typed with a trailing `*` matches as a prefix. (Every word as a prefix was the
 * first design: FTS5 then merges the postings of every word that starts so, a whole-history
 * list for a common word, and a search took 0.4 s at 380,000 entries; a whole word is read
 * lazily, newest first, and stops at the page's end.) Undefined when the text has no word.
 */
export function ftsQuery(text: string | undefined): string | undefined {
  const words = [...(text ?? '').matchAll(/([\p{L}\p{N}_]+)(\*?)/gu)];
  if (words.length === 0) return undefined;
  return words
    .slice(0, 16)
    .map(([, word, star]) => `"${word}"${star}`)
    .join(' ');
}

/**
 * `index` says which search index the file has complete: 'search' (schema v3, the filter values
 * are tokens in it, so FTS5 intersects words and filters) or 'legacy' (v2's words-only index,
 * while a migrated file's entries are still being indexed into the new one).
 */
export function filterSql(filter: HistoryFilter, extra: { before?: number; upTo?: number; index?: 'search' | 'legacy' } = {}): FilterSql {
  const words = ftsQuery(filter.text);
  const legacy = extra.index === 'legacy';
  const match =
    words &&
    (legacy
      ? words
      : searchMatch(words, {
          kind: filter.kind,
          server: filter.serverName,
          app: filter.app,
          tool: filter.tool,
          outcome: filter.outcome,
          decision: filter.decision,
          model: filter.model,
        }));
  const seq = match ? 'f.rowid' : 'h.seq';
  const conditions: string[] = [];
  const params: Param[] = [];
  const add = (condition: string, value: Param) => {
    conditions.push(condition);
    params.push(value);
  };
  // The column conditions stay with a v3 match too: FTS5 finds the entries, the row decides.
  if (match) add(legacy ? 'f.history_fts MATCH ?' : 'f.history_search MATCH ?', match);
  if (filter.kind) add('h.kind = ?', filter.kind);
  if (filter.serverName !== undefined) add('h.server = ?', filter.serverName);
  if (filter.app !== undefined) add('h.app = ?', filter.app);
  if (filter.tool !== undefined) add('h.tool = ?', filter.tool);
  if (filter.outcome !== undefined) add('h.outcome = ?', filter.outcome);
  if (filter.decision !== undefined) add('h.decision = ?', filter.decision);
  if (filter.model !== undefined) add('h.model = ?', filter.model);
  if (filter.from !== undefined) add('h.decided_at >= ?', filter.from);
  if (filter.to !== undefined) add('h.decided_at < ?', filter.to);
  if (extra.before !== undefined) add(`${seq} < ?`, extra.before);
  if (extra.upTo !== undefined) add(`${seq} <= ?`, extra.upTo);
  const searchOnly =
    match && !legacy && filter.from === undefined && filter.to === undefined
      ? {
          from: 'history_search f',
          where: [
            'f.history_search MATCH ?',
            ...(extra.before !== undefined ? ['f.rowid < ?'] : []),
            ...(extra.upTo !== undefined ? ['f.rowid <= ?'] : []),
          ].join(' AND '),
          params: [match, ...(extra.before !== undefined ? [extra.before] : []), ...(extra.upTo !== undefined ? [extra.upTo] : [])],
        }
      : undefined;
  return {
    searchOnly,
    // CROSS JOIN keeps the search index the outer loop, read newest first, with each match's row
    // looked up by rowid: the other order would probe the index once per row of a filter.
    from: match ? `${legacy ? 'history_fts' : 'history_search'} f CROSS JOIN history h ON h.seq = f.rowid` : 'history h',
    where: conditions.length ? conditions.join(' AND ') : '1',
    params,
    seq,
  };
}

/** The columns of a HistoryRow, cut to bounded lengths. */
export const ROW_COLUMNS = `h.seq, h.id, h.kind, substr(h.server, 1, 120) AS server, substr(h.app, 1, 120) AS app, substr(h.tool, 1, 120) AS tool,
  h.decided_at, substr(h.outcome, 1, 40) AS outcome, h.decision, substr(h.model, 1, 120) AS model,
  h.tokens_in, h.tokens_out, h.cost_usd, h.latency_ms, h.edits, h.summary`;

export interface RowColumns {
  seq: number;
  id: string;
  kind: string;
  server: string;
  app: string | null;
  tool: string | null;
  decided_at: number;
  outcome: string;
  decision: string | null;
  model: string | null;
  tokens_in: number | null;
  tokens_out: number | null;
  cost_usd: number | null;
  latency_ms: number | null;
  edits: number;
  summary: string;
}
