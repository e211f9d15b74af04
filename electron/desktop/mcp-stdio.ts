/**
 * `Sluice --mcp-stdio`: the desktop app binary as a stdio MCP server for apps that only launch
 * stdio servers (Claude Desktop). It opens no window and takes no single-instance lock: it only
 * relays to the running Sluice (electron/core/gateway/relay.ts), starting one with its window
 * hidden (`--hidden`) when none runs. It runs in the main process, so it needs no
 * ELECTRON_RUN_AS_NODE.
 */
import { spawn } from 'node:child_process';
import { runRelay } from '../core/gateway/relay.js';

export const MCP_STDIO_FLAG = '--mcp-stdio';
export const HIDDEN_FLAG = '--hidden';

export interface DesktopRelayOptions {
  dataDir: string;
  /** How to start Sluice itself: the executable and, from a checkout, the app folder. */
  executable: string;
  appArgs: string[];
}

export async function runDesktopRelay(options: DesktopRelayOptions): Promise<void> {
  await runRelay({
    dataDir: options.dataDir,
    log: (line) => process.stderr.write(`${line}\n`),
    startHost: () => {
      const child = spawn(options.executable, [...options.appArgs, HIDDEN_FLAG], { detached: true, stdio: 'ignore' });
      child.unref();
    },
  });
}
