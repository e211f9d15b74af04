/**
 * The Electron adapter: one hardened window, IPC wired from the shared channel map to the core
 * host, secrets in safeStorage, a notification when a request waits unseen. The host itself
 * (electron/core) knows nothing of Electron.
 */
import path from 'node:path';
import { app, BrowserWindow, ipcMain, Notification, session } from 'electron';
import { EVENT_CHANNEL_NAMES, INVOKE_CHANNEL_NAMES } from '../shared/contract.js';
import { SluiceHost } from './core/host.js';
import type { IpcEnvelope } from './desktop/ipc-envelope.js';
import { createDesktopSecretStore } from './desktop/safe-storage-secrets.js';

const rendererIndex = path.join(__dirname, '..', 'renderer', 'index.html');
let mainWindow: BrowserWindow | undefined;
let host: SluiceHost | undefined;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Sluice',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  // The page is ours alone: no navigation, no new windows.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void window.loadFile(rendererIndex);
  return window;
}

function isTrustedSender(frame: Electron.WebFrameMain | null): boolean {
  return Boolean(frame && mainWindow && frame === mainWindow.webContents.mainFrame && frame.url.startsWith('file://'));
}

function wireIpc(current: SluiceHost): void {
  for (const channel of INVOKE_CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event, request: unknown): Promise<IpcEnvelope> => {
      if (!isTrustedSender(event.senderFrame)) return { ok: false, error: 'Untrusted sender' };
      try {
        return { ok: true, value: await current.invoke(channel, request) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof Error && error.name === 'InvalidPayloadError') console.warn(`sluice: ${message}`);
        return { ok: false, error: message };
      }
    });
  }
  for (const channel of EVENT_CHANNEL_NAMES) {
    current.events.on(channel, (payload) => mainWindow?.webContents.send(channel, payload));
  }
  current.events.on('sampling:added', (request) => {
    if (mainWindow?.isFocused() || !Notification.isSupported()) return;
    const notification = new Notification({
      title: `Sampling request from ${request.serverName}`,
      body: 'A server is asking for a model completion and waits for your approval.',
    });
    notification.on('click', () => mainWindow?.show());
    notification.show();
  });
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  const dataDir = app.getPath('userData');
  host = await SluiceHost.start({ dataDir, secrets: createDesktopSecretStore(dataDir), mode: 'desktop' });
  wireIpc(host);
  mainWindow = createWindow();
  mainWindow.on('closed', () => {
    mainWindow = undefined;
  });
  app.on('activate', () => {
    mainWindow ??= createWindow();
  });
}

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !host) return;
  // Let the host reject pending requests, stop servers and flush history before we exit.
  event.preventDefault();
  quitting = true;
  void host.close().finally(() => app.quit());
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

start().catch((error: unknown) => {
  console.error('Sluice failed to start:', error);
  app.exit(1);
});
