/** The `gateway:*` channels: the "Connect apps" view and the per-server gateway settings. */
import { ok, type HandlersFor } from '../handlers.js';
import type { ServerManager } from '../servers/manager.js';
import type { Gateway } from './gateway.js';

export type GatewayChannel =
  | 'gateway:status'
  | 'gateway:configure'
  | 'gateway:createToken'
  | 'gateway:revokeToken'
  | 'gateway:setServer'
  | 'gateway:appConfigs'
  | 'gateway:previewAppConfig'
  | 'gateway:writeAppConfig';

export function gatewayHandlers({ gateway, servers }: { gateway: Gateway; servers: ServerManager }): HandlersFor<GatewayChannel> {
  return {
    'gateway:status': () => gateway.status(),
    'gateway:configure': async (patch) => {
      await gateway.configure(patch);
      return ok;
    },
    'gateway:createToken': ({ label }) => gateway.createToken(label),
    'gateway:revokeToken': async ({ id }) => {
      await gateway.revokeToken(id);
      return ok;
    },
    'gateway:setServer': async ({ name, exposed, answer }) => {
      // Not a connection setting: saved and swapped in place; the apps hear list_changed when the exposure changed.
      const current = servers.get(name).definition.gateway ?? { exposed: true, answer: 'sluice' as const };
      await servers.updateSettings(name, { gateway: { exposed: exposed ?? current.exposed, answer: answer ?? current.answer } });
      return ok;
    },
    'gateway:appConfigs': () => gateway.appConfigs.targets(gateway.status()),
    'gateway:previewAppConfig': ({ app, token }) => gateway.appConfigs.preview(app, gateway.status(), token),
    'gateway:writeAppConfig': ({ app, token, replace }) => gateway.appConfigs.write(app, gateway.status(), token, replace),
  };
}
