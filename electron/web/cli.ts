/**
 * `npm run web`: Sluice without Electron. Runs the real host and serves the UI to a browser on
 * loopback. Options: --port N (default 0 = any free port), --host ADDR (default 127.0.0.1; a
 * non-loopback address also needs --allow-remote), --data-dir DIR (default: the desktop app's data folder, or $SLUICE_DATA_DIR), --gateway-port N (the
 * MCP gateway's port for this run; 0 = any free port; or $SLUICE_GATEWAY_PORT).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SluiceHost } from '../core/host.js';
import { FileSecretStore } from '../core/storage/secret-store.js';
import { acquireHostLock } from '../core/storage/host-lock.js';
import { defaultDataDir } from '../core/storage/data-dir.js';
import { isLoopbackHost, startWebBridge } from './server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-remote': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'gateway-port': { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port}`);
  const remote = !isLoopbackHost(values.host);
  if (remote && !values['allow-remote']) {
    throw new Error(
      `--host ${values.host} is not a loopback address: other machines could reach your servers, and the traffic is not encrypted. Add --allow-remote if that is what you want.`,
    );
  }
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  const secretsFile = path.join(dataDir, 'secrets.web.json');
  const secrets = new FileSecretStore(
    secretsFile,
    undefined,
    `Web mode keeps API keys unencrypted in ${secretsFile} (readable only by your user), not in the OS keychain.`,
  );
  // SLUICE_GATEWAY_PORT: the same for a web mode the stdio relay starts (tests use 0).
  const gatewayPortText = values['gateway-port'] ?? process.env.SLUICE_GATEWAY_PORT;
  const gatewayPort = gatewayPortText === undefined ? undefined : Number(gatewayPortText);
  if (gatewayPort !== undefined && (!Number.isInteger(gatewayPort) || gatewayPort < 0 || gatewayPort > 65535)) {
    throw new Error(`--gateway-port must be a port number, got ${gatewayPortText}`);
  }
  // One host per data folder: refuse (naming the running one) before anything is started.
  const lock = await acquireHostLock(dataDir, { mode: 'web' });
  const host = await SluiceHost.start({
    dataDir,
    secrets,
    mode: 'web',
    gateway: {
      // Apps launch the relay next to this file: `node <dist>/electron/mcp-stdio.cjs --data-dir <dir>`.
      relay: { command: process.execPath, args: [path.join(__dirname, 'mcp-stdio.cjs'), '--data-dir', dataDir] },
      override: gatewayPort === undefined ? undefined : { port: gatewayPort },
    },
  });
  const bridge = await startWebBridge({
    host,
    staticDir: path.join(__dirname, '..', 'renderer'),
    port,
    hostname: values.host,
  });
  if (remote) {
    console.warn(
      `Warning: listening on ${values.host}, not only on this machine. The traffic (the token included) is unencrypted HTTP; anyone who sees it or has the token can use your servers and keys.`,
    );
  }
  await lock.setAddress(`http://${values.host.includes(':') ? `[${values.host}]` : values.host}:${bridge.port}/`);
  console.log(`Sluice web mode (data: ${dataDir})`);
  console.log(`Open ${bridge.url}`);
  const gateway = host.gateway.status();
  console.log(
    gateway.url ? `MCP gateway for your other apps: ${gateway.url}` : `MCP gateway off${gateway.error ? `: ${gateway.error}` : ''}`,
  );
  let quitting = false;
  const quit = async () => {
    if (quitting) return;
    quitting = true;
    await bridge.close();
    await host.close();
    await lock.release();
    process.exit(0);
  };
  process.on('SIGINT', () => void quit());
  process.on('SIGTERM', () => void quit());
}

main().catch((error: unknown) => {
  console.error(`Sluice: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
