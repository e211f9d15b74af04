/**
 * The real main process (electron/main.ts, bundled as scripts/build.mjs bundles it) run under
 * plain Node against a fake `electron` module, since no Electron binary can run here. The fake
 * records what main asks of Electron (window options, handlers, menu, tray, quit sequence); the
 * host behind it is the real one, with a real MCP server over stdio.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { INVOKE_CHANNEL_NAMES } from '../../shared/contract.js';
import type { AppInfo } from '../../shared/domain.js';
import type { IpcEnvelope } from '../../electron/desktop/ipc-envelope.js';
import { menuRoles } from '../../electron/desktop/menu.js';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.js';
import { WINDOW_STATE_FILE } from '../../electron/desktop/window-state.js';
import { LOCK_FILE } from '../../electron/core/storage/host-lock.js';
import { LEGACY_SERVER } from '../fixtures/harness.js';
import { stdioFixture, tempDir, writeServersFile } from '../helpers/test-host.js';
import { REPO_ROOT } from '../helpers/web-mode.js';
import { HistoryStore } from '../../electron/core/history/history-store.js';
import { eventually } from '../helpers/eventually.js';

// ---- A fake `electron` module ---------------------------------------------------------------

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

class Preventable {
  defaultPrevented = false;
  preventDefault() {
    this.defaultPrevented = true;
  }
}

type InvokeListener = (event: unknown, ...args: unknown[]) => Promise<IpcEnvelope>;

interface FakeElectronOptions {
  isPackaged?: boolean;
  /** What requestSingleInstanceLock returns: false when another instance runs. */
  lockGranted?: boolean;
  workArea?: Rect;
}

