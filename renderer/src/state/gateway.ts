/**
 * The gateway slice: Sluice as one MCP server for other apps. The endpoint's status (its settings,
 * the apps connected now, the app tokens), fed by `gateway:changed`; the apps "Add Sluice" knows;
 * and the actions of the Connect apps view and of a server's Gateway section.
 *
 * A created token's secret is returned to the caller and never kept here: the view shows it once.
 * The "Add Sluice" preview likewise goes back to the one card that asked for it.
 */
import { create } from 'zustand';
import type { SluiceApi } from '../../../shared/contract';
import type { ServerStatus } from '../../../shared/domain';
import type { AppConfigPreview, AppConfigTarget, GatewayStatus } from '../../../shared/gateway';
import { errorMessage } from '../lib/format';
import { toast } from './app';
import { host } from './host';

export interface GatewayState {
  status?: GatewayStatus;
  /** Why the status could not be loaded (the Connect apps view says so). */
  error?: string;
  /** The apps "Add Sluice" can write to, with their snippets (they follow the endpoint's URL). */
  appConfigs: AppConfigTarget[];
}

/** A server as the gateway's apps see it (the "What each app sees" panel lists these). */
export interface GatewayServerView {
  name: string;
  connected: boolean;
  /** False when the server's own "expose through the gateway" switch is off: no app sees it. */
  exposed: boolean;
}

export const initialGatewayState = (): GatewayState => ({ appConfigs: [] });

export const useGateway = create<GatewayState>()(initialGatewayState);

const set = useGateway.setState;

export function subscribeGateway(api: SluiceApi): () => void {
  return api.on('gateway:changed', (status) => set({ status }));
}

/** Loads the status; a failure is kept in `error` (shown in the view), it never rejects. */
export async function refreshGateway(): Promise<void> {
  try {
    set({ status: await host().invoke('gateway:status', {}), error: undefined });
  } catch (failure) {
    set({ error: errorMessage(failure) });
  }
}

/** The enabled servers, as the gateway exposes them to apps. */
export function gatewayServers(servers: readonly ServerStatus[]): GatewayServerView[] {
  return servers
    .filter((status) => status.definition.enabled)
    .map((status) => ({
      name: status.definition.name,
      connected: status.state === 'connected',
      exposed: status.definition.gateway?.exposed ?? true,
    }));
}

/** Switches the endpoint on or off, or moves it; the new status arrives by `gateway:changed`. */
export async function configureGateway(patch: { enabled?: boolean; port?: number }): Promise<void> {
  try {
    await host().invoke('gateway:configure', patch);
  } catch (failure) {
    toast('error', errorMessage(failure));
  }
}

/** A new app token: its secret is returned (once) and not kept; `undefined` when the host refused (toasted). */
export async function createAppToken(label: string): Promise<string | undefined> {
  try {
    return (await host().invoke('gateway:createToken', { label })).token;
  } catch (failure) {
    toast('error', errorMessage(failure));
    return undefined;
  }
}

export async function revokeAppToken(id: string): Promise<void> {
  await host()
    .invoke('gateway:revokeToken', { id })
    .catch((failure: unknown) => toast('error', errorMessage(failure)));
}

/** A server's gateway settings (exposed, who answers its requests). */
export async function setServerGateway(name: string, patch: { exposed?: boolean; answer?: 'sluice' | 'app' }): Promise<void> {
  await host()
    .invoke('gateway:setServer', { name, ...patch })
    .catch((failure: unknown) => toast('error', errorMessage(failure)));
}

export async function loadAppConfigs(): Promise<void> {
  try {
    set({ appConfigs: await host().invoke('gateway:appConfigs', {}) });
  } catch (failure) {
    toast('error', errorMessage(failure));
  }
}

/**
 * What "Add Sluice to <app>" would change. An HTTP app gets its own token, named after it
 * (revocable in App tokens), unless `token` is the one made for it before; that token comes back
 * even when the preview fails, so trying again does not make another one.
 */
export async function previewAppConfig(
  target: AppConfigTarget,
  token: string | undefined,
): Promise<{ token?: string; preview?: AppConfigPreview }> {
  let fresh = token;
  try {
    if (target.transport === 'http') fresh ??= (await host().invoke('gateway:createToken', { label: target.label })).token;
    else fresh = undefined;
    return { token: fresh, preview: await host().invoke('gateway:previewAppConfig', { app: target.app, token: fresh }) };
  } catch (failure) {
    toast('error', errorMessage(failure));
    return { token: fresh };
  }
}

/** Writes the previewed change; true when written (toasted either way). */
export async function writeAppConfig(target: AppConfigTarget, token: string | undefined, replace: boolean): Promise<boolean> {
  try {
    const written = await host().invoke('gateway:writeAppConfig', { app: target.app, token, replace });
    toast(
      'success',
      `Added Sluice to ${target.label} (${written.path})${written.backup ? `; the previous file is in ${written.backup}` : ''}. Restart ${target.label} to use it.`,
    );
    return true;
  } catch (failure) {
    toast('error', errorMessage(failure));
    return false;
  }
}
