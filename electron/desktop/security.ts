/**
 * The desktop shell's lock-down, as plain functions over the few Electron methods they use (so
 * they run under plain Node in the tests with fakes): every web contents may neither navigate,
 * redirect, open windows nor attach <webview>s; the session grants no permission, starts no
 * download, and stamps a strict Content-Security-Policy on every response it receives.
 */

// Electron ignores a response-header CSP for pages loaded from file://, so what protects the
// page there is the same policy in renderer/index.html's meta tag; the header stamped below stays
// as defence in depth for anything loaded over http(s).
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy.js';

type Headers = Record<string, string[] | string>;

/** Response headers with our CSP in place of any the response brought (whatever its case). */
export function withContentSecurityPolicy(headers: Headers | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-security-policy' || lower === 'content-security-policy-report-only') continue;
    result[name] = Array.isArray(value) ? value : [value];
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return result;
}

interface Preventable {
  preventDefault(): void;
}

/** The part of `WebContents` the hardening touches. */
export interface HardenableContents {
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', listener: (event: Preventable) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export type SecurityLog = (message: string) => void;

/**
 * No navigation (the page is ours alone and never leaves), no redirects, no new windows, no
 * <webview>. Programmatic loads from main (`loadFile`) do not emit these events.
 */
export function hardenWebContents(contents: HardenableContents, log: SecurityLog = console.warn): void {
  const deny = (what: string) => (event: Preventable & { url?: string }) => {
    event.preventDefault();
    log(`sluice: blocked ${what}${event.url ? ` to ${event.url}` : ''}`);
  };
  contents.on('will-navigate', deny('a navigation'));
  contents.on('will-frame-navigate', deny('a frame navigation'));
  contents.on('will-redirect', deny('a redirect'));
  contents.on('will-attach-webview', deny('a <webview>'));
  contents.setWindowOpenHandler(({ url }) => {
    log(`sluice: blocked a new window${url ? ` for ${url}` : ''}`);
    return { action: 'deny' };
  });
}

interface HeadersDetails {
  responseHeaders?: Headers;
}

/** The part of `Session` the hardening touches. */
export interface HardenableSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  on(event: 'will-download', listener: (event: Preventable) => void): unknown;
  webRequest: {
    onHeadersReceived(
      listener: (details: HeadersDetails, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void,
    ): void;
  };
}

/** Every permission denied (asked for or merely checked), no downloads, our CSP on every response. */
export function hardenSession(session: HardenableSession, log: SecurityLog = console.warn): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`sluice: denied the permission request "${permission}"`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => {
    event.preventDefault();
    log('sluice: blocked a download');
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
}
