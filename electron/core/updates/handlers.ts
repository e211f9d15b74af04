/**
 * The `updates:*` channels: the host forwards them to the updater port the desktop adapter gave
 * it, or to an "unsupported" one (web mode, a checkout); host.ts relays its state changes as
 * `updates:changed`.
 */
import { ok, type HandlersFor } from '../handlers.js';
import type { UpdatesPort } from './updates-port.js';

export function updatesHandlers(
  port: UpdatesPort,
): HandlersFor<'updates:state' | 'updates:check' | 'updates:setEnabled' | 'updates:restart'> {
  return {
    'updates:state': () => port.state(),
    'updates:check': () => port.check(),
    'updates:setEnabled': ({ enabled }) => port.setEnabled(enabled),
    'updates:restart': () => {
      port.restart();
      return ok;
    },
  };
}
