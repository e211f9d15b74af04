/**
 * Test helpers around a real `SluiceHost`: a temp data dir, a file secret store, and waiting for
 * host events. Tests drive the host through `invoke`, exactly as the renderer does over IPC.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EventChannel, EventPayload } from '../../shared/contract.js';
import {
  isSamplingEntry,
  isToolCallEntry,
  type HistoryEntry,
  type SamplingHistoryEntry,
  type ServerDefinitionInput,
} from '../../shared/domain.js';
import type { ToolCallHistoryEntry } from '../../shared/toolcalls.js';
import { SluiceHost, type HostOptions } from '../../electron/core/host.js';
import { FileSecretStore } from '../../electron/core/storage/secret-store.js';
import { childEnv, fixtureCommand } from '../fixtures/harness.js';

export function tempDir(prefix = 'sluice-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A host on a temp data dir; its gateway listens on a free port (never the fixed default). */
export async function startTestHost(dataDir = tempDir(), options: Pick<HostOptions, 'gateway'> = {}): Promise<SluiceHost> {
  return SluiceHost.start({
    dataDir,
    secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')),
    mode: 'web',
    ...options,
    gateway: { ...options.gateway, override: { port: 0, ...options.gateway?.override } },
  });
}

/** Resolves with the first `channel` event matching `predicate`, or rejects after `timeoutMs`. */
export function nextEvent<E extends EventChannel>(
  host: SluiceHost,
  channel: E,
  predicate: (payload: EventPayload<E>) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<EventPayload<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`Timed out waiting for ${channel}`));
    }, timeoutMs);
    const unsubscribe = host.events.on(channel, (payload) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(payload);
    });
  });
}

/** A stdio server definition that runs one of the fixture scripts with tsx. */
export function stdioFixture(name: string, script: string, env: Record<string, string> = {}): ServerDefinitionInput {
  const { command, args } = fixtureCommand(script);
  // The fixtures need tsx (and FIXTURE_LOG) from our environment; the SDK passes only a safe subset.
  return { name, type: 'stdio', command, args, env: { ...childEnv(), ...env } };
}

/** Writes servers.json in the `mcpServers` shape, as a user's file would be, before a host starts. */
export function writeServersFile(dataDir: string, servers: readonly ServerDefinitionInput[]): void {
  const mcpServers = Object.fromEntries(servers.map(({ name, ...entry }) => [name, entry]));
  writeFileSync(path.join(dataDir, 'servers.json'), JSON.stringify({ mcpServers }));
}

/**
 * Writes providers.json with one OpenAI-compatible provider "Fake" (id `fake`, model `gpt-test`)
 * at `baseUrl` (a loopback fake LLM), and, with `apiKey`, its key in web mode's secrets file.
 */
export function writeFakeProvider(dataDir: string, baseUrl: string, apiKey?: string): void {
  writeFileSync(
    path.join(dataDir, 'providers.json'),
    JSON.stringify({ providers: [{ id: 'fake', kind: 'openai-compatible', name: 'Fake', baseUrl, models: ['gpt-test'] }] }),
  );
  if (apiKey) writeFileSync(path.join(dataDir, 'secrets.web.json'), JSON.stringify({ 'provider:fake:apiKey': apiKey }), { mode: 0o600 });
}

export async function waitForState(host: SluiceHost, name: string, state: string, timeoutMs = 20_000): Promise<void> {
  const current = (await host.invoke('servers:list', {})).find((server) => server.definition.name === name);
  if (current?.state === state) return;
  await nextEvent(host, 'servers:changed', (servers) => servers.some((s) => s.definition.name === name && s.state === state), timeoutMs);
}

export function textOf(result: { content: Array<{ type: string; [key: string]: unknown }> }): string {
  return result.content
    .filter((block) => block.type === 'text')
    .map((block) => String(block.text))
    .join('\n');
}

/** The full recorded entry with this id (the history's detail channel), of any kind. */
export async function anyHistoryEntry(host: SluiceHost, id: string): Promise<HistoryEntry> {
  const detail = await host.invoke('history:get', { id });
  if (!detail) throw new Error(`no entry ${id} in the history`);
  return detail.entry;
}

/** The sampling decision recorded under this id. */
export async function historyEntry(host: SluiceHost, id: string): Promise<SamplingHistoryEntry> {
  const entry = await anyHistoryEntry(host, id);
  if (!isSamplingEntry(entry)) throw new Error(`entry ${id} is not a sampling decision`);
  return entry;
}

/** The newest gateway tool call in the history, in full, or undefined when there is none. */
export async function latestToolCall(host: SluiceHost): Promise<ToolCallHistoryEntry | undefined> {
  const [row] = (await host.invoke('history:page', { filter: { kind: 'toolCall' }, limit: 1 })).rows;
  if (!row) return undefined;
  const entry = await anyHistoryEntry(host, row.id);
  return isToolCallEntry(entry) ? entry : undefined;
}

/** The newest recorded entries (one page), in full, newest first. */
export async function historyEntries(host: SluiceHost, limit = 50): Promise<HistoryEntry[]> {
  const page = await host.invoke('history:page', { filter: {}, limit });
  return Promise.all(page.rows.map((row) => anyHistoryEntry(host, row.id)));
}
