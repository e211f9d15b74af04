/**
 * Import from other MCP hosts: find their config files, preview one, and turn the user's picks
 * into Sluice server definitions. Apply never reads the file again: it imports from the content
 * the preview was built from (named by its digest), so a file changed between preview and apply
 * cannot slip in a command the user did not see. Imported stdio servers are added switched off:
 * a command from another program's file runs only once the user enables it.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServerDefinition } from '../../../shared/domain.js';
import type { ImportApplyResult, ImportLocation, ImportPreview } from '../../../shared/server-features.js';
import { knownLocations, type LocationContext } from './locations.js';
import { buildPreview, entryToDefinition, parseHostConfig, type ParsedHostConfig, type ResolveContext } from './parse.js';

const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Previews kept for apply (a few, so an old preview window cannot pin memory). */
const KEPT_PREVIEWS = 8;

export interface ImporterOptions {
  /** Overrides for tests; defaults come from the running OS. */
  locationContext?: LocationContext;
  env?: Record<string, string | undefined>;
}

export class ServerImporter {
  private readonly context: LocationContext;
  private readonly env: Record<string, string | undefined>;
  /** The parsed content of recent previews, by digest, oldest first. */
  private readonly previews = new Map<string, { file: string; parsed: ParsedHostConfig }>();

  constructor(options: ImporterOptions = {}) {
    this.env = options.env ?? process.env;
    this.context = options.locationContext ?? {
      platform: process.platform,
      home: os.homedir(),
      appData: this.env.APPDATA,
      xdgConfigHome: this.env.XDG_CONFIG_HOME,
      workspace: process.cwd(),
    };
  }

  /** The usual config files of Claude Desktop, VS Code and Cursor, and how many servers each lists. */
  async scan(): Promise<ImportLocation[]> {
    return Promise.all(
      knownLocations(this.context).map(async (location): Promise<ImportLocation> => {
        try {
          const parsed = await this.read(location.path);
          return { ...location, exists: true, serverCount: parsed.entries.length };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...location, exists: false };
          return { ...location, exists: true, problem: (error as Error).message };
        }
      }),
    );
  }

  async preview(file: string, existing: readonly ServerDefinition[], inputValues: Record<string, string> = {}): Promise<ImportPreview> {
    const resolved = this.absolute(file);
    const text = await this.readText(resolved);
    const parsed = parseHostConfig(text);
    const digest = createHash('sha256').update(resolved).update('\0').update(text).digest('hex');
    this.previews.delete(digest);
    this.previews.set(digest, { file: resolved, parsed });
    for (const old of [...this.previews.keys()].slice(0, Math.max(0, this.previews.size - KEPT_PREVIEWS))) this.previews.delete(old);
    return buildPreview(resolved, digest, parsed, existing, this.resolveContext(resolved, inputValues));
  }

  /** The definitions to add for the user's picks; throws when a pick cannot be imported. */
  definitionsFor(
    file: string,
    digest: string,
    picks: ReadonlyArray<{ sourceName: string; name: string }>,
    inputValues: Record<string, string>,
  ): { definitions: ServerDefinition[]; result: ImportApplyResult } {
    const resolved = this.absolute(file);
    const previewed = this.previews.get(digest);
    if (!previewed || previewed.file !== resolved)
      throw new Error(`This preview of ${resolved} has expired: preview the file again before importing`);
    const { parsed } = previewed;
    const context = this.resolveContext(resolved, inputValues);
    const definitions: ServerDefinition[] = [];
    const imported: ImportApplyResult['imported'] = [];
    for (const pick of picks) {
      const found = parsed.entries.find((entry) => entry.name === pick.sourceName);
      if (!found) throw new Error(`"${pick.sourceName}" is no longer in ${resolved}`);
      if (!found.entry) throw new Error(`"${pick.sourceName}" cannot be imported: ${found.problem ?? 'invalid entry'}`);
      const built = entryToDefinition(pick.name.trim(), found.entry, context);
      if (!built.definition)
        throw new Error(`"${pick.sourceName}" cannot be imported: ${built.problem ?? built.needsInput ?? 'invalid entry'}`);
      const command = built.definition.type === 'stdio';
      const definition = command ? { ...built.definition, enabled: false } : built.definition;
      definitions.push(definition);
      imported.push({
        name: definition.name,
        enabled: definition.enabled,
        ...(built.unresolved.length
          ? { note: `imported disabled: fill in ${built.unresolved.join(', ')} and enable it` }
          : found.entry.disabled
            ? { note: 'imported disabled, as it was in the source file' }
            : command
              ? { note: 'imported switched off: it runs a command, so it starts only when you enable it' }
              : {}),
      });
    }
    return { definitions, result: { imported } };
  }

  private absolute(file: string): string {
    const expanded = file.trim().replace(/^~(?=$|[\\/])/, this.context.home);
    return path.resolve(expanded);
  }

  private resolveContext(file: string, inputValues: Record<string, string>): ResolveContext {
    // `${workspaceFolder}` means the project a `.vscode/mcp.json` or `.cursor/mcp.json` belongs to.
    const parentDir = path.basename(path.dirname(file));
    const workspaceFolder = parentDir === '.vscode' || parentDir === '.cursor' ? path.dirname(path.dirname(file)) : undefined;
    return { inputValues, home: this.context.home, workspaceFolder, env: this.env };
  }

  private async read(file: string): Promise<ParsedHostConfig> {
    return parseHostConfig(await this.readText(file));
  }

  private async readText(file: string): Promise<string> {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new Error(`${file} is not a file`);
    if (stat.size > MAX_FILE_BYTES) throw new Error(`${file} is too large to be an MCP config (${stat.size} bytes)`);
    return fs.readFile(file, 'utf8');
  }
}
