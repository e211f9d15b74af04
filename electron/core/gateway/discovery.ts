/**
 * The discovery file: how the stdio relay finds the running host. Written (0600, atomically) when
 * the endpoint starts listening, removed when it stops. It holds the relay's token, so only the
 * user can read it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../storage/atomic-file.js';

export const DISCOVERY_FILE = 'gateway-endpoint.json';

export const DiscoverySchema = z.object({
  port: z.number().int(),
  token: z.string(),
  pid: z.number().int(),
  url: z.string(),
  /** The stdio relay's loopback port (RelayListener). */
  relayPort: z.number().int().min(1).max(65535),
});
export type Discovery = z.infer<typeof DiscoverySchema>;

export function discoveryPath(dataDir: string): string {
  return path.join(dataDir, DISCOVERY_FILE);
}

export async function writeDiscovery(dataDir: string, discovery: Discovery): Promise<void> {
  await writeFileAtomic(discoveryPath(dataDir), JSON.stringify(discovery, null, 2), 0o600);
}

export async function removeDiscovery(dataDir: string, pid = process.pid): Promise<void> {
  // Only our own file: a newer host may already have written its own.
  const current = await readDiscovery(dataDir);
  if (current && current.pid !== pid) return;
  await fs.rm(discoveryPath(dataDir), { force: true });
}

/** The discovery file's content, or undefined when there is none (or it is unreadable). */
export async function readDiscovery(dataDir: string): Promise<Discovery | undefined> {
  try {
    const parsed = DiscoverySchema.safeParse(JSON.parse(await fs.readFile(discoveryPath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
