/**
 * The history store against a real SQLite file in a temp folder: append, pages, filters, search,
 * aggregates, retention, delete, crash safety, the old .jsonl import, export and bounded pages.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { HistoryFeature } from '../../electron/core/history/feature.js';
import { historyHandlers } from '../../electron/core/history/handlers.js';
import { SCHEMA_VERSION } from '../../electron/core/history/history-db.js';
import { writeHistory } from '../../electron/core/history/history-export.js';
import { HistoryStore } from '../../electron/core/history/history-store.js';
import { WRITER_THREAD_NICENESS } from '../../electron/core/history/history-writer-worker.js';
import { streamLines } from '../../electron/core/history/jsonl-import.js';
import { localDay } from '../../electron/core/sampling/usage.js';
import { HistoryPageSchema, type HistoryFilter } from '../../shared/history.js';
import type { SamplingHistoryEntry as HistoryEntry } from '../../shared/domain.js';
import { eventually } from '../helpers/eventually.js';
import { allIds } from '../helpers/history-pages.js';
import { tempDir } from '../helpers/test-host.js';

const BASE = new Date(2025, 4, 1, 10).getTime();

function entry(n: number, over: Partial<HistoryEntry> = {}, question = `question number ${n}`): HistoryEntry {
  return {
    id: `e${n}`,
    serverName: n % 2 ? 'files' : 'weather',
    route: 'push',
    receivedAt: BASE + n * 1000 - 10,
    decidedAt: BASE + n * 1000,
    outcome: n % 3 === 0 ? 'rejected' : 'sent',
    originalParams: { messages: [{ role: 'user', content: { type: 'text', text: question } }], maxTokens: 10 },
    edits: [],
    answerEdited: false,
    usage: { inputTokens: 10, outputTokens: 5 },
    costUsd: 0.001,
    decision: 'user',
    model: { providerId: 'manual', model: 'm1' },
    sent: { role: 'assistant', content: { type: 'text', text: `answer ${n}` }, model: 'm1' },
    ...over,
  };
}

async function storeWith(count: number, dir = tempDir()): Promise<HistoryStore> {
  const store = HistoryStore.open(dir);
  for (let n = 1; n <= count; n++) await store.append(entry(n));
  return store;
}

/** Each thread of this process with its nice value (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNiceValues(): Map<number, number> {
  const values = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // After the command name in parentheses (which may hold anything) come the fields from the third on.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      values.set(Number(tid), Number(fields[19 - 3]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return values;
}

describe('history store (SQLite)', () => {
  it('appends and pages newest first with a cursor, every entry exactly once', async () => {
    const store = await storeWith(25);
    const first = store.page({}, undefined, 10);
    assert.deepEqual(first.rows.map((r) => r.id).slice(0, 3), ['e25', 'e24', 'e23']);
    assert.ok(first.next);
    const ids = allIds(store, {}, 10);
    assert.equal(ids.length, 25);
    assert.equal(new Set(ids).size, 25);
    assert.equal(ids.at(-1), 'e1');
    const row = first.rows[0]!;
    assert.deepEqual(
      {
        kind: row.kind,
        server: row.serverName,
        outcome: row.outcome,
        model: row.model,
        tokens: [row.inputTokens, row.outputTokens],
        edits: row.edits,
      },
      { kind: 'sampling', server: 'files', outcome: 'sent', model: 'm1', tokens: [10, 5], edits: 0 },
    );
    assert.equal(row.summary, 'question number 25');
    store.close();
  });

  it('writes appends made in one turn together, and a read sees every append made before it', async () => {
    const store = HistoryStore.open(tempDir());
    const appends = Array.from({ length: 50 }, (_, n) => store.append(entry(n + 1)));
    // Not awaited: the appends are still queued, and the read must see them anyway.
    assert.equal(store.count({}), 50);
    assert.equal(store.page({}, undefined, 1).rows[0]?.id, 'e50');
    const rows = await Promise.all(appends);
    assert.deepEqual(rows.map((row) => row.id).slice(0, 2), ['e1', 'e2'], 'each append resolves with its own row');
    store.close();
  });

  it('gives one entry back exactly as recorded, with its full request and answer', async () => {
    const store = await storeWith(3);
    const original = entry(2, {
      edits: ['maxTokens: 10 → 5'],
      answerEdited: true,
      answerDiff: ['- a', '+ b'],
      approvedParams: { messages: [], maxTokens: 5 },
    });
    await store.append({ ...original, id: 'full' });
    assert.deepEqual(store.get('full')?.entry, { ...original, id: 'full' });
    assert.equal(store.get('full')?.row.edits, 2);
    assert.equal(store.get('missing'), undefined);
    store.close();
  });

  it('filters by server, outcome, kind, decision, model and time, and counts the same set', async () => {
    const store = await storeWith(30);
    const rejectedFiles = allIds(store, { serverName: 'files', outcome: 'rejected' }, 4);
    assert.deepEqual(rejectedFiles, ['e27', 'e21', 'e15', 'e9', 'e3']);
    assert.equal(store.count({ serverName: 'files', outcome: 'rejected' }), 5);
    assert.equal(store.count({ kind: 'toolCall' }), 0);
    assert.equal(store.count({ kind: 'sampling', decision: 'user', model: 'm1' }), 30);
    assert.deepEqual(allIds(store, { from: BASE + 28_000, to: BASE + 30_000 }, 10), ['e29', 'e28']);
    assert.deepEqual(store.facets().servers, ['files', 'weather']);
    store.close();
  });

  it('searches the messages and answers by whole word (a trailing * for a prefix), typed FTS syntax searched as text', async () => {
    const store = HistoryStore.open(tempDir());
    await store.append(entry(1, {}, 'What is the weather in Zürich tomorrow?'));
    await store.append(entry(2, {}, 'Summarise the repository README'));
    await store.append(entry(3, { sent: { role: 'assistant', content: { type: 'text', text: 'Sunny in Zurich' }, model: 'm1' } }, 'x'));
    assert.deepEqual(allIds(store, { text: 'zürich' }, 10), ['e3', 'e1'], 'accents folded: Zurich in the answer, Zürich in the question');
    assert.deepEqual(allIds(store, { text: 'sunny' }, 10), ['e3'], 'a word in the answer');
    assert.deepEqual(allIds(store, { text: 'sunn' }, 10), [], 'a part of a word is not the word');
    assert.deepEqual(allIds(store, { text: 'sunn*' }, 10), ['e3'], 'unless asked for as a prefix');
    assert.deepEqual(allIds(store, { text: 'summ* readme' }, 10), ['e2'], 'every word must match');
    assert.deepEqual(allIds(store, { text: 'summ* zurich' }, 10), [], 'every word must match');
    assert.deepEqual(allIds(store, { text: 'weather', serverName: 'files' }, 10), ['e1'], 'search and filters combine');
    assert.deepEqual(allIds(store, { text: 'readme" OR "zürich' }, 10), [], 'quotes and OR are words, not syntax');
    assert.deepEqual(allIds(store, { text: '*:(' }, 10).length, 3, 'no word: no text filter');
    assert.equal(store.count({ text: 'the' }), 2);
    store.close();
  });

  it('keeps usage per server per day and the daily token tally as aggregates, also after deletes', async () => {
    const store = HistoryStore.open(tempDir());
    const day2 = BASE + 86_400_000;
    await store.append(entry(1, { serverName: 'files', usage: { inputTokens: 100, outputTokens: 20 }, costUsd: 0.01 }));
    await store.append(entry(2, { serverName: 'files', usage: { inputTokens: 50, outputTokens: 5 }, costUsd: 0.002, outcome: 'failed' }));
    await store.append(entry(3, { serverName: 'web', usage: { inputTokens: 7 }, costUsd: undefined }));
    await store.append(entry(4, { serverName: 'files', decidedAt: day2, usage: { inputTokens: 1, outputTokens: 1 }, costUsd: undefined }));
    const rows = store.usage();
    assert.deepEqual(
      rows.map((r) => [r.day, r.serverName, r.requests, r.sent, r.inputTokens, r.outputTokens]),
      [
        [localDay(day2), 'files', 1, 1, 1, 1],
        [localDay(BASE), 'files', 2, 1, 150, 25],
        [localDay(BASE), 'web', 1, 0, 7, 0],
      ],
    );
    assert.equal(Math.round(rows[1]!.costUsd * 1000) / 1000, 0.012);
    assert.equal(store.tokensOn('files', localDay(BASE)), 175);
    assert.equal(store.tokensOn('web', localDay(day2)), 0);
    assert.equal(await store.delete({ serverName: 'web' }), 1);
    assert.deepEqual(
      store.usage().map((r) => r.serverName),
      ['files', 'files'],
      'a day with nothing left disappears',
    );
    await store.delete({ outcome: 'failed' });
    assert.equal(store.tokensOn('files', localDay(BASE)), 120);
    store.close();
  });

  it('deletes a filtered selection (the count it showed, nothing recorded after it)', async () => {
    const store = await storeWith(20);
    const filter: HistoryFilter = { serverName: 'weather' };
    const upTo = store.newestSeq();
    assert.equal(store.count(filter, upTo), 10);
    await store.append(entry(22)); // arrives while the user reads the confirmation
    assert.equal(await store.delete(filter, upTo), 10);
    assert.deepEqual(allIds(store, filter, 50), ['e22']);
    assert.equal(store.count({}), 11);
    assert.deepEqual(allIds(store, { text: 'question' }, 50).length, 11, 'the search index forgot the deleted entries');
    store.close();
  });

  it('applies retention: keep N entries, keep N days, keep everything (the default, stored in the file)', async () => {
    const dir = tempDir();
    const store = await storeWith(30, dir);
    assert.deepEqual(store.retention(), { mode: 'all' });
    assert.equal(await store.applyRetention(), 0);
    assert.equal(await store.setRetention({ mode: 'entries', entries: 12 }), 18);
    assert.deepEqual(allIds(store, {}, 50).slice(-1), ['e19']);
    store.close();
    const reopened = HistoryStore.open(dir);
    assert.deepEqual(reopened.retention(), { mode: 'entries', entries: 12 }, 'the setting is stored');
    const now = Date.now();
    await reopened.append(entry(100, { decidedAt: now - 3 * 86_400_000 }));
    await reopened.append(entry(101, { decidedAt: now - 3_600_000 }));
    assert.equal(await reopened.setRetention({ mode: 'days', days: 2 }), 13, 'the 12 from 2025 and the one from 3 days ago');
    assert.deepEqual(allIds(reopened, {}, 50), ['e101']);
    await reopened.setRetention({ mode: 'all' });
    assert.equal(await reopened.applyRetention(), 0);
    reopened.close();
  });

  it('records the schema version; files are 0600', async () => {
    const dir = tempDir();
    const store = await storeWith(1, dir);
    assert.equal(SCHEMA_VERSION, 3);
    for (const suffix of ['', '-wal', '-shm']) {
      const file = path.join(dir, `history.db${suffix}`);
      if (existsSync(file)) assert.equal(statSync(file).mode & 0o777, 0o600, file);
    }
    store.close();
  });

  it('closes once (quitting from two places), and an entry recorded after it is refused in words, not lost silently', async () => {
    const dir = tempDir();
    const store = await storeWith(2, dir);
    store.close();
    assert.doesNotThrow(() => store.close());
    await assert.rejects(store.append(entry(3)), /history is closed/);
    const reopened = HistoryStore.open(dir);
    assert.equal(reopened.count({}), 2);
    reopened.close();
  });

  it('keeps a page payload bounded whatever the entries hold', async () => {
    const store = HistoryStore.open(tempDir());
    const huge = 'word '.repeat(40_000); // 200 KB of message per entry
    for (let n = 0; n < 200; n++) {
      await store.append(entry(n, { serverName: `server-${'x'.repeat(5000)}-${n % 3}`, detail: huge }, huge));
    }
    const page = store.page({}, undefined, 200);
    assert.equal(page.rows.length, 200);
    const bytes = Buffer.byteLength(JSON.stringify(HistoryPageSchema.parse(page)));
    assert.ok(bytes < 200 * 1024, `a page of 200 rows is ${bytes} bytes`);
    assert.ok(page.rows.every((row) => row.summary.length <= 160 && row.serverName.length <= 120));
    assert.equal(store.page({}, undefined, 10_000).rows.length, 200, 'the page size is capped');
    store.close();
  });
});

describe('history threads priority', () => {
  it(
    'runs the writer and checkpointer threads nicer than the host, and lowers nothing else',
    { skip: process.platform !== 'linux' && 'only Linux has a nice value per thread; elsewhere the threads keep the host priority' },
    async (t) => {
      const base = os.getPriority();
      const lowered = Math.min(19, base + WRITER_THREAD_NICENESS);
      if (lowered === base) return t.skip(`this process already runs at nice ${base}: nothing can be lower`);
      const loweredThreads = () => [...threadNiceValues()].filter(([, nice]) => nice === lowered).map(([tid]) => tid);
      const before = loweredThreads().length;
      const store = HistoryStore.open(tempDir());
      await store.append(entry(1));
      await eventually('the two history threads at the lower priority', () => loweredThreads().length === before + 2);
      assert.equal(threadNiceValues().get(process.pid), base, "the host's own thread keeps its priority");
      store.close();
      await eventually('the history threads gone', () => loweredThreads().length === before);
    },
  );
});

describe('history crash safety', () => {
  it('keeps every committed entry when the writing process is killed mid-write', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'fixtures', 'history-writer.ts'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await eventually('300 committed appends', () => out.split('\n').length > 300);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const committed = out.split('\n').filter((line) => /^w\d+$/.test(line));
    const store = HistoryStore.open(dir);
    const present = new Set(allIds(store, {}, 200));
    const missing = committed.filter((id) => !present.has(id));
    assert.deepEqual(missing, [], `${committed.length} committed, ${present.size} present`);
    assert.ok(present.size >= committed.length);
    assert.equal(store.count({ text: 'lorem' }), present.size, 'the search index is consistent with the entries');
    store.close();
  });
});

describe('history.jsonl import (the format before the database)', () => {
  it('streams the old file in, skips and counts a corrupt line and a foreign one, keeps the file renamed', async () => {
    const dir = tempDir();
    const lines = [JSON.stringify(entry(1)), '{"id":"torn","serverN', JSON.stringify({ not: 'an entry' }), '', JSON.stringify(entry(2))];
    writeFileSync(path.join(dir, 'history.jsonl'), `${lines.join('\n')}\n${JSON.stringify(entry(3))}`); // no final newline
    const { feature, notice } = await HistoryFeature.open({ dataDir: dir });
    assert.deepEqual(allIds(feature.store, {}, 10), ['e3', 'e2', 'e1']);
    assert.match(notice ?? '', /3 entries were imported and 2 unreadable line\(s\) were skipped/);
    assert.equal(existsSync(path.join(dir, 'history.jsonl')), false);
    assert.equal(readFileSync(path.join(dir, 'history.jsonl.imported'), 'utf8').split('\n').length, 6, 'kept as it was');
    assert.deepEqual(feature.store.get('e1')?.entry, entry(1));
    feature.close();
    // Started again, nothing is imported twice and the data is still there.
    const again = await HistoryFeature.open({ dataDir: dir });
    assert.equal(again.notice, undefined);
    assert.equal(again.feature.store.count({}), 3);
    again.feature.close();
  });

  it('splits lines across chunks and drops a line longer than the limit without buffering it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'lines.txt');
    writeFileSync(file, `short\n${'y'.repeat(3000)}\nafter\n${'z'.repeat(3000)}`);
    const lines: Array<string | undefined> = [];
    for await (const line of streamLines(file, 1000)) lines.push(line);
    assert.deepEqual(lines, ['short', undefined, 'after', undefined]);
  });

  it('re-runs an interrupted import without duplicates (entries keep their ids)', async () => {
    const dir = tempDir();
    const store = HistoryStore.open(dir);
    await store.append(entry(1)); // imported before the crash
    store.close();
    writeFileSync(path.join(dir, 'history.jsonl'), `${JSON.stringify(entry(1))}\n${JSON.stringify(entry(2))}\n`);
    const { feature } = await HistoryFeature.open({ dataDir: dir });
    assert.deepEqual(allIds(feature.store, {}, 10), ['e2', 'e1']);
    feature.close();
  });

  it('moves an unreadable history.db aside and starts a new one', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'history.db'), 'this is not a database, just some bytes '.repeat(200));
    const { feature, notice } = await HistoryFeature.open({ dataDir: dir });
    assert.match(notice ?? '', /moved aside as .*history\.db\.corrupt-/);
    await feature.store.append(entry(1));
    assert.equal(feature.store.count({}), 1);
    feature.close();
  });
});

describe('history export', () => {
  async function exported(store: HistoryStore, filter: HistoryFilter, format: 'jsonl' | 'csv'): Promise<string> {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    await writeHistory(store, filter, format, out);
    return text;
  }

  it('streams JSON lines with every entry as recorded, in batches, filtered', async () => {
    const store = await storeWith(1203);
    const text = await exported(store, { serverName: 'files' }, 'jsonl');
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 602);
    assert.deepEqual(JSON.parse(lines[0]!), { kind: 'sampling', ...entry(1203) });
    store.close();
  });

  it('writes CSV with a header, quoting, and formulas defused', async () => {
    const store = HistoryStore.open(tempDir());
    await store.append(entry(1, {}, '=HYPERLINK("http://evil")'));
    await store.append(entry(2, {}, 'plain, with "quotes"'));
    const [header, ...rows] = (await exported(store, {}, 'csv')).trimEnd().split('\r\n');
    assert.equal(
      header,
      'id,kind,decidedAt,serverName,app,tool,outcome,decision,model,inputTokens,outputTokens,costUsd,latencyMs,edits,summary',
    );
    assert.match(rows[0]!, /^e2,sampling,\d+,weather,,,sent,user,m1,10,5,0\.001,,0,"plain, with ""quotes"""$/);
    assert.match(rows[1]!, /,"'=HYPERLINK\(""http:\/\/evil""\)"$/);
    store.close();
  });
});

describe('history export on the desktop (a save dialog, then a streamed file)', () => {
  it('asks where to save with a dated name, writes a 0600 file, and does nothing when cancelled', async () => {
    const dir = tempDir();
    const target = path.join(tempDir(), 'out.csv');
    const asked: string[] = [];
    let answer: string | undefined = target;
    const { feature } = await HistoryFeature.open({ dataDir: dir });
    for (let n = 1; n <= 3; n++) await feature.store.append(entry(n));
    const handlers = historyHandlers({
      history: feature.store,
      exportLinks: feature.exportLinks,
      pickSaveFile: async (name) => (asked.push(name), answer),
    });
    assert.deepEqual(await handlers['history:export']({ filter: { serverName: 'files' }, format: 'csv' }), { path: target, count: 2 });
    assert.match(asked[0] ?? '', /^sluice-history-\d{4}-\d{2}-\d{2}\.csv$/);
    assert.equal(readFileSync(target, 'utf8').trimEnd().split('\r\n').length, 3, 'header and two rows');
    assert.equal(statSync(target).mode & 0o777, 0o600);
    answer = undefined;
    assert.deepEqual(await handlers['history:export']({ filter: {}, format: 'jsonl' }), { count: 0 });
    feature.close();
  });

  it('web mode: a one-time download address for the filter, that works once and for a minute', async () => {
    const { feature } = await HistoryFeature.open({ dataDir: tempDir() });
    for (let n = 1; n <= 3; n++) await feature.store.append(entry(n));
    const handlers = historyHandlers({ history: feature.store, exportLinks: feature.exportLinks });
    const answer = await handlers['history:export']({ filter: { serverName: 'files' }, format: 'csv' });
    assert.equal(answer.count, 2);
    assert.match(answer.download ?? '', /^\/history\/export\?ticket=/);
    const ticket = new URL(answer.download ?? '', 'http://127.0.0.1').searchParams.get('ticket');
    assert.deepEqual(feature.exportLinks.take(ticket), { filter: { serverName: 'files' }, format: 'csv' });
    assert.equal(feature.exportLinks.take(ticket), undefined, 'used once');
    assert.equal(feature.exportLinks.take('made-up'), undefined);
    const later = feature.exportLinks.issue({}, 'jsonl', Date.now() - 61_000);
    assert.equal(feature.exportLinks.take(new URL(later, 'http://x').searchParams.get('ticket')), undefined, 'expired');
    feature.close();
  });
});
