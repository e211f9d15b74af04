/** `app:info`: the version, the mode and data folder, and the notices collected while loading. */
import type { AppInfo } from '../../shared/domain.js';
import type { HandlersFor } from './handlers.js';
import { CLIENT_INFO } from './servers/connection.js';

export function appHandlers(deps: { mode: AppInfo['mode']; dataDir: string; notices: readonly string[] }): HandlersFor<'app:info'> {
  return {
    'app:info': () => ({ version: CLIENT_INFO.version, mode: deps.mode, dataDir: deps.dataDir, notices: [...deps.notices] }),
  };
}
