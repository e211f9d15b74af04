/**
 * The server list on disk, in the `mcpServers` shape Claude Desktop uses so the file is familiar
 * and portable: `{ "mcpServers": { "<name>": { command, args, env, cwd } | { type, url, headers } } }`,
 * plus Sluice's own fields (`enabled`, `era`, `roots`, `logLevel`).
 */
import path from 'node:path';
import { z } from 'zod';
import { HttpServerSchema, ServerDefinitionSchema, StdioServerSchema, type ServerDefinition } from '../../../shared/domain.js';
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

/**
 * Entries are validated one by one (below), so one bad entry never costs the others; fields and
 * top-level keys Sluice does not know are kept as they are.
 */
const FileSchema = z.looseObject({ mcpServers: z.record(z.string(), z.unknown()) });
type Entry = z.infer<typeof EntrySchema>;

/** Fields a definition owns: what the form can change or remove. Anything else in an entry is the user's. */
const KNOWN_FIELDS = new Set(['type', ...Object.keys(StdioServerSchema.shape), ...Object.keys(HttpServerSchema.shape)]);

function unknownFields(raw: unknown): Record<string, unknown> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  return Object.fromEntries(Object.entries(raw).filter(([key]) => !KNOWN_FIELDS.has(key)));
}

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
  /** The file as last read or written: entries Sluice could not load are written back verbatim. */
  private raw: { rest: Record<string, unknown>; entries: Record<string, unknown>; invalid: Set<string> } = {
    rest: {},
    entries: {},
    invalid: new Set(),
  };

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'servers.json');
  }

  /**
   * Loads the servers; an entry that is invalid on its own is skipped, reported, and kept in the
   * file exactly as it is, so fixing it by hand later loses nothing.
   */
  async load(): Promise<LoadedJson<ServerDefinition[]>> {
    const loaded = await readJsonFile(this.file, FileSchema, () => ({ mcpServers: {} }));
    const { mcpServers, ...rest } = loaded.value;
    this.raw = { rest, entries: { ...mcpServers }, invalid: new Set() };
    const servers: ServerDefinition[] = [];
    const problems: string[] = [];
    for (const [name, entry] of Object.entries(mcpServers)) {
      try {
        servers.push(entryToDefinition(name, EntrySchema.parse(entry)));
      } catch (error) {
        this.raw.invalid.add(name);
        const reason = error instanceof z.ZodError ? z.prettifyError(error).replace(/\s*\n\s*/g, '; ') : (error as Error).message;
        problems.push(
          `server "${name}" in ${this.file} is invalid and was not loaded (${reason}); it is kept in the file as it is and ignored until it is fixed`,
        );
      }
    }
    const notices = [loaded.notice, ...problems].filter((notice): notice is string => Boolean(notice));
    return { value: servers, notice: notices.length ? notices.join('\n') : undefined };
  }

  /**
   * Writes the servers, keeping each entry's unknown fields, the file's other top-level keys and,
   * verbatim, every invalid entry whose name no loaded server has taken since.
   */
  async save(servers: readonly ServerDefinition[]): Promise<void> {
    const names = new Set(servers.map((server) => server.name));
    const mcpServers: Record<string, unknown> = Object.fromEntries(
      servers.map((server) => [server.name, { ...unknownFields(this.raw.entries[server.name]), ...definitionToEntry(server) }]),
    );
    for (const name of this.raw.invalid) {
      if (!names.has(name)) mcpServers[name] = this.raw.entries[name];
    }
    await writeFileAtomic(this.file, `${JSON.stringify({ ...this.raw.rest, mcpServers }, null, 2)}\n`, 0o600);
    this.raw = { ...this.raw, entries: mcpServers, invalid: new Set([...this.raw.invalid].filter((name) => !names.has(name))) };
  }
}