function createFakeElectron(options: FakeElectronOptions = {}) {
  const calls: string[] = [];
  const workArea = options.workArea ?? { x: 0, y: 0, width: 1920, height: 1040 };

  class FakeApp extends EventEmitter {
    readonly isPackaged = options.isPackaged ?? false;
    readonly name = 'Sluice';
    readonly paths = new Map<string, string>([['userData', path.join(REPO_ROOT, '.tmp', 'should-not-be-used')]]);
    quitRequests = 0;
    quitted = false;
    exitCode: number | undefined;
    badge: number[] = [];
    setPath(name: string, value: string) {
      calls.push(`setPath:${name}`);
      this.paths.set(name, value);
    }
    getPath(name: string) {
      const value = this.paths.get(name);
      if (!value) throw new Error(`no path ${name}`);
      return value;
    }
    getAppPath() {
      return REPO_ROOT;
    }
    getVersion() {
      return '0.1.0';
    }
    enableSandbox() {
      calls.push('enableSandbox');
    }
    setAppUserModelId() {}
    requestSingleInstanceLock() {
      calls.push(`requestSingleInstanceLock:${this.paths.get('userData')}`);
      return options.lockGranted ?? true;
    }
    whenReady() {
      calls.push('whenReady');
      return Promise.resolve();
    }
    setAboutPanelOptions() {}
    setBadgeCount(count: number) {
      this.badge.push(count);
      return true;
    }
    /** Like Electron: before-quit (preventable), then the windows close, then will-quit. */
    quit() {
      this.quitRequests++;
      const event = new Preventable();
      this.emit('before-quit', event);
      if (event.defaultPrevented || this.quitted) return;
      this.quitted = true;
      for (const window of [...FakeBrowserWindow.all]) if (!window.destroyed) window.close();
      this.emit('will-quit', new Preventable());
    }
    exit(code: number) {
      this.exitCode = code;
    }
  }
  const app = new FakeApp();

  class FakeWebContents extends EventEmitter {
    readonly sent: Array<{ channel: string; payload: unknown }> = [];
    openHandler: ((details: { url: string }) => { action: string }) | undefined;
    readonly mainFrame = { url: 'about:blank', parent: null };
    send(channel: string, payload: unknown) {
      this.sent.push({ channel, payload });
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler;
    }
  }

  class FakeBrowserWindow extends EventEmitter {
    static all: FakeBrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    bounds: Rect;
    loadedFile: string | undefined;
    shown = false;
    maximized = false;
    destroyed = false;
    constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
      super();
      this.bounds = {
        x: (options.x as number | undefined) ?? 0,
        y: (options.y as number | undefined) ?? 0,
        width: options.width as number,
        height: options.height as number,
      };
      FakeBrowserWindow.all.push(this);
      app.emit('web-contents-created', new Preventable(), this.webContents);
    }
    loadFile(file: string) {
      this.loadedFile = file;
      this.webContents.mainFrame.url = pathToFileURL(file).href;
      setImmediate(() => this.emit('ready-to-show'));
      return Promise.resolve();
    }
    show() {
      this.shown = true;
    }
    focus() {}
    isFocused() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    maximize() {
      this.maximized = true;
      this.emit('maximize');
    }
    isMaximized() {
      return this.maximized;
    }
    isFullScreen() {
      return false;
    }
    isDestroyed() {
      return this.destroyed;
    }
    getNormalBounds() {
      return { ...this.bounds };
    }
    /** Moves/resizes as a user would, emitting what Electron emits. */
    setBounds(bounds: Rect) {
      this.bounds = { ...bounds };
      this.emit('resize');
      this.emit('move');
    }
    close() {
      const event = new Preventable();
      this.emit('close', event);
      if (event.defaultPrevented) return;
      this.destroyed = true;
      this.emit('closed');
      if (FakeBrowserWindow.all.every((window) => window.destroyed)) app.emit('window-all-closed');
    }
  }

  const handlers = new Map<string, InvokeListener>();
  const ipcMain = {
    registrations: [] as string[],
    handle(channel: string, listener: InvokeListener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      this.registrations.push(channel);
      handlers.set(channel, listener);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
    handlers,
  };

  type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
  type PermissionCheckHandler = (contents: unknown, permission: string) => boolean;
  type DeviceHandler = (details: unknown) => boolean;
  type Headers = Record<string, string[]>;
  type HeadersListener = (details: { responseHeaders?: Headers }, callback: (response: { responseHeaders?: Headers }) => void) => void;

  const sessionEvents = new EventEmitter();
  const defaultSession: {
    permissionRequest?: PermissionRequestHandler;
    permissionCheck?: PermissionCheckHandler;
    devicePermission?: DeviceHandler;
    headersReceived?: HeadersListener;
    setPermissionRequestHandler(handler: PermissionRequestHandler): void;
    setPermissionCheckHandler(handler: PermissionCheckHandler): void;
    setDevicePermissionHandler(handler: DeviceHandler): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    emit(event: string, ...args: unknown[]): void;
    webRequest: { onHeadersReceived(listener: HeadersListener): void };
  } = {
    setPermissionRequestHandler(handler) {
      this.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler) {
      this.permissionCheck = handler;
    },
    setDevicePermissionHandler(handler) {
      this.devicePermission = handler;
    },
    on(event, listener) {
      sessionEvents.on(event, listener);
    },
    emit(event, ...args) {
      sessionEvents.emit(event, ...args);
    },
    webRequest: {
      onHeadersReceived(listener) {
        defaultSession.headersReceived = listener;
      },
    },
  };

  type Template = Array<{ label?: string; role?: string; submenu?: Template; click?: () => void; enabled?: boolean; type?: string }>;
  const menus = { application: undefined as Template | undefined };
  const Menu = {
    buildFromTemplate: (template: Template) => ({ template }),
    setApplicationMenu: (menu: { template: Template } | null) => {
      menus.application = menu?.template;
    },
  };

  class FakeTray extends EventEmitter {
    static all: FakeTray[] = [];
    tooltip = '';
    title = '';
    menu: Template | undefined;
    destroyed = false;
    constructor(readonly image: { path: string }) {
      super();
      FakeTray.all.push(this);
    }
    setToolTip(tooltip: string) {
      this.tooltip = tooltip;
    }
    setTitle(title: string) {
      this.title = title;
    }
    setContextMenu(menu: { template: Template }) {
      this.menu = menu.template;
    }
    destroy() {
      this.destroyed = true;
    }
    isDestroyed() {
      return this.destroyed;
    }
  }

  const shellCalls: string[] = [];
  const errorBoxes: string[] = [];
  const messageBoxes: string[] = [];
  /** electron-updater's autoUpdater, with a release feed that has nothing newer. */
  const autoUpdater = Object.assign(new EventEmitter(), {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    checks: 0,
    async checkForUpdates() {
      autoUpdater.checks++;
      autoUpdater.emit('checking-for-update');
      autoUpdater.emit('update-not-available', { version: '0.1.0' });
      return null;
    },
    quitAndInstall() {},
  });
  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain,
    Menu,
    Tray: FakeTray,
    Notification: Object.assign(class {}, { isSupported: () => false }),
    nativeImage: {
      createFromPath: (file: string) => ({ path: file, isEmpty: () => !existsSync(file), setTemplateImage() {} }),
    },
    screen: {
      getAllDisplays: () => [{ workArea }],
      getPrimaryDisplay: () => ({ workArea }),
    },
    session: { defaultSession },
    shell: {
      openPath: async (target: string) => void shellCalls.push(`openPath:${target}`),
      openExternal: async (url: string) => void shellCalls.push(`openExternal:${url}`),
    },
    dialog: {
      showErrorBox: (title: string, content: string) => errorBoxes.push(`${title}: ${content}`),
      showMessageBox: async (...args: unknown[]) => {
        const options = args[args.length - 1] as { message: string };
        messageBoxes.push(options.message);
        return { response: 0 };
      },
    },
    safeStorage: { isEncryptionAvailable: () => false },
  };

  return {
    electron,
    app,
    calls,
    ipcMain,
    defaultSession,
    menus,
    windows: FakeBrowserWindow.all,
    trays: FakeTray.all,
    shellCalls,
    errorBoxes,
    messageBoxes,
    autoUpdater,
  };
}

