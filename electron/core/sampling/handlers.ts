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

/** The fingerprint of the server definition configured under a name now (undefined: no such server). */
export type FingerprintOf = (serverName: string) => string | undefined;

/**
 * The kill switch and every server's policy, as `sampling:settings` answers and
 * `sampling:settingsChanged` sends. An auto-approve granted to another definition than the one
 * configured now (a hand-edit, an import, a server re-created under the same name) is shown as
 * Ask with the reason, which is how the broker treats it.
 */
export function samplingSettings(policies: PolicyStore, fingerprintOf: FingerprintOf): InvokeResponse<'sampling:settings'> {
  const shown = Object.fromEntries(
    Object.entries(policies.all()).map(([serverName, policy]) =>
      policy.policy !== 'auto' || (policy.fingerprint !== undefined && policy.fingerprint === fingerprintOf(serverName))
        ? [serverName, policy]
        : [
            serverName,
            {
              ...policy,
              policy: 'ask' as const,
              fingerprint: undefined,
              revokedNote: `Auto-approve is on hold: ${serverName}'s definition is not the one it was granted to (the file was edited, or the server was imported or re-created). Turn it on again if you trust this definition.`,
            },
          ],
    ),
  );
  return { paused: policies.paused, policies: shown };
}

export interface SamplingHandlerDeps {
  broker: SamplingBroker;
  policies: PolicyStore;
  fingerprintOf: FingerprintOf;
  /** Re-sends the settings to the renderer after a change. */
  emitSamplingSettings: () => void;
}

export function samplingHandlers({
  broker,
  policies,
  fingerprintOf,
  emitSamplingSettings,
}: SamplingHandlerDeps): HandlersFor<SamplingChannel> {
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
    'sampling:settings': () => samplingSettings(policies, fingerprintOf),
    'sampling:setPaused': async ({ paused }) => {
      await policies.setPaused(paused);
      emitSamplingSettings();
      return ok;
    },
    'sampling:setPolicy': async ({ serverName, policy }) => {
      // Auto-approve is granted to the definition configured now, and to nothing it later becomes.
      await policies.setPolicy(serverName, policy, fingerprintOf(serverName));
      emitSamplingSettings();
      return ok;
    },
  };
}
