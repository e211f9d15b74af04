/**
 * "Add Sluice to <app>": the config each app reads, the snippet to copy, and a writer that
 * changes exactly one entry (`sluice`) in the app's file with jsonc-parser edits, so comments,
 * trailing commas, key order and everything else in the file stay as they were (VS Code's files
 * are JSONC; ~/.claude.json holds much more than servers).
 *
 * Writing is explicit and reversible: `preview` shows the diff first; an existing `sluice` entry
 * is replaced only when the caller says so; the old file is copied next to it
 * (`<file>.sluice-backup-<time>`) before the new one replaces it atomically, keeping its mode. A
 * file that cannot be read or parsed is refused with the reason, and nothing is written.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyEdits, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { AppConfigPreview, AppConfigTarget, AppId, GatewayStatus } from '../../../shared/gateway.js';
import { writeFileAtomic } from '../storage/atomic-file.js';

export interface RelayCommand {
  command: string;
  args: string[];
}

export const ENTRY_NAME = 'sluice';
const TOKEN_PLACEHOLDER = '<token>';
/** Config files bigger than this are not edited (something else is going on). */
const MAX_CONFIG_BYTES = 10 * 1024 * 1024;
const DIFF_CONTEXT = 3;

interface AppSpec {
  label: string;
  transport: 'stdio' | 'http';
  /** The file, relative to the home folder, per platform. */
  file(home: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string;
  /** The key holding the servers object. */
  serversKey: string;
  entry(status: GatewayStatus, token: string): Record<string, unknown>;
  where: string;
}

function appData(home: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support');
  if (platform === 'win32') return env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  return env.XDG_CONFIG_HOME ?? path.join(home, '.config');
}

const url = (status: GatewayStatus) => status.url ?? `http://127.0.0.1:${status.settings.port}/mcp`;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

const APPS: Record<AppId, AppSpec> = {
  'claude-desktop': {
    label: 'Claude Desktop',
    transport: 'stdio',
    file: (home, platform, env) => path.join(appData(home, platform, env), 'Claude', 'claude_desktop_config.json'),
    serversKey: 'mcpServers',
    entry: (status) => ({ command: status.relay.command, args: status.relay.args }),
    where: 'Settings → Developer → Edit Config, under "mcpServers"; then restart Claude Desktop.',
  },
  'claude-code': {
    label: 'Claude Code',
    transport: 'http',
    file: (home) => path.join(home, '.claude.json'),
    serversKey: 'mcpServers',
    entry: (status, token) => ({ type: 'http', url: url(status), headers: bearer(token) }),
    where: 'User scope in ~/.claude.json (or run: claude mcp add --transport http sluice <url> --header "Authorization: Bearer <token>").',
  },
  cursor: {
    label: 'Cursor',
    transport: 'http',
    file: (home) => path.join(home, '.cursor', 'mcp.json'),
    serversKey: 'mcpServers',
    entry: (status, token) => ({ url: url(status), headers: bearer(token) }),
    where: 'Global MCP settings in ~/.cursor/mcp.json, under "mcpServers".',
  },
  vscode: {
    label: 'VS Code',
    transport: 'http',
    file: (home, platform, env) => path.join(appData(home, platform, env), 'Code', 'User', 'mcp.json'),
    serversKey: 'servers',
    entry: (status, token) => ({ type: 'http', url: url(status), headers: bearer(token) }),
    where: 'The user mcp.json (Command Palette → "MCP: Open User Configuration"), under "servers".',
  },
  windsurf: {
    label: 'Windsurf',
    transport: 'http',
    file: (home) => path.join(home, '.codeium', 'windsurf', 'mcp_config.json'),
    serversKey: 'mcpServers',
    entry: (status, token) => ({ serverUrl: url(status), headers: bearer(token) }),
    where: '~/.codeium/windsurf/mcp_config.json, under "mcpServers"; then refresh the MCP list.',
  },
};

export class AppConfigError extends Error {}

export class AppConfigs {
  private readonly home: string;
  private readonly platform: NodeJS.Platform;
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: { home?: string; platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv; relay: RelayCommand }) {
    this.home = options.home ?? os.homedir();
    this.platform = options.platform ?? process.platform;
    // With a test home, the real user's XDG/APPDATA must not leak in.
    this.env = options.env ?? (options.home ? {} : process.env);
  }

  pathOf(app: AppId): string {
    return APPS[app].file(this.home, this.platform, this.env);
  }

