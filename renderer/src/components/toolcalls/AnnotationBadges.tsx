import type { ToolAnnotationsView } from '../../../../shared/toolcalls';

/**
 * A tool's annotations as badges. They are the server's own hints, not guarantees, so the title
 * says so; a tool without `readOnlyHint` counts as able to change things (the spec's default).
 */
export function AnnotationBadges({ annotations }: { annotations?: ToolAnnotationsView }) {
  const a = annotations ?? {};
  const badges: Array<{ key: string; label: string; tone: string; title: string }> = [];
  if (a.readOnlyHint === true)
    badges.push({ key: 'ro', label: 'read-only', tone: 'ok', title: 'The server says this tool does not change anything' });
  else badges.push({ key: 'rw', label: 'may change things', tone: 'warn', title: 'The server does not say this tool is read-only' });
  if (a.readOnlyHint !== true && a.destructiveHint !== false) {
    badges.push({
      key: 'de',
      label: 'destructive',
      tone: 'danger',
      title: 'It may delete or overwrite (the spec assumes so unless the server says otherwise)',
    });
  }
  if (a.idempotentHint === true)
    badges.push({ key: 'id', label: 'idempotent', tone: 'plain', title: 'Calling it twice with the same arguments has no further effect' });
  if (a.openWorldHint !== false)
    badges.push({ key: 'ow', label: 'open world', tone: 'plain', title: 'It may reach outside systems (the web, other services)' });
  return (
    <span className="annotation-badges" title="Hints from the server, not guarantees">
      {badges.map((badge) => (
        <span key={badge.key} className={`chip chip-hint-${badge.tone}`} title={badge.title}>
          {badge.label}
        </span>
      ))}
    </span>
  );
}
