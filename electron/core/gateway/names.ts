/**
 * Gateway names: how a server's tool or prompt is named for the apps. `<server>__<tool>`, with the
 * server's name turned into the spec's tool-name alphabet (2025-11-25: 1–128 characters from
 * A–Z a–z 0–9 _ - .). A name that had to change gets a short hash of the original, so "my server"
 * and "my_server" never collide, and the same server name always gives the same prefix (stable
 * across restarts: the apps remember tool names, e.g. in permission lists).
 */
import { createHash } from 'node:crypto';

export const NAME_SEPARATOR = '__';
const MAX_NAME = 128;
const MAX_PREFIX = 40;

function shortHash(text: string, length = 6): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

function sanitise(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^[_.-]+|[_.-]+$/g, '');
}

/** The prefix for a server's names: its name when that is already valid, else a sanitised form plus a hash. */
export function serverPrefix(serverName: string): string {
  const clean = sanitise(serverName);
  if (clean === serverName && clean.length <= MAX_PREFIX && !clean.includes(NAME_SEPARATOR)) return clean;
  return `${(clean || 'server').slice(0, MAX_PREFIX - 7)}-${shortHash(serverName)}`;
}

/** The name an app sees for `name` (a tool or prompt) of `serverName`; always valid and ≤ 128 characters. */
export function gatewayName(serverName: string, name: string): string {
  const prefix = serverPrefix(serverName);
  const own = /^[A-Za-z0-9_.-]+$/.test(name) ? name : `${sanitise(name) || 'tool'}-${shortHash(name)}`;
  const full = `${prefix}${NAME_SEPARATOR}${own}`;
  if (full.length <= MAX_NAME) return full;
  return `${full.slice(0, MAX_NAME - 7)}-${shortHash(full)}`;
}

/** The URI an app sees for a resource whose URI another server already uses (a visible, reversible rename). */
export function clashUri(serverName: string, uri: string): string {
  return `sluice://${serverPrefix(serverName)}/${encodeURIComponent(uri)}`;
}
