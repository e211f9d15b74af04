/**
 * What the host needs from an app updater. The desktop adapter supplies one (electron/desktop/
 * updater.ts, around electron-updater); web mode and a checkout have none, and the host answers
 * with `unsupportedUpdates()` so the renderer can say why there is nothing to update.
 */
import type { UpdateState } from '../../../shared/domain.js';

export interface UpdatesPort {
  state(): UpdateState;
  /** Checks the feed now; resolves with the state after the check (errors are in the state, never thrown). */
  check(): Promise<UpdateState>;
  setEnabled(enabled: boolean): Promise<UpdateState>;
  /** Quits and installs a downloaded update; refuses (throws) when none is ready. */
  restart(): void;
  /** Every state change; returns the unsubscribe function. */
  onChange(listener: (state: UpdateState) => void): () => void;
}

export function unsupportedUpdates(currentVersion: string, reason: string): UpdatesPort {
  const state: UpdateState = { supported: false, reason, enabled: false, status: 'idle', currentVersion };
  return {
    state: () => state,
    check: () => Promise.resolve(state),
    setEnabled: () => Promise.resolve(state),
    restart: () => {
      throw new Error(reason);
    },
    onChange: () => () => undefined,
  };
}
