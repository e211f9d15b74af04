/**
 * Roots: the folders a server may see. The user picks them globally (every server) and per server
 * (a `roots` field in the server's definition, in servers.json). `roots/list` answers with both;
 * when the global list changes, every connected server whose protocol era has the notification
 * gets `notifications/roots/list_changed` and asks again.
 *
 * The global list lives in `roots.json` in the data folder, written atomically.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { RootFolderSchema, type RootFolder } from '../../../shared/domain.js';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file.js';

const RootsFileSchema = z.object({ global: z.array(RootFolderSchema) });

/** A root as the protocol sends it. */
export interface WireRoot {
  uri: string;
  name?: string;
}

/** What the service needs of a live client to tell it the list changed. */
export interface RootsListener {
  serverName: string;
  /** Sends `notifications/roots/list_changed`; undefined when the era has no such notification. */
  notifyChanged(): Promise<void> | undefined;
  /** False once the connection is gone. */
  isOpen(): boolean;
}

export class RootsService {
  readonly file: string;
  private global: RootFolder[] = [];
  private readonly listeners = new Set<RootsListener>();

  constructor(
    dataDir: string,
    /** The server's own roots, from its definition. */
    private readonly serverRoots: (serverName: string) => RootFolder[],
  ) {
    this.file = path.join(dataDir, 'roots.json');
  }

  async load(): Promise<string | undefined> {
    const loaded = await readJsonFile(this.file, RootsFileSchema, () => ({ global: [] }));
    this.global = loaded.value.global;
    return loaded.notice;
  }

  globalRoots(): RootFolder[] {
    return [...this.global];
  }

  /** Replaces the global list (each folder checked), saves it, and tells connected servers. */
  async setGlobal(roots: readonly RootFolder[]): Promise<void> {
    const checked = await checkFolders(roots);
    await writeFileAtomic(this.file, `${JSON.stringify({ global: checked }, null, 2)}\n`);
    this.global = checked;
    await this.notifyAll();
  }

  /** What `roots/list` answers `serverName`: the global folders, then the server's own, without duplicates. */
  rootsFor(serverName: string): WireRoot[] {
    const seen = new Set<string>();
    const roots: WireRoot[] = [];
    for (const folder of [...this.global, ...safeServerRoots(this.serverRoots, serverName)]) {
      const uri = pathToFileURL(path.resolve(folder.path)).href;
      if (seen.has(uri)) continue;
      seen.add(uri);
      roots.push(folder.name ? { uri, name: folder.name } : { uri, name: path.basename(path.resolve(folder.path)) || folder.path });
    }
    return roots;
  }

  /** Registers a live client; returns the function that unregisters it. */
  attach(listener: RootsListener): () => void {
    // A server has one live client at a time: a new one (reconnect, restart) replaces the old.
    for (const existing of this.listeners) if (existing.serverName === listener.serverName) this.listeners.delete(existing);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells one server (or all) that the list changed, where the protocol era allows it. */
  async notifyAll(serverName?: string): Promise<void> {
    const sends: Promise<void>[] = [];
    for (const listener of [...this.listeners]) {
      if (!listener.isOpen()) {
        this.listeners.delete(listener);
        continue;
      }
      if (serverName !== undefined && listener.serverName !== serverName) continue;
      const sent = listener.notifyChanged();
      if (sent)
        sends.push(sent.catch((error: unknown) => console.warn(`sluice: could not tell ${listener.serverName} its roots changed:`, error)));
    }
    await Promise.all(sends);
  }
}

function safeServerRoots(lookup: (name: string) => RootFolder[], name: string): RootFolder[] {
  try {
    return lookup(name);
  } catch {
    return [];
  }
}

/** Checks that a path names an existing folder; answers with the absolute path. */
export async function checkFolder(input: string): Promise<{ ok: boolean; path: string; message?: string }> {
  const trimmed = input.trim();
  if (!trimmed) return { ok: false, path: '', message: 'Enter a folder path' };
  if (!path.isAbsolute(trimmed)) return { ok: false, path: trimmed, message: 'Enter an absolute path (starting with / or a drive letter)' };
  const absolute = path.resolve(trimmed);
  try {
    const stat = await fs.stat(absolute);
    if (!stat.isDirectory()) return { ok: false, path: absolute, message: 'This is a file, not a folder' };
    return { ok: true, path: absolute };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, path: absolute, message: code === 'ENOENT' ? 'No such folder' : `Cannot open this folder (${code ?? 'error'})` };
  }
}

/** Validates every folder; throws one readable error naming each bad path. Duplicates are dropped. */
export async function checkFolders(roots: readonly RootFolder[]): Promise<RootFolder[]> {
  const result: RootFolder[] = [];
  const problems: string[] = [];
  for (const root of roots) {
    const checked = await checkFolder(root.path);
    if (!checked.ok) {
      problems.push(`${root.path}: ${checked.message}`);
      continue;
    }
    if (result.some((r) => r.path === checked.path)) continue;
    result.push(root.name?.trim() ? { path: checked.path, name: root.name.trim() } : { path: checked.path });
  }
  if (problems.length) throw new Error(`Not a usable folder: ${problems.join('; ')}`);
  return result;
}
