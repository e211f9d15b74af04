/**
 * The Electron adapter: one hardened window, IPC wired from the shared channel map to the core
 * host, secrets in safeStorage, an app menu, a tray icon with the pending-request count, the
 * window's size and position remembered, and a graceful quit. The host itself (electron/core)
 * knows nothing of Electron; the pieces here are in electron/desktop, mostly as plain functions.
 *
 * Environment: SLUICE_DATA_DIR overrides the data folder (Electron's userData);
 * SLUICE_DEVTOOLS=1 allows the developer tools in a packaged build.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, screen, session, shell } from 'electron';
import { SluiceHost } from './core/host.js';
import { loginShellEnvironment } from './core/servers/launch-environment.js';
import { unsupportedUpdates } from './core/updates/updates-port.js';
import { UpdateController } from './desktop/updater.js';
import type * as ElectronUpdater from 'electron-updater';

type ElectronUpdaterModule = typeof ElectronUpdater;
import { acquireHostLock, type HostLock } from './core/storage/host-lock.js';
import { isTrustedSender, relayEvents, wireIpc } from './desktop/ipc.js';
import { buildMenuTemplate, devToolsAllowed } from './desktop/menu.js';
import { watchPendingCount } from './desktop/pending-status.js';
import { createDesktopSecretStore } from './desktop/safe-storage-secrets.js';
import { hardenSession, hardenWebContents } from './desktop/security.js';
import { createPendingTray, type PendingTray } from './desktop/tray.js';
import { HIDDEN_FLAG, MCP_STDIO_FLAG, runDesktopRelay } from './desktop/mcp-stdio.js';
import {
  loadWindowState,
  MIN_WINDOW_SIZE,
  restoreWindowState,
  saveWindowState,
  trackWindowState,
  type WindowStateTracker,
} from './desktop/window-state.js';

const APP_ID = 'dev.sluice.app';
/** How long quitting waits for servers to stop and history to flush before giving up. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

const rendererIndex = path.join(__dirname, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;
const devTools = devToolsAllowed(app.isPackaged);
/** Icons used at run time: copied next to the app when packaged (extraResources), in build/ in a checkout. */
const resourcesDir = app.isPackaged ? process.resourcesPath : path.join(app.getAppPath(), 'build');

let mainWindow: BrowserWindow | undefined;
let opening: Promise<BrowserWindow | undefined> | undefined;
let windowState: WindowStateTracker | undefined;
let host: SluiceHost | undefined;
let hostLock: HostLock | undefined;
let tray: PendingTray | undefined;
let updater: UpdateController | undefined;
const cleanups: Array<() => void> = [];
/** Started by the stdio relay for an app: no window until a request needs the user. */
const startHidden = process.argv.includes(HIDDEN_FLAG);
/** From a checkout Electron needs the app folder as its first argument; an installed build does not. */
const appArgs = app.isPackaged ? [] : [app.getAppPath()];
let phase: 'running' | 'closing' | 'closed' = 'running';
/**
 * Started from the Dock, Finder or a launcher, we lack the user's shell PATH (npx, uvx, Homebrew,
 * nvm …): ask the login shell once, now, while the window opens; stdio servers wait for the answer
 * (10 s at most, then Sluice's own environment).
 */
const launchEnvironment = loginShellEnvironment();

// Before anything touches the data folder: the single-instance lock lives there too, so a test
// (or a second profile) with its own SLUICE_DATA_DIR runs beside the user's instance.
if (process.env.SLUICE_DATA_DIR) app.setPath('userData', path.resolve(process.env.SLUICE_DATA_DIR));
app.enableSandbox();
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
// Every web contents, ours or any other, is locked down the moment it exists.
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