type FakeElectron = ReturnType<typeof createFakeElectron>;

let bundled: Promise<string> | undefined;

/** electron/main.ts bundled with the options scripts/build.mjs uses (dependencies left external). */
function bundleMain(): Promise<string> {
  bundled ??= build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [path.join(REPO_ROOT, 'electron', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  }).then((result) => {
    const text = result.outputFiles[0]?.text;
    if (!text) throw new Error('esbuild produced no output for electron/main.ts');
    return text;
  });
  return bundled;
}

/**
 * Runs the main process once against `fake`, as Electron would run dist/electron/main.cjs.
 * Module state is per run, so several runs can share one test process.
 */
async function runMain(fake: FakeElectron): Promise<void> {
  const code = await bundleMain();
  const nodeRequire = createRequire(path.join(REPO_ROOT, 'electron', 'main.ts'));
  const fakeRequire = (id: string) =>
    id === 'electron' ? fake.electron : id === 'electron-updater' ? { autoUpdater: fake.autoUpdater } : nodeRequire(id);
  const module = { exports: {} };
  const run = vm.runInThisContext(`(function (require, module, exports, __filename, __dirname) {${code}\n})`, {
    filename: path.join(REPO_ROOT, 'dist', 'electron', 'main.cjs'),
  }) as (require: (id: string) => unknown, module: { exports: unknown }, exports: unknown, filename: string, dirname: string) => void;
  const distDir = path.join(REPO_ROOT, 'dist', 'electron');
  run(fakeRequire, module, module.exports, path.join(distDir, 'main.cjs'), distDir);
}

/** Invokes a channel the way the renderer's preload does, from `sender` (our page by default). */
function invoke(
  fake: FakeElectron,
  channel: string,
  request: unknown,
  sender?: { sender: unknown; senderFrame: { url: string; parent: unknown } | null },
): Promise<IpcEnvelope> {
  const handler = fake.ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`No handler registered for '${channel}'`);
  const window = fake.windows.at(-1);
  const event = sender ?? { sender: window?.webContents, senderFrame: window?.webContents.mainFrame ?? null };
  return handler(event, request);
}

/** Fake-electron state changes synchronously with main's work: poll it often. */
const waitFor = <T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000) =>
  eventually(what, probe, { timeoutMs, intervalMs: 20 });

