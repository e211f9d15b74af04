/**
 * The desktop shell's plain parts: the web-contents and session lock-down, the CSP, the app menu
 * and the tray's pending-request status.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { TypedEmitter } from '../../electron/core/typed-emitter.js';
import { buildMenuTemplate, devToolsAllowed, menuRoles, type MenuActions } from '../../electron/desktop/menu.js';
import { pendingStatus, watchPendingCount } from '../../electron/desktop/pending-status.js';
import { hardenSession, hardenWebContents, withContentSecurityPolicy, type HardenableSession } from '../../electron/desktop/security.js';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.js';
import type { EventChannel, EventPayload } from '../../shared/contract.js';
import { REPO_ROOT } from '../helpers/web-mode.js';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name = '', ...values]) => [name, values]),
  );
}

class Preventable {
  prevented = false;
  constructor(readonly url?: string) {}
  preventDefault() {
    this.prevented = true;
  }
}

describe('content security policy', () => {
  it('allows only our own scripts: no inline, no eval, no remote origins', () => {
    const policy = directives(CONTENT_SECURITY_POLICY);
    assert.deepEqual(policy.get('default-src'), ["'self'"]);
    assert.deepEqual(policy.get('script-src'), ["'self'"]);
    assert.deepEqual(policy.get('object-src'), ["'none'"]);
    assert.deepEqual(policy.get('base-uri'), ["'none'"]);
    assert.deepEqual(policy.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(policy.get('connect-src'), ["'self'"]);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-eval|\*|https?:/);
  });

  it('is at least as strict as the meta tag in the renderer page for scripts', () => {
    const html = readFileSync(path.join(REPO_ROOT, 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    assert.ok(meta, 'renderer/index.html carries a CSP meta tag (it applies to file:// pages)');
    assert.deepEqual(directives(meta).get('script-src'), ["'self'"]);
    assert.deepEqual(directives(meta).get('object-src'), ["'none'"]);
  });

  it('replaces any CSP a response brings, whatever its header case, and keeps other headers', () => {
    const headers = withContentSecurityPolicy({
      'content-security-policy': ['default-src *'],
      'Content-Security-Policy-Report-Only': "script-src 'unsafe-inline'",
      'Content-Type': ['text/html'],
      'X-Single': 'value',
    });
    assert.deepEqual(headers, {
      'Content-Type': ['text/html'],
      'X-Single': ['value'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    assert.deepEqual(withContentSecurityPolicy(undefined), { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('web contents lock-down', () => {
  it('prevents navigation, frame navigation, redirects and <webview>, and denies new windows', () => {
    const contents = new EventEmitter() as EventEmitter & { openHandler?: (details: { url: string }) => { action: string } };
    const logged: string[] = [];
    hardenWebContents(
      Object.assign(contents, {
        setWindowOpenHandler: (handler: (details: { url: string }) => { action: 'deny' }) => (contents.openHandler = handler),
      }),
      (message) => logged.push(message),
    );
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      const attempt = new Preventable('https://evil.example/');
      contents.emit(event, attempt);
      assert.equal(attempt.prevented, true, event);
    }
    assert.deepEqual(contents.openHandler?.({ url: 'https://evil.example/' }), { action: 'deny' });
    assert.equal(logged.length, 5);
    assert.match(logged[0] ?? '', /blocked a navigation to https:\/\/evil\.example/);
  });
});

describe('session lock-down', () => {
  function fakeSession() {
    const emitter = new EventEmitter();
    const fake = {
      request: undefined as undefined | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
      check: undefined as undefined | ((contents: unknown, permission: string) => boolean),
      device: undefined as undefined | ((details: unknown) => boolean),
      headers: undefined as undefined | Parameters<HardenableSession['webRequest']['onHeadersReceived']>[0],
    };
    const session: HardenableSession = {
      setPermissionRequestHandler: (handler) => (fake.request = handler),
      setPermissionCheckHandler: (handler) => (fake.check = handler),
      setDevicePermissionHandler: (handler) => (fake.device = handler),
      on: (event, listener) => emitter.on(event, listener),
      webRequest: { onHeadersReceived: (listener) => (fake.headers = listener) },
    };
    return { session, fake, emitter };
  }

  it('denies every permission request and check, every device, every download', () => {
    const { session, fake, emitter } = fakeSession();
    hardenSession(session, () => undefined);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen']) {
      let granted: boolean | undefined;
      fake.request?.({}, permission, (value) => (granted = value));
      assert.equal(granted, false, permission);
      assert.equal(fake.check?.({}, permission), false, permission);
    }
    assert.equal(fake.device?.({ deviceType: 'usb' }), false);
    const download = new Preventable();
    emitter.emit('will-download', download);
    assert.equal(download.prevented, true);
  });

  it('stamps the CSP on every response from main', () => {
    const { session, fake } = fakeSession();
    hardenSession(session, () => undefined);
    let response: { responseHeaders: Record<string, string[]> } | undefined;
    fake.headers?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (value) => (response = value));
    assert.deepEqual(response?.responseHeaders['Content-Security-Policy'], [CONTENT_SECURITY_POLICY]);
  });
});

describe('app menu', () => {
  const actions: MenuActions = { showWindow: () => undefined, openDataFolder: () => undefined, openUrl: () => undefined };
  const labels = (platform: NodeJS.Platform, devTools = false) =>
    buildMenuTemplate({ platform, appName: 'Sluice', devTools, actions }).map((item) => item.label);

  it('has File, Edit, View, Window and Help (and the app menu on macOS)', () => {
    assert.deepEqual(labels('linux'), ['File', 'Edit', 'View', 'Window', 'Help']);
    assert.deepEqual(labels('win32'), ['File', 'Edit', 'View', 'Window', 'Help']);
    assert.deepEqual(labels('darwin'), ['Sluice', 'File', 'Edit', 'View', 'Window', 'Help']);
  });

  it('uses the standard roles, so shortcuts and text editing work as on every app', () => {
    const roles = menuRoles(buildMenuTemplate({ platform: 'linux', appName: 'Sluice', devTools: false, actions }));
    for (const role of [
      'quit',
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
      'zoomIn',
      'zoomOut',
      'resetZoom',
      'togglefullscreen',
      'minimize',
      'about',
    ]) {
      assert.ok(roles.includes(role), role);
    }
    const mac = menuRoles(buildMenuTemplate({ platform: 'darwin', appName: 'Sluice', devTools: false, actions }));
    for (const role of ['about', 'hide', 'hideOthers', 'services', 'quit', 'close', 'front', 'pasteAndMatchStyle'])
      assert.ok(mac.includes(role), role);
  });

  it('offers the developer tools and reload only when allowed', () => {
    const without = menuRoles(buildMenuTemplate({ platform: 'linux', appName: 'Sluice', devTools: false, actions }));
    assert.ok(!without.includes('toggleDevTools') && !without.includes('reload') && !without.includes('forceReload'));
    const withTools = menuRoles(buildMenuTemplate({ platform: 'linux', appName: 'Sluice', devTools: true, actions }));
    assert.ok(withTools.includes('toggleDevTools') && withTools.includes('reload'));
  });

  it('allows the developer tools in development, and in a packaged build only with SLUICE_DEVTOOLS=1', () => {
    assert.equal(devToolsAllowed(false, {}), true);
    assert.equal(devToolsAllowed(true, {}), false);
    assert.equal(devToolsAllowed(true, { SLUICE_DEVTOOLS: '1' }), true);
    assert.equal(devToolsAllowed(true, { SLUICE_DEVTOOLS: 'yes please' }), false);
  });

  it('runs its own items through the actions', () => {
    const calls: string[] = [];
    const template = buildMenuTemplate({
      platform: 'linux',
      appName: 'Sluice',
      devTools: false,
      actions: { showWindow: () => calls.push('show'), openDataFolder: () => calls.push('data'), openUrl: (url) => calls.push(url) },
    });
    const items = template.flatMap((menu) => (Array.isArray(menu.submenu) ? menu.submenu : []));
    const click = (label: string) => (items.find((item) => item.label === label)?.click as (() => void) | undefined)?.();
    click('Open Data Folder');
    click('Show Sluice');
    click('About the Model Context Protocol');
    assert.deepEqual(calls, ['data', 'show', 'https://modelcontextprotocol.io']);
  });
});

describe('pending-request status (tray)', () => {
  it('says how many requests wait', () => {
    assert.deepEqual(pendingStatus(0), { count: 0, tooltip: 'Sluice: no requests waiting', title: '', menuLabel: 'No requests waiting' });
    assert.deepEqual(pendingStatus(1), { count: 1, tooltip: 'Sluice: 1 request waiting', title: '1', menuLabel: '1 request waiting' });
    assert.equal(pendingStatus(12).tooltip, 'Sluice: 12 requests waiting');
  });

  it('follows sampling:added and sampling:removed with the broker count', () => {
    const events = new TypedEmitter<{ [E in EventChannel]: EventPayload<E> }>();
    let size = 0;
    const seen: number[] = [];
    const stop = watchPendingCount(
      events,
      () => size,
      (count) => seen.push(count),
    );
    size = 1;
    events.emit('sampling:added', {} as never);
    size = 2;
    events.emit('sampling:added', {} as never);
    events.emit('sampling:delta', {} as never); // not a count change
    size = 1;
    events.emit('sampling:removed', { id: 'a', reason: 'sent', message: '' });
    size = 0;
    events.emit('sampling:removed', { id: 'b', reason: 'cancelled', message: '' });
    // Gateway tool calls and questions from servers count with them.
    size = 1;
    events.emit('toolCalls:added', {} as never);
    size = 2;
    events.emit('elicitation:added', {} as never);
    size = 0;
    events.emit('toolCalls:removed', { id: 'c', reason: 'approved', message: '' });
    stop();
    size = 5;
    events.emit('sampling:added', {} as never);
    assert.deepEqual(seen, [0, 1, 2, 1, 0, 1, 2, 0]);
  });
});
