/**
 * Where other MCP hosts keep their server lists, per operating system. Pure: the caller passes the
 * platform and directories, so every OS's answer can be tested anywhere.
 */
import path from 'node:path';
import type { ImportSourceKind } from '../../../shared/server-features.js';

export interface LocationContext {
  platform: NodeJS.Platform;
  home: string;
  /** %APPDATA% on Windows. */
  appData?: string;
  /** $XDG_CONFIG_HOME, when set. */
  xdgConfigHome?: string;
  /** A project folder whose `.vscode/mcp.json` and `.cursor/mcp.json` are worth looking at. */
  workspace?: string;
}

export interface KnownLocation {
  kind: Exclude<ImportSourceKind, 'file'>;
  label: string;
  path: string;
}

export function knownLocations(context: LocationContext): KnownLocation[] {
  const { platform, home } = context;
  // Joining with the target platform's separator keeps Windows paths readable when tested on Linux.
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const join = (...parts: string[]) => paths.join(...parts);
  const appData = context.appData ?? join(home, 'AppData', 'Roaming');
  const config = context.xdgConfigHome ?? join(home, '.config');
  const userDir = platform === 'darwin' ? join(home, 'Library', 'Application Support') : platform === 'win32' ? appData : config;
  const locations: KnownLocation[] = [
    { kind: 'claude-desktop', label: 'Claude Desktop', path: join(userDir, 'Claude', 'claude_desktop_config.json') },
    { kind: 'vscode', label: 'VS Code (user)', path: join(userDir, 'Code', 'User', 'mcp.json') },
    { kind: 'vscode', label: 'VS Code Insiders (user)', path: join(userDir, 'Code - Insiders', 'User', 'mcp.json') },
    { kind: 'cursor', label: 'Cursor (global)', path: join(home, '.cursor', 'mcp.json') },
  ];
  if (context.workspace) {
    locations.push(
      { kind: 'vscode', label: 'VS Code (workspace)', path: join(context.workspace, '.vscode', 'mcp.json') },
      { kind: 'cursor', label: 'Cursor (project)', path: join(context.workspace, '.cursor', 'mcp.json') },
    );
  }
  return locations;
}
