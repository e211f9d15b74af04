/**
 * Runs the real web-mode host (`dist/electron/web.cjs`, as `npm run web` does) in a child process
 * and drives Debian's chromium with Playwright. Needs `npm run build` first.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { frameText } from '../../electron/web/server.js';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const WEB_ENTRY = path.join(REPO_ROOT, 'dist', 'electron', 'web.cjs');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether this run is CI (`CI` set to anything but empty, 0 or false), where skipping UI tests is a failure. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

/**
 * Why browser tests cannot run here, or undefined when they can. On a developer's machine a
 * missing Chromium skips them with the reason; with `CI` set it throws, failing the e2e layer,
 * so a CI image without Chromium can never pass with the UI silently untested.
 */
export function browserSkipReason(): string | undefined {
  const reason = !existsSync(CHROMIUM)
    ? `no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`
    : !existsSync(WEB_ENTRY)
      ? `${WEB_ENTRY} is missing: run npm run build first`
      : undefined;
  if (reason && isCi()) throw new Error(`CI is set, so the end-to-end UI tests must run, but ${reason}`);
  if (reason) console.log(`skipping browser tests: ${reason}`);
  return reason;
}

export interface WebHost {
  url: string;
  origin: string;
  child: ChildProcessWithoutNullStreams;
  output(): string;
  stop(): Promise<void>;
}

export function startWebHost(dataDir: string, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<WebHost> {
  // The gateway on a free port too: never the fixed default (tests run side by side).
  const child = spawn(process.execPath, [WEB_ENTRY, '--data-dir', dataDir, '--port', '0', '--gateway-port', '0', ...extraArgs], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${output}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}:\n${output}`)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
      const match = /Open (http:\/\/\S+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      const url = match[1];
      resolve({
        url,
        origin: new URL(url).origin,
        child,
        output: () => output,
        async stop() {
          if (child.exitCode !== null) return;
          child.kill('SIGTERM');
          const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(kill);
        },
      });
    });
  });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A second client of the web host's bridge (as another browser tab would be), for tests that
 * need to trigger host actions without going through the UI.
 */
export async function openBridgeClient(web: WebHost): Promise<{
  invoke(channel: string, request: unknown): Promise<unknown>;
  close(): void;
}> {
  const { default: WebSocket } = await import('ws');
  const token = new URLSearchParams(new URL(web.url).hash.slice(1)).get('token') ?? '';
  const ws = new WebSocket(`${web.origin.replace('http', 'ws')}/bridge`, { origin: web.origin });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ kind: 'hello', token }));
  let nextId = 1;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  ws.on('message', (data) => {
    const frame = JSON.parse(frameText(data)) as { kind: string; id?: number; ok?: boolean; response?: unknown; error?: string };
    if (frame.kind !== 'result' || frame.id === undefined) return;
    const call = waiting.get(frame.id);
    waiting.delete(frame.id);
    if (frame.ok) call?.resolve(frame.response);
    else call?.reject(new Error(frame.error));
  });
  return {
    invoke(channel, request) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        ws.send(JSON.stringify({ kind: 'invoke', id, channel, request }));
      });
    },
    close: () => ws.close(),
  };
}

export type BridgeClient = Awaited<ReturnType<typeof openBridgeClient>>;

export interface UiSession {
  web: WebHost;
  browser: Browser;
  page: Page;
  bridge: BridgeClient;
  close(): Promise<void>;
}

/**
 * The usual start of a UI test: web mode on `dataDir`, Chromium on its page (1280×860), the
 * servers named in `connected` shown Connected in the sidebar, and a bridge client that drives the
 * host beside the page (as another tab would). `env` is added to the web host's environment.
 */
export async function openUi(dataDir: string, connected: readonly string[] = [], env: Record<string, string> = {}): Promise<UiSession> {
  const web = await startWebHost(dataDir, [], env);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(web.url);
    for (const name of connected) await page.getByTestId(`server-${name}`).getByText('Connected').waitFor({ timeout: 30_000 });
    const bridge = await openBridgeClient(web);
    const opened = browser;
    return {
      web,
      browser: opened,
      page,
      bridge,
      close: async () => {
        bridge.close();
        await opened.close();
        await web.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await web.stop();
    throw error;
  }
}
