/**
 * Request to dialog: from the server calling createMessage to the approval dialog painted in
 * chromium, through the real web-mode host. Each request is rejected once seen, then the next sent.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../tests/helpers/test-host.js';
import { browserSkipReason, launchChromium, openBridgeClient, startWebHost } from '../tests/helpers/web-mode.js';
import { dialogsShown, watchDialogs } from './browser-probe.js';
import type { BenchSection } from './run.js';
import { ms, percentile, verdict } from './stats.js';

const REQUESTS = 100;
const SERVER = path.join(__dirname, 'fixtures', 'sampling-server.mjs');
const title = `2. Request to dialog (web mode, chromium, ${REQUESTS} requests)`;

export async function benchDialogLatency(): Promise<BenchSection> {
  const skip = browserSkipReason();
  if (skip) return { title, lines: [`Skipped: ${skip}`] };
  const dataDir = tempDir('sluice-bench-dialog-');
  writeFileSync(
    path.join(dataDir, 'servers.json'),
    JSON.stringify({ mcpServers: { bench: { command: process.execPath, args: [SERVER], era: 'legacy' } } }),
  );
  const web = await startWebHost(dataDir);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(web.url);
    await page.getByTestId('server-bench').getByText('Connected').waitFor({ timeout: 30_000 });
    await watchDialogs(page);
    const bridge = await openBridgeClient(web);
    const latencies: number[] = [];
    for (let index = 0; index < REQUESTS + 5; index += 1) {
      const call = bridge.invoke('servers:callTool', { name: 'bench', tool: 'sample_timed', arguments: {} });
      await page.waitForFunction((count) => (window as unknown as { __dialogShown: number[] }).__dialogShown.length > count, index);
      const pending = (await bridge.invoke('sampling:list', {})) as Array<{ id: string }>;
      for (const request of pending) await bridge.invoke('sampling:reject', { id: request.id });
      const result = (await call) as { content: Array<{ text: string }> };
      const { sentAt } = JSON.parse(result.content[0]?.text ?? '{}') as { sentAt: number };
      const shown = (await dialogsShown(page))[index] ?? Number.NaN;
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      if (index >= 5) latencies.push(shown - sentAt); // the first few warm up the page
    }
    bridge.close();
    const [p50, p95] = [percentile(latencies, 50), percentile(latencies, 95)];
    return {
      title,
      lines: [
        `p50 ${ms(p50)}, p95 ${ms(p95)}, max ${ms(Math.max(...latencies))} (server's createMessage → dialog painted).`,
        `Target p95 < 50 ms: ${verdict(p95 < 50)}.`,
      ],
    };
  } finally {
    await browser.close();
    await web.stop();
  }
}
