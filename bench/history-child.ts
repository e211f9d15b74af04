/**
 * The history benchmark's measurements that need a fresh process: host start (cold), queries and
 * appends through the host, and the .jsonl import. Prints one JSON line. Run by bench/history.ts.
 *   node --import tsx bench/history-child.ts start|queries|import <dataDir>
 */
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { SluiceHost } from '../electron/core/host.js';
import { HistoryStore } from '../electron/core/history/history-store.js';
import { importHistoryJsonl } from '../electron/core/history/jsonl-import.js';
import { FileSecretStore } from '../electron/core/storage/secret-store.js';
import { generatedEntry } from './history-data.js';
import { percentile } from './stats.js';

const [mode, dataDir] = process.argv.slice(2) as [string, string];

function start(): Promise<SluiceHost> {
  return SluiceHost.start({ dataDir, secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')), mode: 'web' });
}

async function timed(runs: number, fn: (run: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    await fn(run);
    samples.push(performance.now() - t0);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * 50 servers recording decisions concurrently (async producers in the host, each appending an
 * entry every 0-`maxGapMs` ms through the path the sampling broker uses), while the view pages.
 * An append's time runs from the call to its promise resolving: queued, written and committed.
 * The event loop's delay over the same stretch says how long the writes held everything else.
 */
async function appendLoad(host: SluiceHost, maxGapMs: number, count: number) {
  const appendMs: number[] = [];
  let stop = false;
  let n = 0;
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const t0 = performance.now();
  const producers = Array.from({ length: 50 }, async (_, server) => {
    while (!stop) {
      await sleep(Math.random() * maxGapMs);
      const entry = {
        ...generatedEntry(n, 1),
        id: `load-${maxGapMs}-${server}-${n++}`,
        serverName: `load-${server}`,
        decidedAt: Date.now(),
      };
      const started = performance.now();
      await host.history.record(entry);
      appendMs.push(performance.now() - started);
    }
  });
  const pager = (async () => {
    while (!stop) {
      await host.invoke('history:page', { filter: {}, limit: 100 });
      await sleep(50);
    }
  })();
  while (appendMs.length < count) await sleep(100);
  stop = true;
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all([...producers, pager]);
  loopDelay.disable();
  return {
    count: appendMs.length,
    perSecond: appendMs.length / seconds,
    p50: percentile(appendMs, 50),
    p95: percentile(appendMs, 95),
    max: percentile(appendMs, 100),
    loop: { p50: loopDelay.percentile(50) / 1e6, p95: loopDelay.percentile(95) / 1e6, max: loopDelay.max / 1e6 },
  };
}

async function main(): Promise<unknown> {
  if (mode === 'start') {
    const t0 = performance.now();
    const host = await start();
    const startMs = performance.now() - t0;
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    await host.close();
    return { startMs, rssMb };
  }
  if (mode === 'import') {
    const store = HistoryStore.open(dataDir);
    const t0 = performance.now();
    const result = await importHistoryJsonl(store, dataDir);
    const ms = performance.now() - t0;
    store.close();
    return { ms, imported: result?.imported, skipped: result?.skipped, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  }
  // queries
  const host = await start();
  const servers = (await host.invoke('history:facets', {})).servers;
  const words = ['weather', 'invoice', 'calendar', 'merge', 'citation', 'deploy', 'translate', 'latency', 'abstract', 'audio'];
  const firstPage = await timed(20, () => host.invoke('history:page', { filter: {}, limit: 100 }));
  const filtered = await timed(20, (run) =>
    host.invoke('history:page', { filter: { serverName: servers[run % servers.length]!, outcome: 'rejected' }, limit: 100 }),
  );
  const search = await timed(20, (run) => host.invoke('history:page', { filter: { text: words[run % words.length]! }, limit: 100 }));
  // The generated servers hold one entry in 50 each; the bench's own append loads leave servers
  // with a few hundred entries (load-N), the case where a search must look through everything.
  const common = servers.filter((name) => name.startsWith('server-'));
  const rare = servers.filter((name) => name.startsWith('load-'));
  const searchWith = (names: string[]) =>
    timed(20, (run) =>
      host.invoke('history:page', {
        filter: { text: `${words[run % words.length]!} ${words[(run + 3) % words.length]!}`, serverName: names[run % names.length]! },
        limit: 100,
      }),
    );
  const searchTwo = await searchWith(common.length ? common : servers);
  const searchTwoRare = rare.length ? await searchWith(rare) : undefined;
  const deepPage = await timed(20, async () => {
    let page = await host.invoke('history:page', { filter: {}, limit: 200 });
    for (let i = 0; i < 9 && page.next; i++) page = await host.invoke('history:page', { filter: {}, cursor: page.next, limit: 200 });
  });
  const count = await timed(5, () => host.invoke('history:count', { filter: {} }));
  const countFiltered = await timed(5, (run) => host.invoke('history:count', { filter: { serverName: servers[run]!, outcome: 'sent' } }));
  const countSearch = await timed(5, (run) => host.invoke('history:count', { filter: { text: words[run]! } }));
  const usage = await timed(5, () => host.invoke('history:usage', {}));
  const detail = await timed(20, (run) => host.invoke('history:get', { id: `gen-${run * 40_000}` }));
  const pageBytes = Buffer.byteLength(JSON.stringify(await host.invoke('history:page', { filter: {}, limit: 200 })));

  const stress = await appendLoad(host, 20, 5000);
  const steady = await appendLoad(host, 2000, 1500);
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  await host.close();
  return {
    firstPage,
    filtered,
    search,
    searchTwo,
    searchTwoRare,
    deepPage,
    count,
    countFiltered,
    countSearch,
    usage,
    detail,
    pageBytes,
    stress,
    steady,
    rssMb,
  };
}

main().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
