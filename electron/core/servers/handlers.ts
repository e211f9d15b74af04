/**
 * The `servers:*` channels: the server list and one server's tools, resources, prompts and log.
 * (Sign-in and sign-out are the auth feature's: electron/core/auth/handlers.ts; calling a tool,
 * reading a resource or getting a prompt, with progress and Cancel, are in activity-feature.ts.)
 */
import type { SignInService } from '../auth/sign-in-service.js';
import { ok, type HandlersFor } from '../handlers.js';
import type { PolicyStore } from '../sampling/policy.js';
import type { ServerManager } from './manager.js';

export type ServerChannel =
  | 'servers:list'
  | 'servers:save'
  | 'servers:remove'
  | 'servers:restart'
  | 'servers:listTools'
  | 'servers:setEnabled'
  | 'servers:logs'
  | 'servers:setLogLevel'
  | 'servers:listResources'
  | 'servers:listResourceTemplates'
  | 'servers:listPrompts';

export interface ServerHandlerDeps {
  servers: ServerManager;
  /** Moves or forgets a server's sign-in data when it is saved under another name or removed. */
  auth: Pick<SignInService, 'beforeSave' | 'forget'>;
  /** A server's sampling policy follows a rename and is revoked when the server changes or goes. */
  policies: PolicyStore;
  /** Re-sends the sampling settings (a policy changed with the server). */
  emitSamplingSettings: () => void;
  /** Gateway tool-call policies and app views follow a rename and are forgotten with the server. */
  toolCalls?: {
    onServerSaved: (previousName: string | undefined, name: string) => Promise<void>;
    onServerRemoved: (name: string) => Promise<void>;
  };
}

export function serverHandlers({
  servers,
  auth,
  policies,
  emitSamplingSettings,
  toolCalls,
}: ServerHandlerDeps): HandlersFor<ServerChannel> {
  return {
    'servers:list': () => servers.statuses(),
    'servers:save': async ({ definition, previousName, clientSecret, privateKey, idpClientSecret, idpIdToken }) => {
      // (A name clash is refused by servers.save below; the sign-in data must not move or change before that.)
      const clash = servers.definitions().some((d) => d.name === definition.name && d.name !== previousName);
      if (!clash)
        await auth.beforeSave(definition, previousName, clientSecret, privateKey, { clientSecret: idpClientSecret, idToken: idpIdToken });
      const before = servers.statuses().find((status) => status.definition.name === (previousName ?? definition.name))?.definition;
      // A changed command or URL may be another server: its remembered auto-approval is revoked
      // before the new process starts (the fingerprint check at admission backs this up).
      if (!clash) await policies.onServerSaved(before, definition, previousName);
      await servers.save(definition, previousName);
      await toolCalls?.onServerSaved(previousName, definition.name);
      emitSamplingSettings();
      return ok;
    },
    'servers:remove': async ({ name }) => {
      await servers.remove(name);
      await auth.forget(name);
      await policies.onServerRemoved(name);
      await toolCalls?.onServerRemoved(name);
      emitSamplingSettings();
      return ok;
    },
    'servers:restart': async ({ name }) => {
      await servers.restart(name);
      return ok;
    },
    'servers:listTools': ({ name }) => servers.get(name).listTools(),
    'servers:setEnabled': async ({ name, enabled }) => {
      await servers.setEnabled(name, enabled);
      return ok;
    },
    'servers:logs': ({ name }) => servers.get(name).logs(),
    'servers:setLogLevel': async ({ name, level }) => {
      // Sent now and stored in the server's definition (no restart), so reconnects and restarts keep it.
      await servers.setLogLevel(name, level);
      return ok;
    },
    'servers:listResources': ({ name }) => servers.get(name).listResources(),
    'servers:listResourceTemplates': ({ name }) => servers.get(name).listResourceTemplates(),
    'servers:listPrompts': ({ name }) => servers.get(name).listPrompts(),
  };
}
