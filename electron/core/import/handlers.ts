/** The `import:*` channels: find other hosts' MCP configs, preview one, add the servers picked. */
import type { HandlersFor } from '../handlers.js';
import type { ServerManager } from '../servers/manager.js';
import type { ServerImporter } from './importer.js';

export type ImportChannel = 'import:scan' | 'import:pickFile' | 'import:preview' | 'import:apply';

export interface ImportHandlerDeps {
  importer: ServerImporter;
  servers: ServerManager;
  /** Desktop only: the native file picker; undefined when cancelled. */
  pickFile?: () => Promise<string | undefined>;
}

export function importHandlers({ importer, servers, pickFile }: ImportHandlerDeps): HandlersFor<ImportChannel> {
  return {
    'import:scan': () => importer.scan(),
    'import:pickFile': async () => {
      if (!pickFile) throw new Error('There is no file picker in web mode: type the path of the config file instead');
      return { path: await pickFile() };
    },
    'import:preview': ({ path }) => importer.preview(path, servers.definitions()),
    'import:apply': async ({ path, picks, inputValues }) => {
      const { definitions, result } = await importer.definitionsFor(path, picks, inputValues);
      await servers.addAll(definitions);
      return result;
    },
  };
}
