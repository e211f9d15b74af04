/**
 * History at scale: 1,000,000 generated entries of a few KB each in history.db.
 *   - host start to ready (fresh processes, median of 5) with that history vs an empty one;
 *   - first page, a filtered page, full-text searches, counts, one entry's details (p50/p95 of 20);
 *   - appends while 50 servers record concurrently (p95);
 *   - the History view in Chromium (web mode): time to the first row, and host RSS with it open;
 *   - the import of a 100,000-line history.jsonl: time and peak RSS.
 * The generated database is kept in the temp folder and reused by the next run (it takes minutes
 * to build); SLUICE_BENCH_HISTORY_FRESH=1 builds it again, SLUICE_BENCH_HISTORY=N changes the size.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { HistoryStore } from '../electron/core/history/history-store.js';
import { SCHEMA_VERSION } from '../electron/core/history/history-db.js';
import { recordOf } from '../electron/core/history/history-record.js';
import { tempDir } from '../tests/helpers/test-host.js';
import { browserSkipReason, launchChromium, startWebHost } from '../tests/helpers/web-mode.js';
import { generatedEntry } from './history-data.js';
import type { BenchSection } from './run.js';
import { ms, verdict } from './stats.js';

const COUNT = Number(process.env.SLUICE_BENCH_HISTORY ?? 1_000_000);
const IMPORT_LINES = 100_000;
const title = `5. History at scale (${COUNT.toLocaleString('en')} entries)`;

type Timing = { p50: number; p95: number };
type AppendLoad = Timing & { count: number; perSecond: number; max: number; loop: Timing & { max: number } };

function child(mode: string, dataDir: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'history-child.ts'), mode, dataDir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function rssMegabytes(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** The generated database, built once and kept for later runs (a smaller one is topped up). */
async function generatedDb(lines: string[]): Promise<string> {
  const dir = path.join(os.tmpdir(), `sluice-bench-history-${COUNT}`);
  const file = path.join(dir, 'history.db');
  let have = 0;
  if (existsSync(file) && !process.env.SLUICE_BENCH_HISTORY_FRESH) {
    const t0 = performance.now();
    const store = HistoryStore.open(dir);
    const opened = performance.now() - t0;
    have = store.count({});
    // A file from an older schema is indexed again in the background (v2 → v3): measured here,
    // and finished before the figures below, which are about the finished index.
    if (!store.searchIsComplete()) {
      while (!store.searchIsComplete()) await new Promise((resolve) => setTimeout(resolve, 1_000));
      lines.push(
        `- Migration of the reused file to schema v${SCHEMA_VERSION}: opened (migrated) in ${ms(opened)}; search index rebuilt in the background (writer thread) in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
    }
    store.close();
    if (have >= COUNT) {
      lines.push(
        `- History: reused ${file} (${have.toLocaleString('en')} entries, ${(statSync(file).size / 2 ** 30).toFixed(2)} GiB, schema v${SCHEMA_VERSION})`,
      );
      return dir;
    }
  } else {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  const store = HistoryStore.open(dir);
  const t0 = performance.now();
  const now = Date.now();
  let bytes = 0;
  const BATCH = 5_000;
  for (let start = have; start < COUNT; start += BATCH) {
    const records = Array.from({ length: Math.min(BATCH, COUNT - start) }, (_, k) => {
      const entry = generatedEntry(start + k, COUNT, now);
      if (start === have && k < 100) bytes += JSON.stringify(entry).length;
      return recordOf(entry);
    });
    store.insertAll(records);
    if (((start - have) / BATCH) % 40 === 0) process.stdout.write(`  generated ${start.toLocaleString('en')}\r`);
  }
  store.close();
  const seconds = (performance.now() - t0) / 1000;
  const added = COUNT - have;
  lines.push(
    `- History: ${have > 0 ? `topped up ${have.toLocaleString('en')} existing entries with ${added.toLocaleString('en')} more` : `generated ${COUNT.toLocaleString('en')} entries`} ` +
      `(${(bytes / 100 / 1024).toFixed(1)} KB of JSON each) in ${seconds.toFixed(0)} s ` +
      `(${Math.round(added / seconds).toLocaleString('en')} entries/s in batches of ${BATCH}); history.db is ${(statSync(file).size / 2 ** 30).toFixed(2)} GiB`,
  );
  return dir;
}

async function writeJsonl(file: string, count: number): Promise<number> {
  const out = createWriteStream(file);
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const line = `${JSON.stringify(generatedEntry(i, count, now))}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return statSync(file).size;
}

/** The History view in Chromium: time from the click to the first row, and the host's RSS. */
async function historyView(dataDir: string): Promise<string[]> {
  const skip = browserSkipReason();
  if (skip) return [`- History view in Chromium: skipped (${skip})`];
  const web = await startWebHost(dataDir);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(web.url);
    await page.getByRole('button', { name: /^Servers/ }).waitFor();
    const rssBefore = rssMegabytes(web.child.pid!);
    const samples: number[] = [];
    for (let run = 0; run < 5; run++) {
      await page.getByRole('button', { name: /^Servers/ }).click();
      const t0 = performance.now();
      await page.getByRole('button', { name: /^History/ }).click();
      await page.locator('.history-item').first().waitFor();
      samples.push(performance.now() - t0);
    }
    // Scroll through 20 pages (2,000 rows) and open an entry, as a user would.
    for (let i = 0; i < 20; i++) {
      const loaded = await page.locator('.history-item').count();
      await page.getByTestId('history-list').evaluate((el) => el.scrollBy(0, el.scrollHeight));
      await page.waitForTimeout(150);
      if (loaded === 0) break;
    }
    await page.locator('.history-item').first().click();
    await page.getByTestId('history-detail').getByText('Original params').waitFor();
    const domRows = await page.locator('.history-item').count();
    const rss = rssMegabytes(web.child.pid!);
    return [
      `- History view (Chromium, web mode): click → first row painted, median of 5: ${ms(median(samples))} (max ${ms(Math.max(...samples))}); ${domRows} rows in the DOM after scrolling 20 pages`,
      `- Host RSS: ${rssBefore.toFixed(0)} MB before the view, ${rss.toFixed(0)} MB with the view open, scrolled and an entry open (target < 250 MB: ${verdict(rss < 250)})`,
    ];
  } finally {
    await browser.close();
    await web.stop();
  }
}

export async function benchHistory(): Promise<BenchSection> {
  // Printed as they come too: the whole run takes a while.
  const lines: string[] = [];
  const push = lines.push.bind(lines);
  lines.push = (...items: string[]) => {
    for (const item of items) console.log(item);
    return push(...items);
  };
  const load = () =>
    os
      .loadavg()
      .map((value) => value.toFixed(1))
      .join(' / ');
  lines.push(
    `- Machine load (1 / 5 / 15 min load average, ${os.cpus().length} cores, shared with other engineers' builds and tests) at the start: ${load()}`,
  );
  const dir = await generatedDb(lines);

  // Host start: fresh processes, with this history and with none.
  const empty = tempDir('sluice-bench-history-empty-');
  const startWith: number[] = [];
  const startWithout: number[] = [];
  for (let run = 0; run < 5; run++) {
    startWithout.push(child('start', empty).startMs as number);
    startWith.push(child('start', dir).startMs as number);
  }
  const extra = median(startWith) - median(startWithout);
  lines.push(
    `- Host start to ready (median of 5 fresh processes): ${ms(median(startWith))} with the history, ${ms(median(startWithout))} with none: ` +
      `${extra >= 0 ? '+' : ''}${ms(extra)} (target < 500 ms more: ${verdict(extra < 500)})`,
  );

  const q = child('queries', dir) as Record<string, Timing> & {
    searchTwoRare?: Timing;
    pageBytes: number;
    rssMb: number;
    stress: AppendLoad;
    steady: AppendLoad;
  };
  const appends = (what: string, a: AppendLoad) =>
    `- Appends, ${what}: ${a.count} appends at ${Math.round(a.perSecond).toLocaleString('en')}/s, from the call to the append's promise resolving ` +
    `(queued, written in a batch, committed): p50 ${ms(a.p50)}, p95 ${ms(a.p95)}, max ${ms(a.max)} (target p95 < 5 ms: ${verdict(a.p95 < 5)}); ` +
    `the host's event-loop delay meanwhile: p50 ${ms(a.loop.p50)}, p95 ${ms(a.loop.p95)}, max ${ms(a.loop.max)}`;
  const row = (label: string, t: Timing, target?: number) =>
    `| ${label} | ${ms(t.p50)} | ${ms(t.p95)} | ${target === undefined ? '—' : `< ${target} ms: ${verdict(t.p95 < target)}`} |`;
  lines.push(
    '',
    'Through `SluiceHost.invoke` (contract validation included), 20 runs each unless noted:',
    '',
    '| query | p50 | p95 | target (p95) |',
    '|---|---|---|---|',
    row('first page (100 rows)', q.firstPage!, 100),
    row('filtered page: server + decision', q.filtered!, 100),
    row('full-text search, one word', q.search!, 100),
    row('full-text search, two words + server (1 entry in 50)', q.searchTwo!, 100),
    ...(q.searchTwoRare ? [row('full-text search, two words + server (~300 entries)', q.searchTwoRare, 100)] : []),
    row('10 pages deep (2,000 rows, cursor)', q.deepPage!),
    row("one entry's details (history:get)", q.detail!),
    row('count, everything (5 runs)', q.count!),
    row('count, server + decision (5 runs)', q.countFiltered!),
    row('count, one search word (5 runs)', q.countSearch!),
    row('usage per server per day (5 runs)', q.usage!),
    '',
    `- A page of 200 rows is ${(q.pageBytes / 1024).toFixed(1)} KB of JSON (the IPC payload; a page never carries requests or answers).`,
    appends(
      '50 servers each recording one entry every 0-20 ms (a stress rate, beyond what one core can index), the view paging every 50 ms',
      q.stress,
    ),
    appends(
      '50 servers each recording one entry every 0-2 s (about one request per server per second), the view paging every 50 ms',
      q.steady,
    ),
    `- Host RSS after all of the above (no UI): ${q.rssMb.toFixed(0)} MB`,
  );

  lines.push(...(await historyView(dir)));

  // The one-time import of the old format.
  const importDir = tempDir('sluice-bench-history-import-');
  const size = await writeJsonl(path.join(importDir, 'history.jsonl'), IMPORT_LINES);
  const imported = child('import', importDir) as { ms: number; imported: number; skipped: number; maxRssMb: number };
  lines.push(
    `- Import of a ${IMPORT_LINES.toLocaleString('en')}-line history.jsonl (${(size / 2 ** 20).toFixed(0)} MB): ${(imported.ms / 1000).toFixed(1)} s, ` +
      `${imported.imported.toLocaleString('en')} entries, peak RSS ${imported.maxRssMb.toFixed(0)} MB (streamed: the file is never read whole)`,
  );
  rmSync(importDir, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
  lines.push(`- Machine load at the end: ${load()}`);
  return { title, lines };
}
