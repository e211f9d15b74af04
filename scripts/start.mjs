// `npm start`: launch the desktop app. Electron 45 fetches its binary on first launch; where that
// cannot happen (offline, firewalled) we say so in one line and point to web mode instead of
// printing a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function electronBinary() {
  // Resolving the path triggers the first-launch download in a child, so its noise stays hidden.
  const probe = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("electron"))'], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (probe.status !== 0 || !probe.stdout) return undefined;
  return probe.stdout;
}

require.resolve('electron');
const binary = electronBinary();
if (!binary) {
  console.error(
    'Sluice: the Electron binary is missing and could not be downloaded (no internet access?); run `npm run web` to use Sluice in your browser instead.',
  );
  process.exit(1);
}
const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
