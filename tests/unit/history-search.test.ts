/**
 * The v3 search path (words and filters intersected inside the FTS5 index, filters as exact
 * tokens) against what the filters mean, computed here from the entries themselves; server names
 * that try to be FTS5 syntax; a v2 file migrated to v3 (searches right during the background
 * backfill and after it); and the writer thread, from source and as the build emits it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { build } from 'esbuild';
import Database from 'libsql';
import { connectHistoryDb, MIGRATIONS, SCHEMA_VERSION } from '../../electron/core/history/history-db.js';
import { backfillSearch } from '../../electron/core/history/history-write.js';
import { recordOf } from '../../electron/core/history/history-record.js';
import { HistoryStore } from '../../electron/core/history/history-store.js';
import { localDay } from '../../electron/core/sampling/usage.js';
import { eventually } from '../helpers/eventually.js';
import type { HistoryFilter } from '../../shared/history.js';
import type { SamplingHistoryEntry } from '../../shared/domain.js';
import { allIds as allIdsOf } from '../helpers/history-pages.js';
import { tempDir } from '../helpers/test-host.js';
import { REPO_ROOT } from '../helpers/web-mode.js';

const BASE = new Date(2025, 4, 1, 10).getTime();
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
// Names a server chooses for itself: FTS5 syntax, quotes, a prefix of another name, non-ASCII,
// and one long enough to be stored as a hash token.
const SERVERS = ['files', 'files2', '" OR facets : *', 'x" : "alpha', 'NEAR(a b)', 'Zürich wetter', `long-${'é'.repeat(40)}`];
const OUTCOMES = ['sent', 'rejected', 'cancelled'] as const;

function entry(n: number): SamplingHistoryEntry {
  // Deterministic word sets: entry n has WORDS[k] when bit k of n*7 is set.
  const words = WORDS.filter((_, k) => ((n * 7) >> k) & 1);
  return {
    id: `s${n}`,
    serverName: SERVERS[n % SERVERS.length]!,
    route: 'push',
    receivedAt: BASE + n * 1000 - 10,
    decidedAt: BASE + n * 1000,
    outcome: OUTCOMES[n % OUTCOMES.length]!,
    originalParams: { messages: [{ role: 'user', content: { type: 'text', text: `note ${words.join(' ')}` } }], maxTokens: 10 },
    edits: [],
    answerEdited: false,
    decision: n % 2 ? 'user' : 'auto',
    model: { providerId: 'manual', model: n % 4 ? 'm1' : 'm2' },
  };
}

const ENTRIES = Array.from({ length: 240 }, (_, n) => entry(n + 1));

/** What a filter means, decided from the entries (not from the database), newest first. */
function expected(filter: HistoryFilter): string[] {
  const words = (filter.text ?? '').split(/\s+/).filter(Boolean);
  return ENTRIES.filter((e) => {
    // The words an entry is found by: its message, and its server, outcome and model (recordOf).
    const message = (e.originalParams.messages[0]!.content as { text: string }).text;
    const text =
      `${e.serverName} ${e.outcome} ${e.model?.model ?? ''} ${message}`.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? ([] as string[]);
    return (
      words.every((word) => text.includes(word)) &&
      (filter.serverName === undefined || e.serverName === filter.serverName) &&
      (filter.outcome === undefined || e.outcome === filter.outcome) &&
      (filter.decision === undefined || e.decision === filter.decision) &&
      (filter.model === undefined || e.model?.model === filter.model) &&
      (filter.kind === undefined || filter.kind === 'sampling')
    );
  })
    .map((e) => e.id)
    .reverse();
}

/** Small pages: a filter's entries cross many cursors. */
const allIds = (store: HistoryStore, filter: HistoryFilter, limit = 7) => allIdsOf(store, filter, limit);

const FILTERS: HistoryFilter[] = [
  { text: 'alpha bravo' },
  ...SERVERS.map((serverName) => ({ text: 'alpha bravo', serverName })),
  ...SERVERS.map((serverName) => ({ text: 'charlie', serverName, outcome: 'rejected' })),
  { text: 'delta', decision: 'auto', model: 'm2' },
  { text: 'echo', kind: 'sampling', serverName: 'files2' },
  { text: 'echo', kind: 'toolCall' },
  { text: 'alpha', serverName: 'no such server' },
];

/** Every filter's pages and count match what it means. */
function assertFiltersMatch(store: HistoryStore, label: string): void {
  for (const filter of FILTERS) {
    const want = expected(filter);
    assert.deepEqual(allIds(store, filter), want, `${label}: ${JSON.stringify(filter)}`);
    assert.equal(store.count(filter), want.length, `${label}: count of ${JSON.stringify(filter)}`);
  }
}

