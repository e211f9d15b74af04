/**
 * Schema migrations of history.db: a file written by the first SQLite schema (v1) opens as the
 * current one with its entries, search, usage and totals intact; the older history.jsonl (the
 * format before the database, sampling decisions and gateway tool calls) is imported.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'libsql';
import { HistoryFeature } from '../../electron/core/history/feature.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../electron/core/history/history-db.js';
import { HistoryStore } from '../../electron/core/history/history-store.js';
import type { SamplingHistoryEntry } from '../../shared/domain.js';
import type { ToolCallHistoryEntry } from '../../shared/toolcalls.js';
import { tempDir } from '../helpers/test-host.js';

const DECIDED = new Date(2025, 4, 1, 10).getTime();

const sampling: SamplingHistoryEntry = {
  id: 'old-1',
  serverName: 'files',
  route: 'push',
  receivedAt: DECIDED - 10,
  decidedAt: DECIDED,
  outcome: 'sent',
  mcpRequestId: 41,
  originalParams: { messages: [{ role: 'user', content: { type: 'text', text: 'what changed in the release notes' } }], maxTokens: 10 },
  edits: [],
  answerEdited: false,
  usage: { inputTokens: 30, outputTokens: 12 },
  model: { providerId: 'manual', model: 'm1' },
  decision: 'user',
};

const toolCall: ToolCallHistoryEntry = {
  kind: 'toolCall',
  id: 'call-1',
  app: { tokenId: 'tok', label: 'Laptop', name: 'claude-code', version: '2.1' },
  serverName: 'notes',
  tool: 'write_note',
  receivedAt: DECIDED + 5,
  decidedAt: DECIDED + 10,
  outcome: 'sent',
  decision: 'user',
  arguments: { name: 'groceries', text: 'milk, eggs, bread' },
  originalArguments: { name: 'groceries', text: 'milk, eggs' },
  edits: ['text: "milk, eggs" → "milk, eggs, bread"'],
  durationMs: 12,
  resultBytes: 33,
};

/** A history.db as the first SQLite schema wrote it: one sampling entry, as v1's store stored it. */
function writeV1(dir: string): void {
  const db = new Database(path.join(dir, 'history.db'));
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(MIGRATIONS[0]!);
  db.exec('PRAGMA user_version = 1');
  const { originalParams, approvedParams, generated, sent, answerDiff, ...meta } = sampling;
  db.prepare(
    `INSERT INTO history (id, kind, server, app, received_at, decided_at, day, outcome, decision, model, provider, tokens_in, tokens_out, cost_usd, latency_ms, edits, summary)
     VALUES (?, 'sampling', 'files', NULL, ?, ?, '2025-05-01', 'sent', 'user', 'm1', 'manual', 30, 12, NULL, NULL, 0, 'what changed')`,
  ).run([sampling.id, sampling.receivedAt, sampling.decidedAt]);
  db.prepare('INSERT INTO history_body (seq, request_json, answer_json, meta_json) VALUES (1, ?, ?, ?)').run([
    JSON.stringify({ originalParams, approvedParams }),
    JSON.stringify({ generated, sent, answerDiff }),
    JSON.stringify(meta),
  ]);
  db.prepare('INSERT INTO history_fts (rowid, text) VALUES (1, ?)').run(['files sent m1 what changed in the release notes']);
  db.close();
}

describe('history.db migrations', () => {
  it(`opens a v1 file as v${SCHEMA_VERSION}: entries, search, usage and the total kept; tool calls and request ids work`, async () => {
    const dir = tempDir();
    writeV1(dir);
    const store = HistoryStore.open(dir);
    const version = new Database(path.join(dir, 'history.db'), { readonly: true });
    assert.equal((version.prepare('SELECT user_version AS v FROM pragma_user_version').get() as { v: number }).v, SCHEMA_VERSION);
    const backfilled = version.prepare('SELECT mcp_request_id AS id FROM history WHERE id = ?').get(['old-1']) as { id: string };
    assert.equal(backfilled.id, '41', "the v1 entry's request id moved into its column");
    version.close();
    assert.deepEqual(store.get('old-1')?.entry, sampling);
    assert.deepEqual(
      store.page({ text: 'release' }, undefined, 10).rows.map((row) => row.id),
      ['old-1'],
    );
    assert.equal(store.count({}), 1, 'the running total starts from the entries already there');
    assert.equal(store.tokensOn('files', '2025-05-01'), 42);
    await store.append(toolCall);
    assert.equal(store.count({}), 2);
    assert.deepEqual(
      store.page({ kind: 'toolCall', app: 'claude-code (Laptop)', tool: 'write_note' }, undefined, 10).rows.map((row) => row.id),
      ['call-1'],
    );
    assert.deepEqual(store.facets('notes').tools, ['write_note']);
    assert.deepEqual(store.get('call-1')?.entry, toolCall);
    store.close();
    const reopened = HistoryStore.open(dir);
    assert.equal(reopened.count({}), 2, 'migrated once: the next start finds the current version');
    reopened.close();
  });

  it('refuses a file from a newer Sluice instead of damaging it', () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, 'history.db'));
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    assert.throws(() => HistoryStore.open(dir), /newer than this Sluice/);
  });

  it('imports a history.jsonl of the current format: sampling decisions with request ids and gateway tool calls', async () => {
    const dir = tempDir();
    const lines = [
      JSON.stringify(sampling),
      JSON.stringify(toolCall),
      '{"kind":"toolCall","id":"torn"',
      JSON.stringify({ ...toolCall, id: 'call-2', tool: 'read_note', outcome: 'denied' }),
    ];
    writeFileSync(path.join(dir, 'history.jsonl'), `${lines.join('\n')}\n`);
    const { feature, notice } = await HistoryFeature.open({ dataDir: dir });
    assert.match(notice ?? '', /3 entries were imported and 1 unreadable line\(s\) were skipped/);
    const store = feature.store;
    assert.deepEqual(
      store.page({}, undefined, 10).rows.map((row) => row.id),
      ['call-2', 'call-1', 'old-1'],
    );
    assert.deepEqual(
      store.page({ kind: 'toolCall', outcome: 'denied' }, undefined, 10).rows.map((row) => row.id),
      ['call-2'],
    );
    assert.deepEqual(store.get('call-1')?.entry, toolCall);
    assert.deepEqual(store.get('old-1')?.entry, sampling);
    assert.deepEqual(
      store.page({ text: '41' }, undefined, 10).rows.map((row) => row.id),
      ['old-1'],
      'the request id is searchable',
    );
    assert.deepEqual(store.facets().apps, ['claude-code (Laptop)']);
    assert.equal(store.usage()[0]?.requests, 1, 'tool calls are not sampling requests');
    feature.close();
  });
});
