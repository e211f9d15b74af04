/**
 * Ending a stdio server's whole process tree. The SDK spawns the server as a plain child (no
 * process group of its own), and closing the transport signals only that child: a server started
 * through `npx`, `uv run` or a shell wrapper leaves its real worker behind. So before closing we
 * list the child's descendants, and afterwards end whichever of them are still alive.
 */
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `pid → parent pid` for every process we can see. */
async function parentMap(): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  if (process.platform === 'linux') {
    for (const entry of await fs.readdir('/proc').catch(() => [] as string[])) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await fs.readFile(`/proc/${entry}/stat`, 'utf8').catch(() => undefined);
      // Format: pid (comm) state ppid …; comm may contain spaces and parentheses, so parse after the last ')'.
      const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields?.[1]);
      if (Number.isInteger(ppid)) parents.set(Number(entry), ppid);
    }
    return parents;
  }
  const { stdout } = await run('ps', ['-A', '-o', 'pid=,ppid='], { windowsHide: true }).catch(() => ({ stdout: '' }));
  for (const line of stdout.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (Number.isInteger(pid) && Number.isInteger(ppid)) parents.set(pid as number, ppid as number);
  }
  return parents;
}

/** Every descendant of `root` (children, grandchildren, …), deepest last. */
export async function descendantsOf(root: number): Promise<number[]> {
  if (process.platform === 'win32') return [];
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of await parentMap()) {
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      if (found.includes(child) || child === root) continue;
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** SIGTERM, then SIGKILL for whatever is still alive after `graceMs`. */
export async function endProcesses(pids: readonly number[], graceMs = 1_500): Promise<void> {
  const alive = pids.filter(isAlive);
  if (alive.length === 0) return;
  for (const pid of alive) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && alive.some(isAlive)) await new Promise((resolve) => setTimeout(resolve, 50));
  for (const pid of alive.filter(isAlive)) signal(pid, 'SIGKILL');
}

/** On Windows `taskkill /T` ends a whole tree in one go. */
export async function endTreeOnWindows(pid: number): Promise<void> {
  await run('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true }).catch(() => undefined);
}
