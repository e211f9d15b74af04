/**
 * Scale: 50 stdio servers connected and 1,000 sampling requests queued (20 from each). Measures
 * the time to render the queue (Requests view) and to open one request, and the host's RSS.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eventually } from '../tests/helpers/eventually.js';
import { tempDir } from '../tests/helpers/test-host.js';
import { browserSkipReason, launchChromium, openBridgeClient, startWebHost } from '../tests/helpers/web-mode.js';
import type { BenchSection } from './run.js';
import { ms, verdict } from './stats.js';

const SERVERS = 50;
const PER_SERVER = 20;
const SERVER = path.join(__dirname, 'fixtures', 'sampling-server.mjs');
const title = `3. Scale (${SERVERS} stdio servers, ${SERVERS * PER_SERVER} queued requests)`;

function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

export async function benchScale(): Promise<BenchSection> {
  const skip = browserSkipReason();
  if (skip) return { title, lines: [`Skipped: ${skip}`] };
  const total = SERVERS * PER_SERVER;
  const dataDir = tempDir('sluice-bench-scale-');
  const mcpServers = Object.fromEntries(
    Array.from({ length: SERVERS }, (_, index) => [`bench-${index}`, { command: process.execPath, args: [SERVER], era: 'legacy' }]),
  );
  writeFileSync(path.join(dataDir, 'servers.json'), JSON.stringify({ mcpServers }));
  const started = Date.now();
  const web = await startWebHost(dataDir);
  const browser = await launchChromium();
  try {
    const bridge = await openBridgeClient(web);
    type Status = { state: string };
    await eventually(
      'all servers to connect',
      async () => ((await bridge.invoke('servers:list', {})) as Status[]).filter((s) => s.state === 'connected').length === SERVERS,
      { timeoutMs: 120_000, intervalMs: 200 },
    );
    const connectSeconds = (Date.now() - started) / 1000;
    for (let index = 0; index < SERVERS; index += 1) {
      await bridge.invoke('servers:callTool', { name: `bench-${index}`, tool: 'sample_burst', arguments: { count: PER_SERVER } });
    }
    await eventually('the queue to fill', async () => ((await bridge.invoke('sampling:list', {})) as unknown[]).length === total, {
      timeoutMs: 120_000,
      intervalMs: 200,
    });
    const rss = rssMegabytes(web.child.pid ?? 0);

    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(web.url);
    // The oldest request opens on its own; put it aside to look at the queue.
    await page.getByRole('dialog').waitFor({ timeout: 60_000 });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    // Plain script text: the TypeScript loader would wrap named inner functions in a helper the page lacks.
    const renderQueue = await page.evaluate<number>(`(async () => {
      const start = performance.now();
      const nav = [...document.querySelectorAll('nav .nav-button')].find((b) => b.querySelector('.nav-label')?.textContent === 'Requests');
      if (!nav) throw new Error('no Requests button in the sidebar');
      nav.click();
      // Rendered = the view says all ${total} are waiting and the first rows are in the DOM.
      const ready = () =>
        document.querySelector('#requests-title')?.parentElement?.textContent?.includes('${total} waiting') &&
        document.querySelectorAll('[data-testid^="request-"]').length > 0;
      while (!ready()) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
      return performance.now() - start;
    })()`);
    const openOne = await page.evaluate<number>(`(async () => {
      const rows = document.querySelectorAll('[data-testid^="request-"]');
      const row = rows[Math.floor(rows.length / 2)];
      const button = [...(row?.querySelectorAll('button') ?? [])].find((b) => b.textContent?.trim() === 'Open');
      if (!button) throw new Error('no Open button on a queue row');
      const start = performance.now();
      button.click();
      while (!document.querySelector('[role="dialog"]')) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      await new Promise((resolve) => requestAnimationFrame(resolve));
      return performance.now() - start;
    })()`);
    const rows = await page.locator('[data-testid^="request-"]').count();
    const rssAfter = rssMegabytes(web.child.pid ?? 0);
    bridge.close();
    return {
      title,
      lines: [
        `- ${SERVERS} servers connected in ${connectSeconds.toFixed(1)} s (host start included); ${total} requests queued (the list is virtualised: ${rows} rows in the DOM).`,
        `- Render the queue: ${ms(renderQueue)} (target < 100 ms: ${verdict(renderQueue < 100)})`,
        `- Open one request: ${ms(openOne)} (target < 100 ms: ${verdict(openOne < 100)})`,
        `- Host RSS: ${rss.toFixed(0)} MB with the queue full, ${rssAfter.toFixed(0)} MB after the UI loaded it (target < 300 MB: ${verdict(Math.max(rss, rssAfter) < 300)})`,
      ],
    };
  } finally {
    await browser.close();
    await web.stop();
  }
}