async function createWindow(dataDir: string): Promise<BrowserWindow> {
  const saved = await loadWindowState(dataDir);
  const restored = restoreWindowState(
    saved,
    screen.getAllDisplays().map((display) => display.workArea),
    screen.getPrimaryDisplay().workArea,
  );
  const window = new BrowserWindow({
    ...restored.bounds,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: app.name,
    show: false,
    ...(process.platform === 'linux' ? { icon: path.join(resourcesDir, 'icon.png') } : {}),
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools,
      spellcheck: false,
    },
  });
  windowState = trackWindowState(window, (state) => saveWindowState(dataDir, state));
  window.once('ready-to-show', () => {
    if (restored.isMaximized) window.maximize();
    window.show();
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  void window.loadFile(rendererIndex).catch((error: unknown) => console.error('sluice: could not load the UI:', error));
  return window;
}

/** Shows the window (restoring it if minimized), creating it again if it was closed (macOS). */
function showWindow(): void {
  if (phase !== 'running' || !host) return;
  if (!mainWindow) {
    opening ??= createWindow(app.getPath('userData'))
      .then((window): BrowserWindow | undefined => (mainWindow = window))
      .catch((error: unknown) => {
        console.error('sluice: could not open the window:', error);
        return undefined;
      })
      .finally(() => (opening = undefined));
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function wireHost(current: SluiceHost): void {
  cleanups.push(
    wireIpc({
      ipcMain,
      host: current,
      isTrustedSender: (event) => isTrustedSender(event, mainWindow?.webContents, rendererUrl),
    }),
    relayEvents(current.events, (channel, payload) => {
      if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, payload);
    }),
    // Started hidden for an app (--hidden): the first request that needs the user opens the window.
    current.events.on('sampling:added', () => {
      if (!mainWindow) showWindow();
    }),
    current.events.on('elicitation:added', () => {
      if (!mainWindow) showWindow();
    }),
    current.events.on('sampling:added', (request) => {
      if (mainWindow?.isFocused() || !Notification.isSupported()) return;
      const notification = new Notification({
        title: `Sampling request from ${request.serverName}`,
        body: 'A server is asking for a model completion and waits for your approval.',
      });
      notification.on('click', () => showWindow());
      notification.show();
    }),
    current.events.on('toolCalls:added', (call) => {
      if (mainWindow?.isFocused() || !Notification.isSupported()) return;
      const notification = new Notification({
        title: `Tool call from ${call.app.name}`,
        body: `${call.app.name} wants to run ${call.tool.name} on ${call.serverName} and waits for your approval.`,
      });
      notification.on('click', () => showWindow());
      notification.show();
    }),
    watchPendingCount(
      current.events,
      () => current.broker.size + current.userRequests.elicitation.size + current.toolCalls.size,
      (count) => {
        tray?.update(count);
        app.setBadgeCount(count);
      },
    ),
  );
}

/**
 * Self-update from the GitHub release feed, only in an installed app (never from a checkout, and
 * SLUICE_DISABLE_UPDATES=1 turns it off for managed installs); electron-updater is loaded lazily.
 */
function createUpdater(dataDir: string): UpdateController | undefined {
  if (!app.isPackaged || process.env.SLUICE_DISABLE_UPDATES === '1') return undefined;
  return new UpdateController({
    currentVersion: app.getVersion(),
    dataDir,
    // Loaded on first check only (it reads app-update.yml and sets up logging); a plain require, as
    // the bundle is CommonJS and dynamic import() is not what esbuild should leave in it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    feed: () => Promise.resolve((require('electron-updater') as ElectronUpdaterModule).autoUpdater),
  });
}

/** Help → Check for Updates…: checks now and says the outcome; a downloaded update can be installed from there. */
async function checkForUpdatesFromMenu(current: UpdateController): Promise<void> {
  const state = await current.check();
  const ready = state.status === 'ready';
  const options = {
    type: state.status === 'error' ? ('warning' as const) : ('info' as const),
    message: UpdateController.describe(state),
    buttons: ready ? ['Restart Now', 'Later'] : ['OK'],
    defaultId: 0,
  };
  const answer = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
  if (ready && answer.response === 0) current.restart();
}

function installMenu(dataDir: string): void {
  app.setAboutPanelOptions({ applicationName: app.name, applicationVersion: app.getVersion() });
  const template = buildMenuTemplate({
    platform: process.platform,
    appName: app.name,
    devTools,
    actions: {
      showWindow,
      openDataFolder: () => void shell.openPath(dataDir),
      openUrl: (url) => void shell.openExternal(url),
      ...(updater ? { checkForUpdates: () => void (updater && checkForUpdatesFromMenu(updater)) } : {}),
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** `--mcp-stdio`: only the relay (no window, no lock); quits when the app on stdin goes away. */
async function relay(): Promise<void> {
  app.dock?.hide();
  await runDesktopRelay({ dataDir: app.getPath('userData'), executable: process.execPath, appArgs });
  phase = 'closed';
  app.exit(0);
}

async function start(): Promise<void> {
  if (process.argv.includes(MCP_STDIO_FLAG)) return relay();
  if (!app.requestSingleInstanceLock()) {
    // Another Sluice owns this data folder: it gets focus (below, in that process), we leave.
    app.quit();
    return;
  }
  app.on('second-instance', () => showWindow());
  await app.whenReady();
  hardenSession(session.defaultSession);
  const dataDir = app.getPath('userData');
  // The single-instance lock keeps out a second desktop app; this one also keeps out web mode
  // on the same folder (a refusal throws, and the error box below names the running host).
  hostLock = await acquireHostLock(dataDir, { mode: 'desktop' });
  updater = createUpdater(dataDir);
  installMenu(dataDir);
  const started = await SluiceHost.start({
    dataDir,
    secrets: createDesktopSecretStore(dataDir),
    mode: 'desktop',
    launchEnvironment: () => launchEnvironment,
    updates: updater ?? unsupportedUpdates(app.getVersion(), 'Sluice runs from a checkout: update it with git pull and npm install.'),
    // Elicitation URL mode opens in the system browser (the host has checked the URL); roots use the native folder picker.
    openExternal: (url) => shell.openExternal(url),
    pickFolder: async () => {
      const options = { properties: ['openDirectory' as const] };
      const picked = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return picked.canceled ? undefined : picked.filePaths[0];
    },
    // Importing servers: the config file to read (the import panel previews it before anything is added).
    pickFile: async () => {
      const options = {
        properties: ['openFile' as const],
        filters: [
          { name: 'MCP config', extensions: ['json', 'jsonc'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const picked = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return picked.canceled ? undefined : picked.filePaths[0];
    },
    // Apps that only launch stdio servers start this same binary as the relay.
    gateway: {
      relay: { command: process.execPath, args: [...appArgs, MCP_STDIO_FLAG] },
      override: process.env.SLUICE_GATEWAY_PORT ? { port: Number(process.env.SLUICE_GATEWAY_PORT) } : undefined,
    },
    // History export: where to stream the file (the window cannot download: see security.ts).
    pickSaveFile: async (defaultName) => {
      const extension = path.extname(defaultName).slice(1);
      const options = {
        defaultPath: path.join(app.getPath('documents'), defaultName),
        filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
      };
      const picked = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
      return picked.canceled ? undefined : picked.filePath;
    },
  });
  if (phase !== 'running') {
    await started.close();
    return;
  }
  host = started;
  const updatesNotice = await updater?.start();
  if (updatesNotice) console.warn(`sluice: ${updatesNotice}`);
  tray = createPendingTray({ resourcesDir, showWindow, quit: () => app.quit() });
  wireHost(host);
  if (!startHidden) showWindow();
  app.on('activate', () => showWindow());
}

function withTimeout(promise: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`sluice: ${what} took longer than ${ms / 1000} s; quitting anyway`);
      resolve();
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Remembers the window, removes the tray, then lets the host reject pending requests, stop servers and flush history. */
async function shutdown(): Promise<void> {
  await windowState?.flush().catch(() => undefined);
  tray?.destroy();
  tray = undefined;
  updater?.stop();
  while (cleanups.length) cleanups.pop()?.();
  if (host) await withTimeout(host.close(), SHUTDOWN_TIMEOUT_MS, 'stopping the servers');
  await hostLock?.release().catch(() => undefined);
}

app.on('before-quit', (event) => {
  if (phase === 'closed') return;
  event.preventDefault();
  if (phase === 'closing') return;
  phase = 'closing';
  void shutdown()
    .catch((error: unknown) => console.error('sluice: error while quitting:', error))
    .finally(() => {
      phase = 'closed';
      app.quit();
    });
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

start().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error('Sluice failed to start:', error);
  dialog.showErrorBox('Sluice could not start', message);
  app.exit(1);
});
