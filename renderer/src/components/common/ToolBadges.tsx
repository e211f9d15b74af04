/**
 * A tool's annotations as badges (read-only, destructive, idempotent, open-world) and its task
 * support. Annotations are hints the server chose: shown as such (the tooltip says so), never
 * trusted for decisions. Reusable wherever tools are listed (tool browser, policy tables).
 */
import type { ToolInfo } from '../../../../shared/domain';

interface Badge {
  label: string;
  tone: 'ok' | 'warn' | 'info';
  title: string;
}

/** The badges for a tool, in a stable order. */
export function toolBadges(tool: Pick<ToolInfo, 'annotations' | 'execution'>): Badge[] {
  const a = tool.annotations ?? {};
  const badges: Badge[] = [];
  // Only hints the server states are shown: most tools carry none, and a badge on every tool
  // (the spec's defaults) would teach users to ignore them.
  if (a.readOnlyHint === true) badges.push({ label: 'read-only', tone: 'ok', title: 'The server says this tool does not change anything' });
  if (a.destructiveHint === true && a.readOnlyHint !== true)
    badges.push({ label: 'destructive', tone: 'warn', title: 'The server says this tool may delete or overwrite things' });
  if (a.idempotentHint === true)
    badges.push({ label: 'idempotent', tone: 'info', title: 'The server says calling it twice does no more than once' });
  if (a.openWorldHint === true)
    badges.push({ label: 'open-world', tone: 'info', title: 'The server says this tool reaches outside systems (web, other services)' });
  const support = tool.execution?.taskSupport;
  if (support === 'required')
    badges.push({ label: 'task', tone: 'info', title: 'Runs as a task (spec 2025-11-25): Sluice follows its status until it ends' });
  if (support === 'optional') badges.push({ label: 'task optional', tone: 'info', title: 'Can run as a task or as a normal call' });
  return badges;
}

export function ToolBadges({ tool }: { tool: Pick<ToolInfo, 'annotations' | 'execution'> }) {
  const badges = toolBadges(tool);
  if (badges.length === 0) return null;
  return (
    <span className="tool-badges" aria-label="Tool hints from the server">
      {badges.map((badge) => (
        <span
          key={badge.label}
          className={`chip chip-${badge.tone}`}
          title={`${badge.title} (a hint from the server)`}
          data-testid={`badge-${badge.label}`}
        >
          {badge.label}
        </span>
      ))}
    </span>
  );
}
