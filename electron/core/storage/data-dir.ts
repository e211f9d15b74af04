/**
 * The data folder outside Electron (web mode, the relay): the same folder Electron's
 * app.getPath('userData') uses for "Sluice", or $SLUICE_DATA_DIR.
 */
import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(): string {
  if (process.env.SLUICE_DATA_DIR) return process.env.SLUICE_DATA_DIR;
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Sluice');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? os.homedir(), 'Sluice');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'Sluice');
}
