/**
 * includeContext (soft-deprecated in 2025-11-25): what Sluice can offer as "context from MCP
 * servers" is what it knows about them without asking again: each connected server's name, its
 * self-description and its instructions. The dialog shows this text and lets the user keep or
 * strip it; kept, it is appended to the system prompt.
 */
import type { ServerStatus } from '../../../shared/domain.js';

function describe(status: ServerStatus): string {
  const info = status.serverInfo;
  const title = info ? `${info.title ?? info.name}${info.version ? ` ${info.version}` : ''}` : status.definition.name;
  const instructions = status.instructions?.trim();
  return `## MCP server "${status.definition.name}" (${title})\n${instructions ? instructions : '(no instructions provided)'}`;
}

export function contextFor(statuses: readonly ServerStatus[], serverName: string, scope: 'thisServer' | 'allServers'): string | undefined {
  const chosen = statuses.filter(
    (status) => status.state === 'connected' && (scope === 'allServers' || status.definition.name === serverName),
  );
  if (chosen.length === 0) return undefined;
  return `Context from connected MCP servers:\n\n${chosen.map(describe).join('\n\n')}`;
}
