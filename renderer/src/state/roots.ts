/**
 * The roots slice: the folders servers may see (MCP roots), every server's own and those every
 * server sees. The host checks a typed folder (exists, is a folder) and, in the desktop app,
 * offers a folder picker.
 */
import { create } from 'zustand';
import type { InvokeResponse } from '../../../shared/contract';
import type { RootFolder } from '../../../shared/domain';
import { errorMessage } from '../lib/format';
import { toast } from './app';
import { host } from './host';

export type RootsView = InvokeResponse<'roots:get'>;

export interface RootsState {
  roots?: RootsView;
  loadError?: string;
}

export const initialRootsState = (): RootsState => ({});

export const useRoots = create<RootsState>()(initialRootsState);

const set = useRoots.setState;

export async function loadRoots(): Promise<void> {
  try {
    set({ roots: await host().invoke('roots:get', {}), loadError: undefined });
  } catch (failure) {
    set({ loadError: errorMessage(failure) });
  }
}

/** After a reconnect: reads the roots again if they were loaded. */
export async function refreshRoots(): Promise<void> {
  if (useRoots.getState().roots) await loadRoots();
}

/** Saves one list (a server's, or `null`: every server's); false when the host refused (toasted). */
export async function saveRoots(serverName: string | null, roots: RootFolder[]): Promise<boolean> {
  try {
    if (serverName === null) await host().invoke('roots:setGlobal', { roots });
    else await host().invoke('roots:setServer', { name: serverName, roots });
  } catch (failure) {
    toast('error', `Could not save the folders: ${errorMessage(failure)}`);
    return false;
  }
  void loadRoots();
  return true;
}

/** The host's check of a typed folder (absolute path, or why it is not usable). */
export function checkRootFolder(path: string): Promise<InvokeResponse<'roots:checkFolder'>> {
  return host().invoke('roots:checkFolder', { path });
}

/** The desktop app's folder picker; `undefined` when the user cancelled. */
export async function pickRootFolder(): Promise<string | undefined> {
  return (await host().invoke('roots:pickFolder', {})).path;
}
