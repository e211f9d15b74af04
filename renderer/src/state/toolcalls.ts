/**
 * The tool-calls settings slice: what the gateway's apps may do with the servers' tools. Per app
 * token, the servers and tools it does not see (exposure); per server, the tool table with its
 * preset and rules. Fed by `toolCalls:settingsChanged` (and a server's `servers:listChanged` for
 * its tool table). The requests apps make wait in the request queue (requests/), not here.
 */
import { create } from 'zustand';
import type { SluiceApi } from '../../../shared/contract';
import type { AppExposure, ServerToolRow, ToolPreset, ToolRule } from '../../../shared/toolcalls';
import { errorMessage } from '../lib/format';
import { toast } from './app';
import { host } from './host';
import { useServers } from './servers';

/** One server's tool table (the "Tool calls" tab); `rows` absent until loaded. */
export interface ToolPolicyTable {
  preset: ToolPreset;
  rows?: ServerToolRow[];
  error?: string;
}

export interface ToolCallsState {
  /** Per app token id: what it does not see (absent: everything shown). */
  exposures: Record<string, AppExposure>;
  exposuresLoaded: boolean;
  exposureError?: string;
  /** Per server name, the tables loaded so far. */
  policies: Record<string, ToolPolicyTable>;
  /** How many views show each server's table now: only those are read again on the host's events. */
  watched: Record<string, number>;
}

export const initialToolCallsState = (): ToolCallsState => ({ exposures: {}, exposuresLoaded: false, policies: {}, watched: {} });

export const useToolCalls = create<ToolCallsState>()(initialToolCallsState);

const set = useToolCalls.setState;
const get = useToolCalls.getState;

export function subscribeToolCalls(api: SluiceApi): () => void {
  const off = [
    api.on('toolCalls:settingsChanged', (settings) => {
      set({ exposures: settings.exposure });
      for (const name of Object.keys(get().watched)) void loadToolPolicy(name);
    }),
    api.on('servers:listChanged', ({ name, kind }) => {
      if (kind === 'tools' && get().watched[name]) void loadToolPolicy(name);
    }),
  ];
  return () => off.forEach((unsubscribe) => unsubscribe());
}

/** After a reconnect (events may have been missed): reads again what was loaded and what is shown. */
export async function refreshToolCalls(): Promise<void> {
  await Promise.all([
    ...(get().exposuresLoaded ? [loadExposures()] : []),
    ...Object.keys(get().watched).map((name) => loadToolPolicy(name)),
  ]);
}

// ---------- per-app exposure ----------

export async function loadExposures(): Promise<void> {
  try {
    set({ exposures: (await host().invoke('toolCalls:settings', {})).exposure, exposuresLoaded: true, exposureError: undefined });
  } catch (failure) {
    set({ exposureError: errorMessage(failure) });
  }
}

/**
 * Saves what one token's apps see. Shown at once, before the host confirms it (its
 * settingsChanged event then wins); a refusal is toasted and the saved exposures are read again.
 */
export async function saveExposure(tokenId: string, exposure: AppExposure): Promise<void> {
  set((s) => ({ exposures: { ...s.exposures, [tokenId]: exposure } }));
  try {
    await host().invoke('toolCalls:setExposure', { tokenId, exposure });
  } catch (failure) {
    toast('error', errorMessage(failure));
    await loadExposures();
  }
}

// ---------- per-server tool table ----------

function patchPolicy(name: string, patch: Partial<ToolPolicyTable>): void {
  set((s) => ({ policies: { ...s.policies, [name]: { preset: 'allow-all', ...s.policies[name], ...patch } } }));
}

/** Loads a connected server's tool table (a server that is not connected has none to list). */
export async function loadToolPolicy(name: string): Promise<void> {
  const status = useServers.getState().servers.find((s) => s.definition.name === name);
  if (status?.state !== 'connected') return;
  try {
    const table = await host().invoke('toolCalls:serverTools', { name });
    patchPolicy(name, { preset: table.preset, rows: table.tools, error: undefined });
  } catch (failure) {
    patchPolicy(name, { error: errorMessage(failure) });
  }
}

/**
 * A view shows `name`'s table: loads it and keeps it current while shown (settings changed, the
 * server's tool list changed). Returns the unwatch; a table nobody shows is not read again.
 */
export function watchToolPolicy(name: string): () => void {
  set((s) => ({ watched: { ...s.watched, [name]: (s.watched[name] ?? 0) + 1 } }));
  void loadToolPolicy(name);
  return () =>
    set((s) => {
      const { [name]: count = 1, ...others } = s.watched;
      return { watched: count > 1 ? { ...others, [name]: count - 1 } : others };
    });
}

async function changePolicy(name: string, change: () => Promise<unknown>): Promise<void> {
  try {
    await change();
    await loadToolPolicy(name);
  } catch (failure) {
    patchPolicy(name, { error: errorMessage(failure) });
  }
}

export function setToolPreset(serverName: string, preset: ToolPreset): Promise<void> {
  return changePolicy(serverName, () => host().invoke('toolCalls:setPreset', { serverName, preset }));
}

/** `rule` absent: the tool follows the preset again. */
export function setToolRule(serverName: string, tool: string, rule: ToolRule | undefined): Promise<void> {
  return changePolicy(serverName, () => host().invoke('toolCalls:setToolRule', { serverName, tool, rule }));
}
