/**
 * Gateway overhead: `tools/call` on a tool that does 2 ms of work (a timer), from the same SDK
 * client connected three ways, interleaved round by round in one run: directly to the stdio
 * server, through the gateway over HTTP, and through the stdio relay. Then 20 apps at once making
 * 100 calls each through the gateway: every call must succeed; the host's RSS is reported.
 *
 * For reference, the same client also calls the same tool served over Streamable HTTP directly
 * (the fixture's own v1-SDK HTTP endpoint, no gateway): what HTTP itself costs the app; and
 * through the same stdio relay into a host that only forwards bytes (bench/verbatim-host.ts):
 * what the relay's extra process crossings cost on this machine before any host does any work.
 *
 * The host runs in a process of its own (bench/gateway-host.ts), as it does in use: the calling
 * app is another program, and the host's work (its history writes included) must not be counted
 * against the app's client, nor the other way round.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { childEnv, fixtureCommand, spawnHttpFixture } from '../tests/fixtures/harness.js';
import type { BenchSection } from './run.js';
import { ms, percentile } from './stats.js';

const ROUNDS = 300;
const WARMUP = 20;
const APPS = 20;
const CALLS_PER_APP = 100;
const SERVER = path.join(__dirname, '..', 'tests', 'fixtures', 'gateway-server.ts');
const HOST = path.join(__dirname, 'gateway-host.ts');
const VERBATIM_HOST = path.join(__dirname, 'verbatim-host.ts');
const RELAY = path.join(__dirname, '..', 'dist', 'electron', 'mcp-stdio.cjs');

interface HostProcess {
  port: number;
  token: string;
  dataDir: string;
  stats(): Promise<{ cpuMs: number; rss: number }>;
  close(): Promise<void>;
}

/** Starts a bench script in a process of its own with the server's path; answers the JSON line it prints when ready. */
async function startBenchProcess(script: string) {
  const { command, args } = fixtureCommand(script, [SERVER]);
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], env: childEnv() });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`${path.basename(script)} exited`);
    return JSON.parse(line.value) as unknown;
  };
  const close = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.stdin.end();
    });
  return { child, nextLine, close, ready: await nextLine() };
}

async function startHostProcess(): Promise<HostProcess> {
  const { child, nextLine, close, ready } = await startBenchProcess(HOST);
  return {
    ...(ready as { port: number; token: string; dataDir: string }),
    stats: async () => {
      child.stdin.write('stats\n');
      return (await nextLine()) as { cpuMs: number; rss: number };
    },
    close,
  };
}

async function connectHttp(url: string, name: string, token?: string): Promise<Client> {
  const client = new Client({ name, version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {}),
  );
  return client;
}

/** An SDK client launching the stdio relay, as Claude Desktop does, for the host whose data folder is `dataDir`. */
async function connectRelay(dataDir: string, name: string): Promise<Client> {
  const client = new Client({ name, version: '1' });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [RELAY, '--data-dir', dataDir, '--no-start'], env: childEnv() }),
  );
  return client;
}

async function timeCall(client: Client, name: string): Promise<number> {
  const started = performance.now();
  await client.callTool({ name, arguments: {} });
  return performance.now() - started;
}

/** The 1-minute load average, as text: the machine may be shared, and the figures depend on it. */
const load = () => os.loadavg()[0]?.toFixed(2) ?? '?';

