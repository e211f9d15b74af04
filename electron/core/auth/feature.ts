/**
 * The host side of OAuth sign-in: builds the sign-in service with the host's secret store and
 * browser opener, and ties it to the server manager (reconnect after sign-in, re-send statuses).
 * The manager is given as a function because the manager itself is built with this service.
 */
import type { ServerManager } from '../servers/manager.js';
import type { SecretStore } from '../storage/secret-store.js';
import { SignInService } from './sign-in-service.js';

export interface SignInWiring {
  secrets: SecretStore;
  /** The server manager, once built (called only when a sign-in changes, never during construction). */
  servers: () => ServerManager;
  /** Re-sends every server's status (a sign-in state changed). */
  emitStatuses(): void;
  openExternal?: (url: string) => Promise<void>;
  callbackTimeoutMs?: number;
  /** The app-wide Client ID Metadata Document URL now (auth-settings.ts), read at every sign-in. */
  clientMetadataUrl?: () => string | undefined;
}

export function createSignInService(wiring: SignInWiring): SignInService {
  const known = (name: string) =>
    wiring
      .servers()
      .definitions()
      .some((definition) => definition.name === name);
  return new SignInService({
    secrets: wiring.secrets,
    openExternal: wiring.openExternal,
    callbackTimeoutMs: wiring.callbackTimeoutMs,
    clientMetadataUrl: wiring.clientMetadataUrl,
    onChange: () => wiring.emitStatuses(),
    onSignedIn: async (name) => {
      // The server may have been removed while the user was in the browser.
      if (!known(name)) return;
      // A live connection reads the new token on its next request (a step-up must not fail the
      // call waiting for it); one that stopped at the sign-in wall connects again.
      if (wiring.servers().get(name).snapshot().state !== 'connected') await wiring.servers().restart(name);
    },
    onSignInLost: (name) => {
      const connection = known(name) ? wiring.servers().get(name) : undefined;
      // Reconnecting turns "connected, but every request fails" into the Sign in state.
      if (connection?.snapshot().state === 'connected')
        void wiring
          .servers()
          .restart(name)
          .catch(() => undefined);
    },
  });
}
