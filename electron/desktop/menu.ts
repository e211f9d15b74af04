/**
 * The application menu as a plain template (no Electron import at run time): File, Edit, View,
 * Window, Help, plus the app menu on macOS. The developer tools (and page reload) are only in the
 * menu in development, or in a packaged build started with SLUICE_DEVTOOLS=1.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  showWindow(): void;
  openDataFolder(): void;
  openUrl(url: string): void;
  /** Help → Check for Updates… (only in an installed app: a checkout has nothing to update). */
  checkForUpdates?(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** Whether the developer tools may be opened (see `devToolsAllowed`). */
  devTools: boolean;
  actions: MenuActions;
}

export const MCP_DOCS_URL = 'https://modelcontextprotocol.io';

/** Developer tools: always in development, in a packaged build only with SLUICE_DEVTOOLS=1. */
export function devToolsAllowed(isPackaged: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return !isPackaged || env.SLUICE_DEVTOOLS === '1';
}

export function buildMenuTemplate({ platform, appName, devTools, actions }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const openDataFolder: MenuItemConstructorOptions = { label: 'Open Data Folder', click: () => actions.openDataFolder() };

  const appMenu: MenuItemConstructorOptions = {
    label: appName,
    submenu: [
      { role: 'about' },
      separator,
      { role: 'services' },
      separator,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      { role: 'quit' },
    ],
  };

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [openDataFolder, separator, mac ? { role: 'close' } : { role: 'quit' }],
  };

  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(devTools ? [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, separator] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };

  const window: MenuItemConstructorOptions = {
    label: 'Window',
    role: 'window',
    submenu: [
      { label: `Show ${appName}`, click: () => actions.showWindow() },
      { role: 'minimize' },
      { role: 'zoom' },
      ...(mac ? [separator, { role: 'front' } as const] : [{ role: 'close' } as const]),
    ],
  };

  const help: MenuItemConstructorOptions = {
    label: 'Help',
    role: 'help',
    submenu: [
      { label: 'About the Model Context Protocol', click: () => actions.openUrl(MCP_DOCS_URL) },
      ...(actions.checkForUpdates ? [separator, { label: 'Check for Updates…', click: () => actions.checkForUpdates?.() }] : []),
      ...(mac ? [] : [separator, { role: 'about' } as const]),
    ],
  };

  return [...(mac ? [appMenu] : []), file, edit, view, window, help];
}

/** Every role in a template, depth first: what the tests inspect. */
export function menuRoles(template: readonly MenuItemConstructorOptions[]): string[] {
  const roles: string[] = [];
  for (const item of template) {
    if (item.role) roles.push(item.role);
    if (Array.isArray(item.submenu)) roles.push(...menuRoles(item.submenu));
  }
  return roles;
}
