/**
 * The providers slice: the model providers (never their keys: the host keeps those), and the one
 * the user was sent to look at (a "add a key" fix elsewhere points here).
 */
import { create } from 'zustand';
import type { ProviderInput, ProviderTestInput, ProviderView } from '../../../shared/domain';
import { setView } from './app';
import { host } from './host';

export interface ProvidersState {
  providers: ProviderView[];
  providersLoaded: boolean;
  /** A provider the user should look at (the "add a key" fix); `null` with the form for a new one. */
  focusProviderId: string | null;
}

export const initialProvidersState = (): ProvidersState => ({ providers: [], providersLoaded: false, focusProviderId: null });

export const useProviders = create<ProvidersState>()(initialProvidersState);

const set = useProviders.setState;

export async function refreshProviders(): Promise<void> {
  const providers = await host().invoke('providers:list', {});
  set({ providers, providersLoaded: true });
}

export async function saveProvider(input: ProviderInput): Promise<ProviderView> {
  const saved = await host().invoke('providers:save', input);
  await refreshProviders().catch(() => undefined);
  return saved;
}

export async function removeProvider(id: string): Promise<void> {
  await host().invoke('providers:remove', { id });
  await refreshProviders().catch(() => undefined);
}

/** Tests a provider as the form has it (nothing is saved); `id` lets the host use a stored key. */
export function testProvider(draft: ProviderTestInput) {
  return host().invoke('providers:test', draft);
}

/** Opens the Providers view on one provider (or on the form for a new one). */
export function focusProvider(providerId: string | null): void {
  set({ focusProviderId: providerId });
  setView('providers');
}

/** The Providers view has shown the provider it was sent to. */
export function clearProviderFocus(): void {
  set({ focusProviderId: null });
}
