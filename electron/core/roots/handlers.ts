/** The `roots:*` channels: the folders servers may see, for all servers and per server. */
import { ok, type HandlersFor } from '../handlers.js';
import type { ServerManager } from '../servers/manager.js';
import { checkFolder, checkFolders, type RootsService } from './roots-service.js';

export type RootsChannel = 'roots:get' | 'roots:setGlobal' | 'roots:setServer' | 'roots:checkFolder' | 'roots:pickFolder';

export interface RootsHandlerDeps {
  roots: RootsService;
  servers: ServerManager;
  /** The desktop app's native folder picker; absent in web mode. */
  pickFolder?: () => Promise<string | undefined>;
}

export function rootsHandlers({ roots, servers, pickFolder }: RootsHandlerDeps): HandlersFor<RootsChannel> {
  return {
    'roots:get': () => ({
      global: roots.globalRoots(),
      servers: Object.fromEntries(servers.statuses().map((s) => [s.definition.name, s.definition.roots ?? []])),
      canPickFolder: pickFolder !== undefined,
    }),
    'roots:setGlobal': async ({ roots: folders }) => {
      await roots.setGlobal(folders);
      return ok;
    },
    'roots:setServer': async ({ name, roots: folders }) => {
      servers.get(name); // a clear error for an unknown server before the folders are checked
      const checked = await checkFolders(folders);
      // Roots do not affect the connection: the definition is saved and swapped in place, and a
      // 2025-era server is told the list changed (it asks roots/list again); no restart.
      await servers.updateSettings(name, { roots: checked.length ? checked : undefined });
      await roots.notifyAll(name);
      return ok;
    },
    'roots:checkFolder': ({ path }) => checkFolder(path),
    'roots:pickFolder': async () => {
      if (!pickFolder) throw new Error('There is no folder picker in web mode: type the folder path instead');
      return { path: await pickFolder() };
    },
  };
}
