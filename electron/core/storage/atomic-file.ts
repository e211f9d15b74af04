/**
 * Durable file primitives: atomic replace for JSON documents, and reading with recovery.
 * A half-written file must never replace a good one, and a corrupt file is never silently
 * overwritten: it is moved aside and the user is told where it went.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';

/** Files in the data folder are the user's alone: servers, policies, history and keys included. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Makes `dir` (created if missing) readable only by the current user, and tightens every file
 * directly in it to 0600: older versions wrote 0644 files, which this migrates on start.
 * (On Windows the modes are mostly ignored; the per-user profile folder protects the data.)
 */
export async function securePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await fs.chmod(dir, PRIVATE_DIR_MODE);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(dir, entry.name);
    try {
      const { mode } = await fs.stat(file);
      if ((mode & 0o077) !== 0) await fs.chmod(file, mode & PRIVATE_FILE_MODE);
    } catch (error) {
      // Gone since the listing: SQLite removes history.db-wal and -shm when the last connection
      // to the file closes, which libsql does only once its statements are garbage-collected.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** Writes `data` to `file` atomically: temp file in the same directory, fsync, rename. */
export async function writeFileAtomic(file: string, data: string, mode = PRIVATE_FILE_MODE): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.open(temp, 'w', mode);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

export interface LoadedJson<T> {
  value: T;
  /** Set when the file was unreadable and moved aside: a sentence for the user. */
  notice?: string;
}

/**
 * Reads and validates a JSON file. A missing file yields `fallback`; a file that does not parse
 * or does not match `schema` is renamed to `<name>.corrupt-<timestamp>` and `fallback` is used.
 */
export async function readJsonFile<S extends z.ZodType>(
  file: string,
  schema: S,
  fallback: () => z.infer<S>,
): Promise<LoadedJson<z.infer<S>>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { value: fallback() };
    throw error;
  }
  let problem: string;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return { value: parsed.data };
    problem = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
  } catch (error) {
    problem = `not valid JSON (${(error as Error).message})`;
  }
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await fs.rename(file, aside);
  return {
    value: fallback(),
    notice: `${path.basename(file)} could not be read (${problem}). It was moved to ${aside} and a fresh file was started.`,
  };
}
