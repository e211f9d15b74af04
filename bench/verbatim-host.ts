/**
 * The gateway benchmark's floor: a "host" that does nothing but pass bytes. It speaks the stdio
 * relay's side of the handshake (the same discovery file, the same handshake line, read and
 * answered by the same functions) and then pipes the relay's socket to the benchmark's stdio
 * server verbatim, both ways: no MCP, no rules, no history.
 *
 * Why: a call through the relay crosses four more process boundaries than a direct call (app →
 * relay → host, and back). What those crossings cost depends on the machine far more than on any
 * host (bench/RESULTS.md §4 measures them), so the benchmark reports this path beside the real one:
 * the gap between the two is the host's own cost, on whatever machine it runs.
 *
 * Prints one JSON line (the data folder to hand the relay) when listening; quits when stdin ends.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { writeDiscovery } from '../electron/core/gateway/discovery.js';
import { relayHandshakeToken, readHandshakeLine, relayReplyLine } from '../electron/core/gateway/relay-listener.js';
import { childEnv, fixtureCommand } from '../tests/fixtures/harness.js';
import { tempDir } from '../tests/helpers/test-host.js';

async function main(): Promise<void> {
  const [serverScript] = process.argv.slice(2);
  if (!serverScript) throw new Error('usage: verbatim-host.ts <server script>');
  const dataDir = tempDir('sluice-bench-verbatim-');
  const token = randomBytes(32).toString('base64url');
  const { command, args } = fixtureCommand(serverScript);

  const listener = createServer((socket) => {
    socket.setNoDelay(true);
    readHandshakeLine(socket, (line) => {
      if (line === undefined || relayHandshakeToken(line) !== token) return socket.destroy();
      socket.write(relayReplyLine({ ok: true }));
      const server = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], env: childEnv() });
      server.stdout.on('data', (chunk: Buffer) => socket.write(chunk));
      socket.on('data', (chunk: Buffer) => server.stdin.write(chunk));
      socket.on('close', () => server.kill());
      socket.resume();
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  if (!address || typeof address === 'string') throw new Error('The verbatim host is not listening on TCP');
  await writeDiscovery(dataDir, { port: 1, token, pid: process.pid, url: 'http://127.0.0.1:1/mcp', relayPort: address.port });
  process.stdout.write(`${JSON.stringify({ dataDir })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
