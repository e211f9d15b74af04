/**
 * One host per data folder. The desktop app's single-instance lock only keeps out a second
 * desktop app; `npm run web` on the same folder would start a second host beside it, and both
 * would spawn the same servers and write the same history, policies and secrets. `sluice.lock`
 * (pid, mode, address; 0600) in the data folder makes the second one refuse with a sentence
 * naming the first. A lock whose process is gone (a crash, a kill -9) is taken over.
 */
import { promises as fs, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const LOCK_FILE = 'sluice.lock';

const LockSchema = z.object({
  pid: z.number().int().positive(),
  mode: z.enum(['desktop', 'web']),
  /** Where the running host can be reached (web mode's address, without its token). */
  address: z.string().max(500).optional(),
  startedAt: z.number(),
});
export type LockInfo = z.infer<typeof LockSchema>;

export class HostLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockInfo,
  ) {
    const where =
      holder.mode === 'web'
        ? `web mode (process ${holder.pid})${holder.address ? ` at ${holder.address}` : ''}: open it in your browser with the address it printed, or stop it (Ctrl+C in its terminal)`
        : `the desktop app (process ${holder.pid}): switch to its window, or quit it`;
    super(
      `Sluice is already running on the data folder ${dataDir}, in ${where}. Two hosts on one folder would start the same servers twice and overwrite each other's files.`,
    );
  }
}

export interface HostLock {
  readonly file: string;
  /** Records where this host can now be reached (web mode, once listening). */
  setAddress(address: string): Promise<void>;
  /** Removes the lock if it is still ours. */
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(file: string): Promise<LockInfo | undefined> {
  try {
    return LockSchema.parse(JSON.parse(await fs.readFile(file, 'utf8')));
  } catch {
    return undefined;
  }
}

/**
 * Takes the data folder's lock, or throws `HostLockedError` naming the host that holds it. The
 * file is created exclusively (`wx`), so two hosts starting at once cannot both win.
 */
export async function acquireHostLock(dataDir: string, info: { mode: LockInfo['mode']; address?: string }): Promise<HostLock> {
  const file = path.join(dataDir, LOCK_FILE);
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  let mine: LockInfo = { pid: process.pid, mode: info.mode, ...(info.address && { address: info.address }), startedAt: Date.now() };
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await fs.open(file, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(mine)}\n`);
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 2) throw error;
    }
    const holder = await readHolder(file);
    // A live holder refuses us; an unreadable lock or a dead process is stale and taken over.
    if (holder && holder.pid !== process.pid && alive(holder.pid)) throw new HostLockedError(dataDir, holder);
    await fs.rm(file, { force: true });
  }
  const releaseOnExit = () => {
    try {
      // Synchronous: 'exit' listeners cannot wait. Only our own lock is removed.
      const current = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
      if (current.pid === process.pid && current.startedAt === mine.startedAt) rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
  process.once('exit', releaseOnExit);
  return {
    file,
    async setAddress(address) {
      mine = { ...mine, address };
      const temp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(temp, `${JSON.stringify(mine)}\n`, { mode: 0o600 });
      await fs.rename(temp, file);
    },
    async release() {
      process.off('exit', releaseOnExit);
      const current = await readHolder(file);
      if (current?.pid === process.pid && current.startedAt === mine.startedAt) await fs.rm(file, { force: true });
    },
  };
}
