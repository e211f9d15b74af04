// One build for the three targets: the renderer (Vite), and the Electron main process,
// preload script and web-mode host (esbuild, CommonJS, dependencies left in node_modules).
import { build as viteBuild } from 'vite';
import { build as esbuild } from 'esbuild';

await viteBuild({ configFile: 'vite.config.mts', logLevel: 'warn' });

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
};

await Promise.all([
  esbuild({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs', packages: 'external' }),
  esbuild({ ...common, entryPoints: ['electron/web/cli.ts'], outfile: 'dist/electron/web.cjs', packages: 'external' }),
  // The stdio relay for apps that only launch stdio servers (see README, "Use Sluice with your other apps").
  esbuild({ ...common, entryPoints: ['electron/web/mcp-stdio.ts'], outfile: 'dist/electron/mcp-stdio.cjs', packages: 'external' }),
  // The history's writer thread (electron/core/history/history-store.ts starts it from beside the
  // bundle: inside app.asar, which Electron's worker threads read like the main process does).
  esbuild({
    ...common,
    entryPoints: ['electron/core/history/history-writer-worker.ts'],
    outfile: 'dist/electron/history-writer.cjs',
    packages: 'external',
  }),
  // A sandboxed preload can only require('electron'): bundle everything else into it.
  esbuild({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', external: ['electron'] }),
]);
console.log('built dist/renderer and dist/electron');