describe('history search with filters (schema v3)', () => {
  it('pages and counts words + server, outcome, decision, model, kind exactly; hostile server names are values, not syntax', async () => {
    const store = HistoryStore.open(tempDir());
    await Promise.all(ENTRIES.map((e) => store.append(e)));
    assert.ok(store.searchIsComplete(), 'a new file starts with the v3 index complete');
    // The filters the test relies on select something (a check of the check).
    assert.ok(expected({ text: 'alpha bravo', serverName: '" OR facets : *' }).length > 3);
    assert.ok(expected({ text: 'charlie', serverName: SERVERS[6]!, outcome: 'rejected' }).length > 0);
    assertFiltersMatch(store, 'v3');
    assert.deepEqual(store.facets().servers, [...SERVERS].sort());
    // A delete through a search with a hostile server name removes exactly those entries.
    const doomed = expected({ text: 'alpha', serverName: 'x" : "alpha' });
    assert.equal(await store.delete({ text: 'alpha', serverName: 'x" : "alpha' }), doomed.length);
    assert.deepEqual(allIds(store, { serverName: 'x" : "alpha', text: 'alpha' }), []);
    assert.equal(store.count({}), ENTRIES.length - doomed.length);
    store.close();
  });

  it('writes appends on the writer thread, and on the host connection when there is none, with the same results', async () => {
    for (const writerThread of [true, false]) {
      const dir = tempDir();
      const store = HistoryStore.open(dir, { writerThread });
      assert.equal(store.writesOnThread, writerThread);
      const rows = await Promise.all(ENTRIES.slice(0, 60).map((e) => store.append(e)));
      assert.deepEqual(
        rows.map((row) => row.id),
        ENTRIES.slice(0, 60).map((e) => e.id),
      );
      assert.deepEqual(
        allIds(store, {}, 100),
        expected({}).filter((id) => Number(id.slice(1)) <= 60),
      );
      store.close();
      assert.doesNotThrow(() => store.close());
      const reopened = HistoryStore.open(dir, { writerThread: false });
      assert.equal(reopened.count({}), 60, `writerThread ${writerThread}: every append is in the file after close`);
      reopened.close();
    }
  });

  it('runs the writer thread from the file the build emits (dist/electron/history-writer.cjs)', async () => {
    // The same esbuild options as scripts/build.mjs, into a folder inside the repo so that
    // `require('libsql')` resolves from node_modules exactly as it does for dist/electron.
    const buildScript = (await import('node:fs')).readFileSync(path.join(REPO_ROOT, 'scripts', 'build.mjs'), 'utf8');
    assert.match(
      buildScript,
      /entryPoints: \['electron\/core\/history\/history-writer-worker\.ts'\],\s*outfile: 'dist\/electron\/history-writer\.cjs',\s*packages: 'external'/,
    );
    const outDir = mkdtempSync(path.join(REPO_ROOT, 'dist', '.test-writer-'));
    try {
      const outfile = path.join(outDir, 'history-writer.cjs');
      await build({
        entryPoints: [path.join(REPO_ROOT, 'electron/core/history/history-writer-worker.ts')],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        packages: 'external',
        logLevel: 'warning',
      });
      const dir = tempDir();
      const store = HistoryStore.open(dir, { writerScript: outfile });
      await store.append(ENTRIES[0]!);
      // The thread is still the writer after an append: it started and answered.
      assert.equal(store.writesOnThread, true);
      assert.deepEqual(allIds(store, { text: 'note' }), ['s1']);
      store.close();
      const file = new Database(path.join(dir, 'history.db'), { readonly: true });
      assert.equal(
        (file.prepare('SELECT count(*) AS n FROM history_search WHERE history_search MATCH ?').get(['note']) as { n: number }).n,
        1,
      );
      file.close();
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it('falls back to the host connection when the thread cannot start, losing nothing', async () => {
    const dir = tempDir();
    const store = HistoryStore.open(dir, { writerScript: path.join(dir, 'no-such-writer.cjs') });
    const rows = await Promise.all(ENTRIES.slice(0, 5).map((e) => store.append(e)));
    assert.equal(rows.length, 5);
    assert.equal(store.writesOnThread, false, 'the failed thread was given up');
    assert.equal(store.count({}), 5);
    store.close();
  });
});

/** A history.db as schema v2 wrote it (v2's store: the words-only index history_fts). */
function writeV2(dir: string, entries: SamplingHistoryEntry[]): void {
  const db = new Database(path.join(dir, 'history.db'));
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(MIGRATIONS[0]!);
  db.exec(MIGRATIONS[1]!);
  db.exec('PRAGMA user_version = 2');
  const insert = db.prepare(
    `INSERT INTO history (id, kind, server, app, tool, mcp_request_id, received_at, decided_at, day, outcome,
      decision, model, provider, tokens_in, tokens_out, cost_usd, latency_ms, edits, summary)
      VALUES (?, ?, ?, NULL, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, ?, ?)`,
  );
  db.transaction(() => {
    for (const e of entries) {
      const { row, request, answer, meta, text, provider, receivedAt } = recordOf(e);
      const { lastInsertRowid } = insert.run([
        row.id,
        row.kind,
        row.serverName,
        receivedAt ?? null,
        row.decidedAt,
        localDay(row.decidedAt),
        row.outcome,
        row.decision ?? null,
        row.model ?? null,
        provider ?? null,
        row.edits,
        row.summary,
      ]);
      db.prepare('INSERT INTO history_body (seq, request_json, answer_json, meta_json) VALUES (?, ?, ?, ?)').run([
        lastInsertRowid,
        JSON.stringify(request),
        JSON.stringify(answer),
        JSON.stringify(meta),
      ]);
      db.prepare('INSERT INTO history_fts (rowid, text) VALUES (?, ?)').run([lastInsertRowid, text]);
    }
  })();
  db.close();
}

function tables(dir: string): string[] {
  const db = new Database(path.join(dir, 'history.db'), { readonly: true });
  const names = (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'history_%'").all() as { name: string }[]
  ).map((row) => row.name);
  db.close();
  return names;
}

function mergePending(dir: string): boolean {
  const db = new Database(path.join(dir, 'history.db'), { readonly: true });
  const row = db.prepare("SELECT value FROM settings WHERE key = 'search_merge'").get() as { value: string } | undefined;
  db.close();
  return row !== undefined;
}

describe('history.db v2 → v3 (the search index with filter tokens, backfilled in the background)', () => {
  for (const writerThread of [true, false]) {
    it(`opens a v2 file at once and searches it right before, during and after the backfill (${writerThread ? 'writer thread' : 'host connection'})`, async () => {
      const dir = tempDir();
      const old = ENTRIES.slice(0, 200);
      writeV2(dir, old);
      const store = HistoryStore.open(dir, { writerThread });
      // (The thread may be done with 200 entries before this line; the host connection runs it from the next turn.)
      if (!writerThread) assert.equal(store.searchIsComplete(), false, 'the v2 entries are not in the new index yet');
      // Before the backfill: v2's index answers, with the same results.
      assert.deepEqual(
        allIds(store, { text: 'alpha bravo', serverName: 'files' }),
        expected({ text: 'alpha bravo', serverName: 'files' }).filter((id) => Number(id.slice(1)) <= 200),
      );
      // Entries appended during the backfill are found by either index; a delete during it sticks.
      await Promise.all(ENTRIES.slice(200).map((e) => store.append(e)));
      const doomed = expected({ text: 'echo', serverName: 'files2' });
      assert.equal(await store.delete({ text: 'echo', serverName: 'files2' }), doomed.length);
      assert.deepEqual(allIds(store, { text: 'echo', serverName: 'files2' }), []);
      await eventually('the backfill to finish', () => store.searchIsComplete());
      assert.ok(!tables(dir).includes('history_fts'), "v2's index is dropped once the new one has every entry");
      // Then its segments are merged, in steps between appends; the results below are after it.
      await eventually('the merge of the new index', () => !mergePending(dir));
      // After: the v3 path, every filter exactly (the deleted entries stay deleted).
      for (const filter of FILTERS) {
        const want = expected(filter).filter((id) => !doomed.includes(id));
        assert.deepEqual(allIds(store, filter), want, JSON.stringify(filter));
        assert.equal(store.count(filter), want.length);
      }
      store.close();
      const db = new Database(path.join(dir, 'history.db'), { readonly: true });
      assert.equal((db.prepare('SELECT user_version AS v FROM pragma_user_version').get() as { v: number }).v, SCHEMA_VERSION);
      db.close();
      const reopened = HistoryStore.open(dir);
      assert.ok(reopened.searchIsComplete());
      assert.equal(reopened.count({}), ENTRIES.length - doomed.length);
      reopened.close();
    });
  }

  it("a query that chose v2's index just before the writer dropped it runs again on the new one (no 'no such table')", async () => {
    const dir = tempDir();
    writeV2(dir, ENTRIES.slice(0, 60));
    const store = HistoryStore.open(dir, { writerThread: false });
    const filter = { text: 'alpha bravo', serverName: 'files' };
    const want = expected(filter).filter((id) => Number(id.slice(1)) <= 60);
    assert.deepEqual(allIds(store, filter), want, "on v2's index");
    // The writer's connection finishes the backfill and drops v2's index...
    const writer = connectHistoryDb(path.join(dir, 'history.db'));
    while (backfillSearch(writer, 1_000));
    writer.close();
    assert.ok(!tables(dir).includes('history_fts'));
    // ...between the store's choice of index and its query (a race with the thread, made certain here).
    const stale = store as unknown as { searchIndex: () => 'search' | 'legacy' };
    const choose = stale.searchIndex.bind(store);
    let staleOnce = true;
    stale.searchIndex = () => (staleOnce ? ((staleOnce = false), 'legacy') : choose());
    assert.deepEqual(allIds(store, filter), want, 'the page');
    staleOnce = true;
    assert.equal(store.count(filter), want.length, 'the count');
    staleOnce = true;
    assert.equal(await store.delete(filter), want.length, 'the delete');
    assert.equal(store.count({}), 60 - want.length);
    store.close();
  });
});