export async function benchGateway(): Promise<BenchSection> {
  const loadAtStart = load();
  const host = await startHostProcess();

  const { command, args } = fixtureCommand(SERVER);
  const direct = new Client({ name: 'bench-direct', version: '1' });
  await direct.connect(new StdioClientTransport({ command, args, env: childEnv() }));
  const gatewayUrl = `http://127.0.0.1:${host.port}/mcp`;
  const http = await connectHttp(gatewayUrl, 'bench-http', host.token);
  const httpServer = await spawnHttpFixture(SERVER);
  const directHttp = await connectHttp(`${httpServer.origin}/mcp`, 'bench-direct-http');
  const relayed = await connectRelay(host.dataDir, 'bench-relay');
  const verbatimHost = await startBenchProcess(VERBATIM_HOST);
  const floor = await connectRelay((verbatimHost.ready as { dataDir: string }).dataDir, 'bench-relay-floor');

  const times = { direct: [] as number[], directHttp: [] as number[], http: [] as number[], relay: [] as number[], floor: [] as number[] };
  for (let round = 0; round < ROUNDS + WARMUP; round++) {
    const d = await timeCall(direct, 'work');
    const dh = await timeCall(directHttp, 'work');
    const h = await timeCall(http, 'bench__work');
    const r = await timeCall(relayed, 'bench__work');
    const f = await timeCall(floor, 'work');
    if (round < WARMUP) continue;
    times.direct.push(d);
    times.directHttp.push(dh);
    times.http.push(h);
    times.relay.push(r);
    times.floor.push(f);
  }
  await Promise.all([direct.close(), directHttp.close(), http.close(), relayed.close(), floor.close()]);
  await Promise.all([httpServer.stop(), verbatimHost.close()]);

  const apps = await Promise.all(Array.from({ length: APPS }, (_, index) => connectHttp(gatewayUrl, `bench-app-${index}`, host.token)));
  let failures = 0;
  const before = await host.stats();
  const started = performance.now();
  await Promise.all(
    apps.map(async (app) => {
      for (let call = 0; call < CALLS_PER_APP; call++) {
        try {
          const result = await app.callTool({ name: 'bench__work', arguments: {} });
          if (result.isError) failures++;
        } catch {
          failures++;
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  const after = await host.stats();
  await Promise.all(apps.map((app) => app.close()));
  await host.close();

  const loadAtEnd = load();
  const row = (label: string, values: number[]) =>
    `| ${label} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 95))} | ${(percentile(values, 50) / percentile(times.direct, 50)).toFixed(2)}× | +${ms(percentile(values, 50) - percentile(times.direct, 50))} / +${ms(percentile(values, 95) - percentile(times.direct, 95))} |`;
  const calls = APPS * CALLS_PER_APP;
  return {
    title: '4. Gateway overhead (tools/call on a 2 ms tool)',
    lines: [
      `${ROUNDS} calls per path after ${WARMUP} warm-up rounds, interleaved direct → direct over HTTP → gateway over HTTP → relay → relay into a verbatim forwarder each round; the host in its own process. ` +
        `Load average (1 min) ${loadAtStart} at the start, ${loadAtEnd} at the end, on ${os.cpus().length} cores.`,
      '',
      '| Path | p50 | p95 | median ratio vs direct | added at p50 / p95 |',
      '|---|---|---|---|---|',
      row('direct (SDK client → stdio server)', times.direct),
      row('gateway over HTTP', times.http),
      row('gateway through the stdio relay', times.relay),
      row('reference: direct over Streamable HTTP (no gateway)', times.directHttp),
      row('reference: the stdio relay into a host that forwards bytes verbatim (no MCP)', times.floor),
      '',
      `The stdio relay through Sluice's host against the same relay into a verbatim forwarder: ${(percentile(times.relay, 50) / percentile(times.floor, 50)).toFixed(2)}× at p50 ` +
        `(+${ms(percentile(times.relay, 50) - percentile(times.floor, 50))}); the forwarder's own ratio is what the relay's four extra process crossings cost on this machine.`,
      '',
      `The gateway over HTTP against the same client calling the server over HTTP directly: ${(percentile(times.http, 50) / percentile(times.directHttp, 50)).toFixed(2)}× at p50 ` +
        `(+${ms(percentile(times.http, 50) - percentile(times.directHttp, 50))}); the rest of the HTTP path's ratio is what HTTP costs the app's own client.`,
      '',
      `${APPS} apps at once over HTTP, ${CALLS_PER_APP} calls each: ${calls - failures} of ${calls} succeeded, ${failures} failed, in ${(elapsed / 1000).toFixed(1)} s; ` +
        `host RSS ${(after.rss / 2 ** 20).toFixed(0)} MiB after them, host CPU ${((after.cpuMs - before.cpuMs) / calls).toFixed(2)} ms per call.`,
    ],
  };
}