  targets(status: GatewayStatus): AppConfigTarget[] {
    return (Object.keys(APPS) as AppId[]).map((app) => {
      const spec = APPS[app];
      const snippet = JSON.stringify({ [spec.serversKey]: { [ENTRY_NAME]: spec.entry(status, TOKEN_PLACEHOLDER) } }, null, 2);
      return { app, label: spec.label, path: this.pathOf(app), transport: spec.transport, snippet, where: spec.where };
    });
  }

  async preview(app: AppId, status: GatewayStatus, token?: string): Promise<AppConfigPreview> {
    const { before, after, exists, hasEntry } = await this.plan(app, status, token, true);
    return { app, path: this.pathOf(app), exists, hasEntry, diff: contextDiff(before, after) };
  }

  /** Writes the entry; refuses to replace an existing `sluice` entry unless `replace`. Answers the backup's path. */
  async write(app: AppId, status: GatewayStatus, token: string | undefined, replace: boolean): Promise<{ path: string; backup?: string }> {
    const file = this.pathOf(app);
    const { before, after, exists, hasEntry, mode } = await this.plan(app, status, token, replace);
    if (hasEntry && !replace) {
      throw new AppConfigError(`${APPS[app].label} already has a server named "${ENTRY_NAME}" in ${file}; confirm replacing it.`);
    }
    let backup: string | undefined;
    if (exists) {
      backup = `${file}.sluice-backup-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await fs.writeFile(backup, before, { mode: 0o600, flag: 'wx' });
    } else {
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    }
    await writeFileAtomic(file, after, mode);
    return backup ? { path: file, backup } : { path: file };
  }

  private async plan(app: AppId, status: GatewayStatus, token: string | undefined, replace: boolean) {
    const spec = APPS[app];
    const file = this.pathOf(app);
    if (spec.transport === 'http' && !token)
      throw new AppConfigError(`${spec.label} connects over HTTP and needs an app token: create one first.`);
    let before = '';
    let exists = true;
    let mode = 0o600;
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) throw new AppConfigError(`${file} is not a file; nothing was changed.`);
      if (stat.size > MAX_CONFIG_BYTES) throw new AppConfigError(`${file} is over ${MAX_CONFIG_BYTES} bytes; nothing was changed.`);
      mode = stat.mode & 0o777;
      before = await fs.readFile(file, 'utf8');
    } catch (error) {
      if (error instanceof AppConfigError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') exists = false;
      else throw new AppConfigError(`Cannot read ${file} (${code ?? String(error)}); nothing was changed.`);
    }
    const errors: ParseError[] = [];
    const parsed: unknown = before.trim() ? parse(before, errors, { allowTrailingComma: true }) : {};
    if (errors.length > 0) {
      const first = errors[0]!;
      throw new AppConfigError(
        `${file} is not valid JSON (${printParseErrorCode(first.error)} at offset ${first.offset}); nothing was changed.`,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new AppConfigError(`${file} does not hold a JSON object; nothing was changed.`);
    }
    const servers = (parsed as Record<string, unknown>)[spec.serversKey];
    if (servers !== undefined && (typeof servers !== 'object' || servers === null || Array.isArray(servers))) {
      throw new AppConfigError(`"${spec.serversKey}" in ${file} is not an object; nothing was changed.`);
    }
    const hasEntry = servers !== undefined && Object.hasOwn(servers, ENTRY_NAME);
    const base = before.trim() ? before : '{}\n';
    const edits =
      hasEntry && !replace
        ? []
        : modify(base, [spec.serversKey, ENTRY_NAME], spec.entry(status, token ?? ''), {
            formattingOptions: { insertSpaces: true, tabSize: detectIndent(base), eol: base.includes('\r\n') ? '\r\n' : '\n' },
          });
    const after = applyEdits(base, edits);
    return { before, after, exists, hasEntry, mode };
  }
}

function detectIndent(text: string): number {
  const match = /\n( +)\S/.exec(text);
  return match ? Math.min(match[1]!.length, 8) : 2;
}

/**
 * The changed lines with a few lines of context. The writer changes one region, so the common
 * prefix and suffix are trimmed (linear, fine for a large ~/.claude.json).
 */
export function contextDiff(before: string, after: string): string[] {
  const a = before ? before.split(/\r?\n/) : [];
  const b = after.split(/\r?\n/);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const from = Math.max(0, start - DIFF_CONTEXT);
  return [
    ...a.slice(from, start).map((line) => `  ${line}`),
    ...a.slice(start, endA).map((line) => `- ${line}`),
    ...b.slice(start, endB).map((line) => `+ ${line}`),
    ...a.slice(endA, Math.min(a.length, endA + DIFF_CONTEXT)).map((line) => `  ${line}`),
  ];
}
