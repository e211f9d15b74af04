/**
 * The server list on disk, in the `mcpServers` shape Claude Desktop uses so the file is familiar
 * and portable: `{ "mcpServers": { "<name>": { command, args, env, cwd } | { type, url, headers } } }`,
 * plus Sluice's own fields (`enabled`, `era`, `roots`, `logLevel`).
 */
import path from 'node:path';
import { z } from 'zod';
import { ServerDefinitionSchema, type ServerDefinition } from '../../../shared/domain.js';
import { readJsonFile, writeFileAtomic, type LoadedJson } from './atomic-file.js';

const EntrySchema = z.looseObject({
  type: z.enum(['stdio', 'http', 'sse', 'streamable-http']).optional(),
  command: z.string().optional(),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().optional(),
  url: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  enabled: z.boolean().optional(),
  era: z.enum(['auto', 'legacy', 'modern']).optional(),
});

const FileSchema = z.object({ mcpServers: z.record(z.string(), EntrySchema) });
type Entry = z.infer<typeof EntrySchema>;

export function entryToDefinition(name: string, entry: Entry): ServerDefinition {
  const type = entry.type === 'streamable-http' ? 'http' : (entry.type ?? (entry.url ? 'http' : 'stdio'));
  return ServerDefinitionSchema.parse({ ...entry, name, type });
}

function definitionToEntry(definition: ServerDefinition): Entry {
  const { name: _name, ...entry } = definition;
  return entry;
}

export class ServersStore {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'servers.json');
  }

  /** Loads the servers; entries that are individually invalid are skipped and reported. */
  async load(): Promise<LoadedJson<ServerDefinition[]>> {
    const loaded = await readJsonFile(this.file, FileSchema, () => ({ mcpServers: {} }));
    const servers: ServerDefinition[] = [];
    const problems: string[] = [];
    for (const [name, entry] of Object.entries(loaded.value.mcpServers)) {
      try {
        servers.push(entryToDefinition(name, entry));
      } catch (error) {
        problems.push(`server "${name}" in ${this.file} is invalid and was not loaded (${(error as Error).message})`);
      }
    }
    const notices = [loaded.notice, ...problems].filter((notice): notice is string => Boolean(notice));
    return { value: servers, notice: notices.length ? notices.join('\n') : undefined };
  }

  async save(servers: readonly ServerDefinition[]): Promise<void> {
    const mcpServers = Object.fromEntries(servers.map((server) => [server.name, definitionToEntry(server)]));
    await writeFileAtomic(this.file, `${JSON.stringify({ mcpServers }, null, 2)}\n`);
  }
}
