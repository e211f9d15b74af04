import type { CreateMessageParams } from '../../../../shared/mcp';
import { toJson } from '../../lib/format';

/** What the user cannot edit but should see: model preferences, context and metadata. */
export function ReadOnlyParams({ params }: { params: CreateMessageParams }) {
  const rows: { title: string; value: unknown; testId: string }[] = [
    { title: 'Model preferences', value: params.modelPreferences, testId: 'ro-modelPreferences' },
    { title: 'Include context', value: params.includeContext, testId: 'ro-includeContext' },
    { title: 'Metadata', value: params.metadata, testId: 'ro-metadata' },
  ];
  if (params.tools) rows.push({ title: 'Tools offered to the model', value: params.tools, testId: 'ro-tools' });
  if (params.toolChoice) rows.push({ title: 'Tool choice', value: params.toolChoice, testId: 'ro-toolChoice' });
  return (
    <div className="readonly-params">
      <h4 className="subhead">Read-only</h4>
      <dl className="ro-list">
        {rows.map((row) => (
          <div key={row.title} className="ro-row">
            <dt>{row.title}</dt>
            <dd data-testid={row.testId}>
              {row.value === undefined ? (
                <span className="muted">not set</span>
              ) : typeof row.value === 'string' ? (
                <code>{row.value}</code>
              ) : (
                <pre tabIndex={0} className="code">
                  {toJson(row.value)}
                </pre>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
