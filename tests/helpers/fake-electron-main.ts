/**
 * Runs the real electron/main.ts under plain Node with a stand-in `electron` module, as its own
 * process (so its stdin/stdout are an app's stdio, as when Claude Desktop starts `Sluice
 * --mcp-stdio`). Used by tests/unit/desktop-mcp-stdio.test.ts; no Electron binary needed.
 *
 * Env: SLUICE_DATA_DIR (the data folder, as main.ts reads it), FAKE_ELECTRON_LOG (one line per
 * Electron call that matters: windows, locks, dock, exit), FAKE_APP_PATH (what app.getAppPath()
 * answers: the "app" the relay starts when no Sluice runs).
 *
 * Nothing here writes to stdout: in --mcp-stdio mode stdout belongs to MCP.
 */
import { appendFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

const logFile = process.env.FAKE_ELECTRON_LOG;
const record = (line: string) => {
  if (logFile) appendFileSync(logFile, `${line}\n`);
};

const paths = new Map<string, string>([['userData', path.resolve(process.env.SLUICE_DATA_DIR ?? '.')]]);
const noop = () => undefined;

const app = {
  isPackaged: false,
  name: 'Sluice',
  dock: { hide: () => record('dock.hide') },
  getAppPath: () => process.env.FAKE_APP_PATH ?? process.cwd(),
  getPath: (name: string) => paths.get(name) ?? path.resolve('.'),
  setPath: (name: string, value: string) => void paths.set(name, value),
  getVersion: () => '0.1.0',
  enableSandbox: noop,
  setAppUserModelId: noop,
  setAboutPanelOptions: noop,
  on: noop,
  once: noop,
  requestSingleInstanceLock: () => {
    record('requestSingleInstanceLock');
    return true;
  },
  whenReady: () => {
    record('whenReady');
    return new Promise<void>(noop);
  },
  quit: () => record('quit'),
  exit: (code = 0) => {
    record(`exit:${code}`);
    process.exit(code);
  },
};

class BrowserWindow {
  constructor() {
    record('BrowserWindow');
  }
}

const electron = {
  app,
  BrowserWindow,
  dialog: {
    showErrorBox: (title: string, content: string) => process.stderr.write(`${title}: ${content}\n`),
    showMessageBox: async () => ({ response: 0 }),
    showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  },
  ipcMain: { handle: noop, on: noop },
  Menu: { setApplicationMenu: noop, buildFromTemplate: () => ({}) },
  Notification: Object.assign(class {}, { isSupported: () => false }),
  nativeImage: { createFromPath: () => ({ isEmpty: () => true, setTemplateImage: noop }) },
  safeStorage: { isEncryptionAvailable: () => false },
  screen: { getAllDisplays: () => [], getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1024, height: 768 } }) },
  session: { defaultSession: {} },
  shell: { openPath: noop, openExternal: noop },
  Tray: class {},
};

// `require('electron')` anywhere in main.ts and electron/desktop answers the stand-in.
const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
(Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load = function (request: string, ...rest: unknown[]) {
  return request === 'electron' ? electron : load.call(this, request, ...rest);
};

record(`argv:${process.argv.slice(2).join(' ')}`);
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the hook above, on purpose
require('../../electron/main.ts');
