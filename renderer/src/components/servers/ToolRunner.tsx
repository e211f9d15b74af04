import { useId } from 'react';
import type { ToolInfo } from '../../../../shared/domain';
import { callTool, setToolArgs, toolRunKey, useStore } from '../../store';
import { rowsFor, useNow } from '../../lib/hooks';
import { formatClock } from '../../lib/format';
import { ToolResult } from './ToolResult';

export function ToolRunner({ server, tool }: { server: string; tool: ToolInfo }) {
  const run = useStore((s) => s.toolRuns[toolRunKey(server, tool.name)]);
  const argsId = useId();
  const now = useNow(1000, run?.running ?? false);
  if (!run) return null;
  return (
    <div className="tool-runner">
      <label htmlFor={argsId} className="field-label">
        Arguments (JSON)
      </label>
      <textarea
        id={argsId}
        className="code-input"
        spellCheck={false}
        rows={rowsFor(run.args, 3, 14)}
        value={run.args}
        onChange={(e) => setToolArgs(server, tool.name, e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void callTool(server, tool.name);
        }}
      />
      <div className="button-row">
        <button type="button" className="btn btn-primary" onClick={() => void callTool(server, tool.name)} disabled={run.running}>
          Call tool
        </button>
        {run.running && run.startedAt && <span className="muted">{formatClock(now - run.startedAt)} elapsed</span>}
        <details className="schema-details">
          <summary>Input schema</summary>
          <pre className="code">{JSON.stringify(tool.inputSchema, null, 2)}</pre>
        </details>
      </div>
      {(run.running || run.result || run.error) && <ToolResult run={run} />}
    </div>
  );
}
