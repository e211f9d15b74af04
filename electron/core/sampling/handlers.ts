/** The `sampling:*` channels: the queue of requests, generating and answering, policies and the kill switch. */
import type { InvokeResponse } from '../../../shared/contract.js';
import { ok, type HandlersFor } from '../handlers.js';
import type { SamplingBroker } from './broker.js';
import type { PolicyStore } from './policy.js';

export type SamplingChannel =
  | 'sampling:list'
  | 'sampling:generate'
  | 'sampling:stop'
  | 'sampling:send'
  | 'sampling:reject'
  | 'sampling:approveAll'
  | 'sampling:rejectAll'
  | 'sampling:settings'
  | 'sampling:setPaused'
  | 'sampling:setPolicy';

/** The kill switch and every server's policy, as `sampling:settings` answers and `sampling:settingsChanged` sends. */
export function samplingSettings(policies: PolicyStore): InvokeResponse<'sampling:settings'> {
  return { paused: policies.paused, policies: policies.all() };
}

export interface SamplingHandlerDeps {
  broker: SamplingBroker;
  policies: PolicyStore;
  /** Re-sends the settings to the renderer after a change. */
  emitSamplingSettings: () => void;
}

export function samplingHandlers({ broker, policies, emitSamplingSettings }: SamplingHandlerDeps): HandlersFor<SamplingChannel> {
  return {
    'sampling:list': () => broker.list(),
    'sampling:generate': ({ id, params, model, keepContext }) => broker.generate(id, params, model, keepContext),
    'sampling:stop': ({ id }) => {
      broker.stop(id);
      return ok;
    },
    'sampling:send': ({ id, result }) => {
      broker.send(id, result);
      return ok;
    },
    'sampling:reject': ({ id, reason }) => {
      broker.reject(id, reason);
      return ok;
    },
    'sampling:approveAll': ({ serverName }) => broker.approveAll(serverName),
    'sampling:rejectAll': ({ serverName, reason }) => ({ rejected: broker.rejectAll(serverName, reason) }),
    'sampling:settings': () => samplingSettings(policies),
    'sampling:setPaused': async ({ paused }) => {
      await policies.setPaused(paused);
      emitSamplingSettings();
      return ok;
    },
    'sampling:setPolicy': async ({ serverName, policy }) => {
      await policies.setPolicy(serverName, policy);
      emitSamplingSettings();
      return ok;
    },
  };
}
