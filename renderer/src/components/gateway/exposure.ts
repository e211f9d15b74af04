/**
 * Per-app exposure, as the "What each app sees" panel edits it: pure functions over an app token's
 * deny-lists (`AppExposure`), so the panel stays a view and the rules are unit-tested.
 *
 * The lists hide; everything else is shown. That keeps the default ("every exposed server") and
 * means a server added later is visible to every app until the user hides it.
 */
import type { AppExposure } from '../../../../shared/toolcalls';

export const SHOW_EVERYTHING: AppExposure = { hiddenServers: [], hiddenTools: {} };

export interface ExposureTool {
  name: string;
  title?: string;
  description?: string;
}

export function isServerShown(exposure: AppExposure, server: string): boolean {
  return !exposure.hiddenServers.includes(server);
}

export function isToolShown(exposure: AppExposure, server: string, tool: string): boolean {
  return isServerShown(exposure, server) && !(exposure.hiddenTools[server] ?? []).includes(tool);
}

export function withServerShown(exposure: AppExposure, server: string, shown: boolean): AppExposure {
  const others = exposure.hiddenServers.filter((name) => name !== server);
  return { ...exposure, hiddenServers: shown ? others : [...others, server] };
}

/**
 * Shows or hides some of a server's tools (one, or every tool the search matched). Hiding all of
 * them leaves the server shown with no tools; showing a tool of a hidden server shows the server.
 */
export function withToolsShown(exposure: AppExposure, server: string, tools: readonly string[], shown: boolean): AppExposure {
  const hidden = new Set(exposure.hiddenTools[server] ?? []);
  for (const tool of tools) {
    if (shown) hidden.delete(tool);
    else hidden.add(tool);
  }
  const { [server]: _old, ...otherServers } = exposure.hiddenTools;
  const hiddenTools = hidden.size ? { ...otherServers, [server]: [...hidden].sort() } : otherServers;
  const next = { ...exposure, hiddenTools };
  return shown ? withServerShown(next, server, true) : next;
}

/** Case-insensitive match on the tool's name, title or description; an empty query matches all. */
export function toolMatches(tool: ExposureTool, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (!needle) return true;
  return [tool.name, tool.title, tool.description].some((text) => text?.toLowerCase().includes(needle));
}

/** "all 12 tools", "9 of 12 tools", "hidden": the summary next to a server. */
export function shownSummary(exposure: AppExposure, server: string, tools: readonly ExposureTool[] | undefined): string {
  if (!isServerShown(exposure, server)) return 'hidden';
  if (!tools) return 'all its tools';
  const shown = tools.filter((tool) => isToolShown(exposure, server, tool.name)).length;
  const noun = tools.length === 1 ? 'tool' : 'tools';
  return shown === tools.length ? `all ${tools.length} ${noun}` : `${shown} of ${tools.length} ${noun}`;
}
