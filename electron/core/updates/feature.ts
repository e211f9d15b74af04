/**
 * The `updates:*` channels: the host forwards them to the updater port the desktop adapter gave
 * it, or to an "unsupported" one (web mode, a checkout); host.ts relays its state changes as
 * `updates:changed`.
 */
import type { InvokeResponse, parseInvokeRequest } from '../../../shared/contract.js';
import type { UpdatesPort } from './updates-port.js';

type FeatureChannel = 'updates:state' | 'updates:check' | 'updates:setEnabled' | 'updates:restart';

export type UpdatesHandlers = {
  [C in FeatureChannel]: (request: ReturnType<typeof parseInvokeRequest<C>>) => Promise<InvokeResponse<C>> | InvokeResponse<C>;
};

export function updatesHandlers(port: UpdatesPort): UpdatesHandlers {
  return {
    'updates:state': () => port.state(),
    'updates:check': () => port.check(),
    'updates:setEnabled': ({ enabled }) => port.setEnabled(enabled),
    'updates:restart': () => {
      port.restart();
      return { ok: true as const };
    },
  };
}
