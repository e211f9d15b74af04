/** A server's status as the renderer sees it, and waiting for one (the OAuth integration tests). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServerStatus } from '../../shared/domain.js';
import type { SluiceHost } from '../../electron/core/host.js';
import { nextEvent } from './test-host.js';

export async function statusOf(host: SluiceHost, name: string): Promise<ServerStatus | undefined> {
  return (await host.invoke('servers:list', {})).find((s) => s.definition.name === name);
}

/** Waits until the server's status satisfies `check` (checked now and on every change). */
export async function waitFor(
  host: SluiceHost,
  name: string,
  check: (status: ServerStatus) => boolean,
  what: string,
): Promise<ServerStatus> {
  const now = await statusOf(host, name);
  if (now && check(now)) return now;
  try {
    const statuses = await nextEvent(host, 'servers:changed', (list) => list.some((s) => s.definition.name === name && check(s)), 30_000);
    return statuses.find((s) => s.definition.name === name) as ServerStatus;
  } catch {
    throw new Error(`Timed out waiting for ${name}: ${what}; last status ${JSON.stringify(await statusOf(host, name))}`);
  }
}

/** The file secret store's contents (desktop-mode tests use `secrets.json`). */
export function readSecrets(dataDir: string): Record<string, string> {
  return JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as Record<string, string>;
}
