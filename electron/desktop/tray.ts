/**
 * The tray icon: its tooltip (and, on macOS, the text beside it) shows how many sampling requests
 * wait; a click brings the window up. The dock / launcher badge shows the same count.
 */
import path from 'node:path';
import { app, Menu, nativeImage, Tray } from 'electron';
import { pendingStatus } from './pending-status.js';

export interface PendingTray {
  update(count: number): void;
  destroy(): void;
}

/**
 * The tray image from `<resources>/tray/`: a template image on macOS (the menu bar tints it),
 * the coloured one elsewhere. `@2x` variants are picked up for HiDPI by Electron itself.
 */
function trayImage(resourcesDir: string): Electron.NativeImage {
  const name = process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png';
  const image = nativeImage.createFromPath(path.join(resourcesDir, 'tray', name));
  if (process.platform === 'darwin') image.setTemplateImage(true);
  return image;
}

export function createPendingTray(options: { resourcesDir: string; showWindow(): void; quit(): void }): PendingTray | undefined {
  const image = trayImage(options.resourcesDir);
  if (image.isEmpty()) {
    console.warn(`sluice: no tray icon found in ${path.join(options.resourcesDir, 'tray')}; running without a tray icon`);
    return undefined;
  }
  let tray: Tray;
  try {
    tray = new Tray(image);
  } catch (error) {
    // Some Linux desktops have no status area; the app works without it.
    console.warn(`sluice: no tray icon: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  tray.on('click', () => options.showWindow());

  const update = (count: number) => {
    const status = pendingStatus(count, app.name);
    tray.setToolTip(status.tooltip);
    if (process.platform === 'darwin') tray.setTitle(status.title);
    // Linux (AppIndicator) shows no tooltip and needs a menu to be clickable: the count is in it too.
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: status.menuLabel, enabled: false },
        { type: 'separator' },
        { label: `Show ${app.name}`, click: () => options.showWindow() },
        { label: `Quit ${app.name}`, click: () => options.quit() },
      ]),
    );
    app.setBadgeCount(status.count);
  };

  return {
    update,
    destroy() {
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
