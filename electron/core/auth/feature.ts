/**
 * The host side of OAuth sign-in: builds the sign-in service with the host's secret store and
 * browser opener, ties it to the server manager (reconnect after sign-in, re-send statuses) and
 * provides the `servers:signIn` / `servers:signOut` handlers. The host merges `handlers()` into
 * its own and calls `service.beforeSave` / `service.forget` around saving and removing servers.
 */
import type { InvokeResponse, parseInvokeRequest } from '../../../shared/contract.js';
import type { ServerManager } from '../servers/manager.js';
import type { SecretStore } from '../storage/secret-store.js';
import { SignInService } from './sign-in-service.js';

type FeatureChannel = 'servers:signIn' | 'servers:signOut';

export type AuthHandlers = {
  [C in FeatureChannel]: (request: ReturnType<typeof parseInvokeRequest<C>>) => Promise<InvokeResponse<C>> | InvokeResponse<C>;
};

export interface AuthFeatureOptions {
  secrets: SecretStore;
  servers: ServerManager;
  /** Re-sends every server's status (a sign-in state changed). */
  emitStatuses(): void;
  openExternal?: (url: string) => Promise<void>;
  callbackTimeoutMs?: number;
  /** App-wide Client ID Metadata Document URL (HostOptions.clientMetadataUrl). */
  clientMetadataUrl?: string;
}

export class AuthFeature {
  readonly service: SignInService;

  constructor(private readonly options: AuthFeatureOptions) {
    const { servers } = options;
    this.service = new SignInService({
      secrets: options.secrets,
      openExternal: options.openExternal,
      callbackTimeoutMs: options.callbackTimeoutMs,
      clientMetadataUrl: options.clientMetadataUrl,
      onChange: () => options.emitStatuses(),
      onSignedIn: async (name) => {
        // The server may have been removed while the user was in the browser.
        if (!servers.definitions().some((definition) => definition.name === name)) return;
        // A live connection reads the new token on its next request (a step-up must not fail the
        // call waiting for it); one that stopped at the sign-in wall connects again.
        if (servers.get(name).snapshot().state !== 'connected') await servers.restart(name);
      },
      onSignInLost: (name) => {
        const connection = servers.definitions().some((definition) => definition.name === name) ? servers.get(name) : undefined;
        // Reconnecting turns "connected, but every request fails" into the Sign in state.
        if (connection?.snapshot().state === 'connected') void servers.restart(name).catch(() => undefined);
      },
    });
  }

  handlers(): AuthHandlers {
    const { servers } = this.options;
    return {
      'servers:signIn': async ({ name }) => {
        const { authorizationUrl } = await this.service.signIn(servers.get(name).definition);
        return { ok: true as const, ...(authorizationUrl ? { authorizationUrl } : {}) };
      },
      'servers:signOut': async ({ name }) => {
        const definition = servers.get(name).definition;
        await this.service.signOut(definition);
        if (definition.enabled) await servers.restart(name);
        return { ok: true as const };
      },
    };
  }
}
