/**
 * Import from other MCP hosts: find their config files, preview one, and turn the user's picks
 * into Sluice server definitions. The file is read again on apply, so what is imported is what the
 * file says now, with the user's names and input values applied.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServerDefinition } from '../../../shared/domain.js';
import type { ImportApplyResult, ImportLocation, ImportPreview } from '../../../shared/server-features.js';
import { knownLocations, type LocationContext } from './locations.js';
import { buildPreview, entryToDefinition, parseHostConfig, type ParsedHostConfig, type ResolveContext } from './parse.js';

const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface ImporterOptions {
  /** Overrides for tests; defaults come from the running OS. */
  locationContext?: LocationContext;
  env?: Record<string, string | undefined>;
}

export class ServerImporter {
  private readonly context: LocationContext;
  private readonly env: Record<string, string | undefined>;

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
    const parsed = await this.read(resolved);
    return buildPreview(resolved, parsed, existing, this.resolveContext(resolved, inputValues));
  }

  /** The definitions to add for the user's picks; throws when a pick cannot be imported. */
  async definitionsFor(
    file: string,
    picks: ReadonlyArray<{ sourceName: string; name: string }>,
    inputValues: Record<string, string>,
  ): Promise<{ definitions: ServerDefinition[]; result: ImportApplyResult }> {
    const resolved = this.absolute(file);
    const parsed = await this.read(resolved);
    const context = this.resolveContext(resolved, inputValues);
    const definitions: ServerDefinition[] = [];
    const imported: ImportApplyResult['imported'] = [];
    for (const pick of picks) {
      const found = parsed.entries.find((entry) => entry.name === pick.sourceName);
      if (!found) throw new Error(`"${pick.sourceName}" is no longer in ${resolved}`);
      if (!found.entry) throw new Error(`"${pick.sourceName}" cannot be imported: ${found.problem ?? 'invalid entry'}`);
      const built = entryToDefinition(pick.name.trim(), found.entry, context);
      if (!built.definition) throw new Error(`"${pick.sourceName}" cannot be imported: ${built.problem ?? built.needsInput ?? 'invalid entry'}`);
      definitions.push(built.definition);
      imported.push({
        name: built.definition.name,
        enabled: built.definition.enabled,
        ...(built.unresolved.length
          ? { note: `imported disabled: fill in ${built.unresolved.join(', ')} and enable it` }
          : found.entry.disabled
            ? { note: 'imported disabled, as it was in the source file' }
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
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw new Error(`${file} is not a file`);
    if (stat.size > MAX_FILE_BYTES) throw new Error(`${file} is too large to be an MCP config (${stat.size} bytes)`);
    return parseHostConfig(await fs.readFile(file, 'utf8'));
  }
}
