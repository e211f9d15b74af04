/**
 * Finds the executable a stdio server's `command` names, the way the OS would, but against the
 * environment the server will get (the login shell's PATH on the desktop), so the server's detail
 * can say which file runs and a missing command is reported before anything is spawned.
 *
 * On Windows `npx`, `uvx`, `pnpm` … are `.cmd`/`.bat` shims: they are found through PATHEXT, and
 * the resolved file is what we start. The SDK's stdio transport spawns through cross-spawn with
 * `shell: false`, which runs such a shim through `cmd.exe /d /s /c` with every argument escaped
 * for cmd's metacharacters — never a shell line built from user text.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export interface LookupOptions {
  platform?: NodeJS.Platform;
  /** The environment the server will be started with (its PATH and, on Windows, PATHEXT). */
  env: Record<string, string | undefined>;
  /** Where relative commands (`./server.sh`) are resolved: the server's cwd. */
  cwd?: string;
  /** Whether a path is a file we may run (tests pass a fake file system). */
  isRunnable?: (file: string, platform: NodeJS.Platform) => boolean;
}

const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

/** The absolute path of the file `command` runs, or undefined when nothing on PATH matches. */
export function findExecutable(command: string, options: LookupOptions): string | undefined {
  const platform = options.platform ?? process.platform;
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const isRunnable = options.isRunnable ?? runnableOnDisk;
  const env = options.env;
  const candidatesFor = (base: string): string[] => {
    if (platform !== 'win32') return [base];
    const extensions = (envValue(env, 'PATHEXT', platform) ?? DEFAULT_PATHEXT).split(';').filter(Boolean);
    // A name that already ends in a runnable extension (`npx.cmd`) is tried as it is first.
    const own = extensions.some((ext) => base.toLowerCase().endsWith(ext.toLowerCase())) ? [base] : [];
    return [...own, ...extensions.map((ext) => base + ext.toLowerCase())];
  };
  const hasSeparator = platform === 'win32' ? /[\\/]/.test(command) : command.includes('/');
  if (hasSeparator) {
    const base = paths.resolve(options.cwd ?? process.cwd(), command);
    return candidatesFor(base).find((file) => isRunnable(file, platform));
  }
  const searchPath = envValue(env, 'PATH', platform) ?? '';
  for (const dir of searchPath.split(paths.delimiter)) {
    if (!dir) continue;
    // Windows PATH entries may be quoted ("C:\Program Files\nodejs").
    const clean = platform === 'win32' ? dir.replace(/^"(.*)"$/, '$1') : dir;
    const found = candidatesFor(paths.join(clean, command)).find((file) => isRunnable(file, platform));
    if (found) return found;
  }
  return undefined;
}

/** Windows variable names are case-insensitive (`Path` is common); POSIX ones are not. */
export function envValue(
  env: Record<string, string | undefined>,
  name: string,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (platform !== 'win32') return env[name];
  const key = Object.keys(env).find((candidate) => candidate.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

function runnableOnDisk(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
