/**
 * `node dist/electron/mcp-stdio.cjs`: the stdio relay for web mode (the desktop app has the same
 * relay behind `--mcp-stdio`). Options: --data-dir DIR (default: the same folder as the app and
 * web mode), --no-start (fail instead of starting `web.cjs` when no Sluice runs).
 *
 * stdout carries MCP messages only: everything else goes to stderr.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runRelay } from '../core/gateway/relay.js';
import { defaultDataDir } from '../core/storage/data-dir.js';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, 'no-start': { type: 'boolean', default: false } } });
const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());

runRelay({
  dataDir,
  log: (line) => process.stderr.write(`${line}\n`),
  startHost: values['no-start']
    ? undefined
    : () => {
        // Web mode in the background, for this data folder; it outlives the relay.
        const child = spawn(process.execPath, [path.join(__dirname, 'web.cjs'), '--data-dir', dataDir], {
          detached: true,
          stdio: 'ignore',
        });
        child.unref();
      },
}).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`sluice relay: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