// ---------------------------------------------------------------------------------------------

const SERVER_STARTUP_MS = 30_000;

function trustedEvent(fake: FakeElectron) {
  const window = fake.windows.at(-1);
  return { sender: window?.webContents, senderFrame: window?.webContents.mainFrame ?? null };
}

/** Captures console.warn/error while `run` runs in main (which logs rejected payloads and blocked actions). */
function captureConsole() {
  const lines: string[] = [];
  const original = { warn: console.warn, error: console.error };
  console.warn = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  console.error = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  return { lines, restore: () => Object.assign(console, original) };
}

/** Polls servers:list (as the UI would) until `name` is in `state`; says what it was otherwise. */
async function waitForServer(fake: FakeElectron, name: string, state: string): Promise<void> {
  let last = '';
  const deadline = Date.now() + SERVER_STARTUP_MS;
  while (Date.now() < deadline) {
    const reply = await invoke(fake, 'servers:list', {});
    const server = reply.ok
      ? (reply.value as Array<{ definition: { name: string }; state: string; error?: string }>).find((s) => s.definition.name === name)
      : undefined;
    if (server?.state === state) return;
    last = JSON.stringify(server ?? reply);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server ${name} never reached ${state}; last status: ${last}`);
}

async function quitAndWait(fake: FakeElectron): Promise<void> {
  fake.app.quit();
  await waitFor('the app to quit', () => fake.app.quitted, 20_000);
}

describe('the Electron main process (electron/main.ts against a fake electron module)', { timeout: 120_000 }, () => {
  const signalListeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const savedEnv = { ...process.env };
  const dataDir = tempDir('sluice-desktop-main-');
  let console_: ReturnType<typeof captureConsole>;

  before(() => {
    writeServersFile(dataDir, [stdioFixture('legacy', LEGACY_SERVER)]);
    process.env.SLUICE_DATA_DIR = dataDir;
    // The gateway on a free port, never the fixed default.
    process.env.SLUICE_GATEWAY_PORT = '0';
    delete process.env.SLUICE_DEVTOOLS;
    console_ = captureConsole();
  });

  after(() => {
    console_.restore();
    process.env = savedEnv;
    // main.ts quits on SIGINT/SIGTERM; take its handlers off this test process again.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const listener of process.listeners(signal)) if (!signalListeners[signal].includes(listener)) process.off(signal, listener);
    }
  });

  describe('a development launch', () => {
    const fake = createFakeElectron();
    let window: FakeElectron['windows'][number];

    before(async () => {
      await runMain(fake);
      window = await waitFor('the main window', () => fake.windows[0]);
      await waitFor('the window to show', () => window.shown);
    });

    it('uses SLUICE_DATA_DIR before taking the single-instance lock, and sandboxes every renderer', () => {
      assert.equal(fake.app.getPath('userData'), dataDir);
      const setPath = fake.calls.indexOf('setPath:userData');
      const lock = fake.calls.indexOf(`requestSingleInstanceLock:${dataDir}`);
      assert.ok(setPath >= 0 && lock > setPath, fake.calls.join(', '));
      assert.ok(fake.calls.indexOf('enableSandbox') < fake.calls.indexOf('whenReady'));
    });

    it('opens one hardened window on our page, with our preload', () => {
      assert.equal(fake.windows.length, 1);
      const prefs = window.options.webPreferences ?? {};
      assert.equal(prefs.contextIsolation, true);
      assert.equal(prefs.sandbox, true);
      assert.equal(prefs.nodeIntegration, false);
      assert.equal(prefs.nodeIntegrationInSubFrames, false);
      assert.equal(prefs.webSecurity, true);
      assert.equal(prefs.webviewTag, false);
      assert.equal(prefs.allowRunningInsecureContent, false);
      assert.equal(prefs.devTools, true, 'development build');
      assert.equal(prefs.preload, path.join(REPO_ROOT, 'dist', 'electron', 'preload.cjs'));
      assert.equal(window.loadedFile, path.join(REPO_ROOT, 'dist', 'renderer', 'index.html'));
    });

    it('opens at the default size, centred, on first launch', () => {
      assert.deepEqual(window.bounds, { x: 320, y: 110, width: 1280, height: 820 });
      assert.equal(window.options.minWidth, 900);
    });

    it('denies navigation, redirects, webviews and new windows in the window', () => {
      for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
        const attempt = Object.assign(new Preventable(), { url: 'https://evil.example/' });
        window.webContents.emit(event, attempt);
        assert.equal(attempt.defaultPrevented, true, event);
      }
      assert.deepEqual(window.webContents.openHandler?.({ url: 'https://evil.example/' }), { action: 'deny' });
    });

    it('denies permissions and downloads, and sets the CSP header on responses', () => {
      let granted: boolean | undefined;
      fake.defaultSession.permissionRequest?.({}, 'media', (value) => (granted = value));
      assert.equal(granted, false);
      assert.equal(fake.defaultSession.permissionCheck?.({}, 'clipboard-read'), false);
      assert.equal(fake.defaultSession.devicePermission?.({}), false);
      const download = new Preventable();
      fake.defaultSession.emit('will-download', download);
      assert.equal(download.defaultPrevented, true);
      // Defence in depth for anything fetched over http(s); it does not apply to our file:// page (next test).
      let headers: Record<string, string[]> | undefined;
      fake.defaultSession.headersReceived?.({ responseHeaders: {} }, (response) => (headers = response.responseHeaders));
      assert.deepEqual(headers?.['Content-Security-Policy'], [CONTENT_SECURITY_POLICY]);
    });

    it('the page it loads carries the strict CSP itself (a header CSP is ignored for file:// pages)', () => {
      const html = readFileSync(window.loadedFile ?? '', 'utf8');
      const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)].map((match) => match[1] ?? '');
      assert.equal(metas.length, 1, 'exactly one CSP meta tag');
      const directives = (policy: string) =>
        new Map(
          policy
            .split(';')
            .map((part) => part.trim().split(/\s+/))
            .filter((words) => words[0])
            .map(([name, ...sources]) => [name, sources.sort().join(' ')]),
        );
      const page = directives(metas[0] ?? '');
      const wanted = directives(CONTENT_SECURITY_POLICY);
      // frame-ancestors is ignored in a meta tag (the window is never framed anyway).
      wanted.delete('frame-ancestors');
      assert.deepEqual(Object.fromEntries(page), Object.fromEntries(wanted));
      assert.doesNotMatch(metas[0] ?? '', /ws:|wss:|http:|https:|\*/);
    });

    it('sets the app menu, with the developer tools in development (and no update check from a checkout)', async () => {
      const template = fake.menus.application;
      assert.deepEqual(
        template?.map((menu) => menu.label),
        ['File', 'Edit', 'View', 'Window', 'Help'],
      );
      assert.ok(menuRoles(template as never).includes('toggleDevTools'));
      assert.ok(!template?.[4]?.submenu?.some((item) => item.label === 'Check for Updates…'));
      const reply = await invoke(fake, 'updates:state', {});
      assert.ok(reply.ok);
      const updates = reply.value as { supported: boolean; reason: string };
      assert.equal(updates.supported, false);
      assert.match(updates.reason, /checkout/);
      const openData = template?.[0]?.submenu?.find((item) => item.label === 'Open Data Folder');
      openData?.click?.();
      assert.deepEqual(fake.shellCalls, [`openPath:${dataDir}`]);
    });

    it('registers every contract channel once and serves our page', async () => {
      assert.deepEqual([...fake.ipcMain.registrations].sort(), [...INVOKE_CHANNEL_NAMES].sort());
      const reply = await invoke(fake, 'app:info', {});
      assert.ok(reply.ok);
      assert.deepEqual({ mode: (reply.value as AppInfo).mode, dataDir: (reply.value as AppInfo).dataDir }, { mode: 'desktop', dataDir });
    });

    it('rejects an invalid payload with an error and logs it, and keeps running', async () => {
      const reply = await invoke(fake, 'servers:callTool', { name: 'legacy', tool: 42 }, trustedEvent(fake));
      assert.equal(reply.ok, false);
      assert.match(reply.ok ? '' : reply.error, /Invalid payload for servers:callTool/);
      assert.ok(
        console_.lines.some((line) => /invalid payload on servers:callTool/.test(line)),
        console_.lines.join('\n'),
      );
      assert.equal((await invoke(fake, 'history:usage', {})).ok, true);
    });

    it('refuses IPC from anything but our page', async () => {
      const frame = { url: 'https://evil.example/', parent: null };
      assert.deepEqual(await invoke(fake, 'app:info', {}, { sender: window.webContents, senderFrame: frame }), {
        ok: false,
        error: 'Untrusted sender',
      });
      assert.deepEqual(await invoke(fake, 'app:info', {}, { sender: {}, senderFrame: window.webContents.mainFrame }), {
        ok: false,
        error: 'Untrusted sender',
      });
    });

    it('shows the pending-request count in the tray, and relays the events to the window', async () => {
      const tray = await waitFor('the tray icon', () => fake.trays[0]);
      assert.equal(tray.image.path, path.join(REPO_ROOT, 'build', 'tray', process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'));
      assert.equal(tray.tooltip, 'Sluice: no requests waiting');

      await waitForServer(fake, 'legacy', 'connected');
      const call = invoke(fake, 'servers:callTool', { name: 'legacy', tool: 'ask_model', arguments: { prompt: 'Hello?' } });
      await waitFor('the tray to count one request', () => tray.tooltip === 'Sluice: 1 request waiting');
      assert.equal(tray.menu?.[0]?.label, '1 request waiting');
      assert.equal(fake.app.badge.at(-1), 1);
      const added = window.webContents.sent.find((event) => event.channel === 'sampling:added');
      assert.ok(added);

      const reply = await invoke(fake, 'sampling:reject', { id: (added.payload as { id: string }).id, reason: 'not now' });
      assert.ok(reply.ok);
      const result = await call;
      assert.ok(result.ok);
      assert.match(JSON.stringify(result.value), /SAMPLING_ERROR -1/);
      assert.equal(tray.tooltip, 'Sluice: no requests waiting');
      assert.equal(fake.app.badge.at(-1), 0);
      tray.emit('click');
    });

    it('quits gracefully: window state saved, pending requests rejected, history flushed, tray gone', async () => {
      const tray = fake.trays[0];
      window.setBounds({ x: 100, y: 60, width: 1000, height: 700 });
      const call = invoke(fake, 'servers:callTool', { name: 'legacy', tool: 'ask_model', arguments: { prompt: 'Still there?' } });
      await waitFor('a pending request', () => tray?.tooltip === 'Sluice: 1 request waiting');

      await quitAndWait(fake);
      // The pending request was failed with an error (the tool call reports it, or, if the server
      // was stopped first, the call fails with the closed connection), and the history has it.
      const result = await call;
      assert.match(JSON.stringify(result), /SAMPLING_ERROR -32603 Sluice is quitting|closed/i);
      // Quitting closed history.db: reading it now sees everything main committed, oldest first.
      const store = HistoryStore.open(dataDir);
      const history = store
        .page({}, undefined, 10)
        .rows.reverse()
        .map((row) => store.get(row.id)?.entry ?? { outcome: 'missing', detail: row.id });
      store.close();
      assert.deepEqual(
        history.map((entry) => entry.outcome),
        ['rejected', 'failed'],
      );
      assert.equal(history.at(-1)?.detail, 'Sluice is quitting');
      assert.deepEqual(JSON.parse(readFileSync(path.join(dataDir, WINDOW_STATE_FILE), 'utf8')), {
        bounds: { x: 100, y: 60, width: 1000, height: 700 },
        isMaximized: false,
      });
      assert.equal(tray?.destroyed, true);
      assert.equal(fake.ipcMain.handlers.size, 0, 'IPC handlers removed');
      assert.equal(fake.app.exitCode, undefined);
    });
  });

  describe('a packaged launch', () => {
    const fake = createFakeElectron({ isPackaged: true });
    let window: FakeElectron['windows'][number];
    const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;

    before(async () => {
      // electron-builder's extraResources put build/tray at <resources>/tray: the same layout as build/.
      (process as { resourcesPath?: string }).resourcesPath = path.join(REPO_ROOT, 'build');
      await runMain(fake);
      window = await waitFor('the main window', () => fake.windows[0]);
    });

    after(async () => {
      (process as { resourcesPath?: string }).resourcesPath = resourcesPath;
    });

    it('restores the saved size and position', () => {
      assert.deepEqual(window.bounds, { x: 100, y: 60, width: 1000, height: 700 });
    });

    it('has no developer tools (window or menu) unless SLUICE_DEVTOOLS=1', () => {
      assert.equal(window.options.webPreferences?.devTools, false);
      const roles = menuRoles(fake.menus.application as never);
      assert.ok(!roles.includes('toggleDevTools') && !roles.includes('reload'));
    });

    it('Help → Check for Updates… asks the release feed and says the outcome', async () => {
      await waitFor('the host to be up', () => fake.ipcMain.handlers.size > 0);
      const help = fake.menus.application?.find((menu) => menu.label === 'Help');
      const item = help?.submenu?.find((entry) => entry.label === 'Check for Updates…');
      assert.ok(item, 'the Help menu offers the check');
      item.click?.();
      await waitFor('the outcome dialog', () => fake.messageBoxes.length > 0);
      assert.equal(fake.autoUpdater.checks, 1);
      assert.equal(fake.autoUpdater.autoDownload, true, 'a new version downloads in the background');
      assert.deepEqual(fake.messageBoxes, ['Sluice 0.1.0 is the newest version.']);
      const reply = await invoke(fake, 'updates:state', {});
      assert.ok(reply.ok);
      const state = reply.value as { supported: boolean; status: string };
      assert.deepEqual([state.supported, state.status], [true, 'up-to-date']);
    });

    it('finds the tray icon in the resources folder', async () => {
      const tray = await waitFor('the tray icon', () => fake.trays[0]);
      assert.equal(path.dirname(tray.image.path), path.join(REPO_ROOT, 'build', 'tray'));
    });

    it(
      'quits when the last window closes (not on macOS)',
      { skip: process.platform === 'darwin' && 'macOS keeps the app running' },
      async () => {
        await waitFor('the host to be up', () => fake.ipcMain.handlers.size > 0);
        window.close();
        await waitFor('the app to quit', () => fake.app.quitted);
      },
    );
  });

  describe('a data folder that web mode is using', () => {
    it('refuses with a sentence naming the running host, starting nothing', async () => {
      const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
      const lockedDir = tempDir('sluice-desktop-locked-');
      writeServersFile(lockedDir, [stdioFixture('legacy', LEGACY_SERVER)]);
      writeFileSync(
        path.join(lockedDir, LOCK_FILE),
        JSON.stringify({ pid: other.pid, mode: 'web', address: 'http://127.0.0.1:8700/', startedAt: 1 }),
      );
      process.env.SLUICE_DATA_DIR = lockedDir;
      try {
        const fake = createFakeElectron();
        await runMain(fake);
        await waitFor('the refusal', () => fake.errorBoxes[0]);
        assert.match(
          fake.errorBoxes[0] ?? '',
          new RegExp(`already running on the data folder .* in web mode \\(process ${other.pid}\\) at http://127\\.0\\.0\\.1:8700/`),
        );
        assert.equal(fake.app.exitCode, 1);
        assert.equal(fake.windows.length, 0);
        assert.equal(fake.ipcMain.handlers.size, 0);
      } finally {
        process.env.SLUICE_DATA_DIR = dataDir;
        other.kill('SIGKILL');
      }
    });
  });

  describe('a second instance', () => {
    it('quits at once, starting no host and opening no window', async () => {
      const fake = createFakeElectron({ lockGranted: false });
      await runMain(fake);
      await waitFor('the app to quit', () => fake.app.quitted);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(fake.windows.length, 0);
      assert.equal(fake.ipcMain.handlers.size, 0);
      assert.ok(!fake.calls.includes('whenReady'));
    });
  });
});
