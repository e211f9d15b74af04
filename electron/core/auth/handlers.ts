/**
 * `servers:signIn` and `servers:signOut`: OAuth sign-in for remote servers (tokens stay in the
 * host); `auth:settings` / `auth:setSettings`: the app-wide sign-in settings (auth-settings.ts).
 */
import { ok, type HandlersFor } from '../handlers.js';
import type { ServerManager } from '../servers/manager.js';
import type { AuthSettingsStore } from './auth-settings.js';
import type { SignInService } from './sign-in-service.js';

export type AuthChannel = 'servers:signIn' | 'servers:signOut' | 'auth:settings' | 'auth:setSettings';

export function authHandlers({
  auth,
  servers,
  settings,
}: {
  auth: SignInService;
  servers: ServerManager;
  settings: AuthSettingsStore;
}): HandlersFor<AuthChannel> {
  return {
    'auth:settings': () => settings.view(),
    'auth:setSettings': async (next) => {
      await settings.save(next);
      return ok;
    },
    'servers:signIn': async ({ name }) => {
      const { authorizationUrl } = await auth.signIn(servers.get(name).definition);
      return { ok: true as const, ...(authorizationUrl ? { authorizationUrl } : {}) };
    },
    'servers:signOut': async ({ name }) => {
      const definition = servers.get(name).definition;
      await auth.signOut(definition);
      if (definition.enabled) await servers.restart(name);
      return ok;
    },
  };
}
