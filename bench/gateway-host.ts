/**
 * The benchmark's host, in a process of its own as in real use (the desktop app or `npm run web`;
 * the calling app is another program): starts a host on a fresh data folder with the benchmark's
 * stdio server, creates an app token, and prints one JSON line (port, token, data folder). On
 * `stats` in stdin it prints its CPU time and RSS; on stdin's end it quits.
 */
import { startTestHost, stdioFixture, tempDir, waitForState } from '../tests/helpers/test-host.js';

async function main(): Promise<void> {
  const [serverScript] = process.argv.slice(2);
  if (!serverScript) throw new Error('usage: gateway-host.ts <server script>');
  const dataDir = tempDir('sluice-bench-gateway-');
  const host = await startTestHost(dataDir);
  await host.invoke('servers:save', { definition: stdioFixture('bench', serverScript) });
  await waitForState(host, 'bench', 'connected');
  const { token } = await host.invoke('gateway:createToken', { label: 'bench' });
  process.stdout.write(`${JSON.stringify({ port: host.gateway.listeningPort, token, dataDir })}\n`);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text: string) => {
    if (!text.includes('stats')) return;
    const cpu = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, rss: process.memoryUsage().rss })}\n`);
  });
  process.stdin.on('end', () => void host.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
