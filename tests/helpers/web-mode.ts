/**
 * Runs the real web-mode host (`dist/electron/web.cjs`, as `npm run web` does) in a child process
 * and drives Debian's chromium with Playwright. Needs `npm run build` first.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { frameText } from '../../electron/web/server.js';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const WEB_ENTRY = path.join(REPO_ROOT, 'dist', 'electron', 'web.cjs');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when they can. */
export function browserSkipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (!existsSync(WEB_ENTRY)) return `${WEB_ENTRY} is missing: run npm run build first`;
  return undefined;
}

export interface WebHost {
  url: string;
  origin: string;
  child: ChildProcessWithoutNullStreams;
  output(): string;
  stop(): Promise<void>;
}

export function startWebHost(dataDir: string, extraArgs: string[] = []): Promise<WebHost> {
  const child = spawn(process.execPath, [WEB_ENTRY, '--data-dir', dataDir, '--port', '0', ...extraArgs], {
    cwd: REPO_ROOT,
    env: process.env,
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
  const token = new URL(web.url).searchParams.get('token') ?? '';
  const ws = new WebSocket(`${web.origin.replace('http', 'ws')}/bridge?token=${token}`, { origin: web.origin });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
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
