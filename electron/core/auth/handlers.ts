/** `servers:signIn` and `servers:signOut`: OAuth sign-in for remote servers (tokens stay in the host). */
import { ok, type HandlersFor } from '../handlers.js';
import type { ServerManager } from '../servers/manager.js';
import type { SignInService } from './sign-in-service.js';

export type AuthChannel = 'servers:signIn' | 'servers:signOut';

export function authHandlers({ auth, servers }: { auth: SignInService; servers: ServerManager }): HandlersFor<AuthChannel> {
  return {
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
