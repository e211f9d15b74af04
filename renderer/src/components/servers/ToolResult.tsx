import { useState } from 'react';
import { callTool, markToolRunCancelled, type ToolRun } from '../../state/servers';
import { JsonBlock } from '../common/Media';
import { cancelCall, useActivity } from '../../state/activity';
import { CallProgress } from './CallProgress';
import { ContentBlock } from './ContentBlock';
import { TaskCard } from './TaskCard';
import { UrlStepRetry } from './UrlStepRetry';
import './activity.css';

export function ToolResult({ run, server, tool }: { run: ToolRun; server: string; tool: string }) {
  const result = run.result;
  const [markdown, setMarkdown] = useState(false);
  const isError = Boolean((run.error && !run.cancelled) || result?.isError);
  // The task this run created, if it ran as one (the newest for this tool while the call runs).
  const task = useActivity((s) => {
    const tasks = Object.values(s.tasks[server] ?? {}).filter((t) => t.tool === tool);
    return run.running || run.cancelled ? tasks.at(-1) : undefined;
  });
  const cancel = () => {
    const callId = markToolRunCancelled(server, tool);
    if (callId) void cancelCall(server, callId);
  };
  const hasText = result?.content.some((block) => block.type === 'text');
  return (
    <div className={`tool-result${isError ? ' is-error' : ''}`} data-testid="tool-result" aria-live="polite" aria-busy={run.running}>
      {run.running ? (
        <>
          <CallProgress callId={run.callId} startedAt={run.startedAt} onCancel={cancel} cancelling={run.cancelled} />
          {task && <TaskCard task={task} />}
        </>
      ) : run.cancelled && !result ? (
        <>
          <p className="result-flag" role="status" data-testid="cancelled-note">
            Cancelled. The server was told to stop{task ? ` and task ${task.taskId} was cancelled` : ''}; no result came back.
          </p>
          {task && <TaskCard task={task} />}
        </>
      ) : run.error ? (
        <p className="error-text" role="alert">
          {run.error}
        </p>
      ) : result ? (
        <>
          {hasText && (
            <div className="result-toolbar">
              <label>
                <input type="checkbox" checked={markdown} onChange={(e) => setMarkdown(e.target.checked)} /> Render text as markdown
              </label>
            </div>
          )}
          {run.cancelled && <p className="muted">The call finished before the cancellation reached the server.</p>}
          {result.urlElicitationCompleted ? (
            <UrlStepRetry completed={result.urlElicitationCompleted} server={server} onRetry={() => void callTool(server, tool)} />
          ) : (
            result.isError && <p className="result-flag">The tool reported an error</p>
          )}
          {result.content.length === 0 && !result.structuredContent && <p className="muted">(empty result)</p>}
          {result.content.map((block, index) => (
            <ContentBlock
              key={index}
              server={server}
              block={block as { type: string } & Record<string, unknown>}
              index={index}
              markdown={markdown}
            />
          ))}
          {result.outputSchemaProblem && (
            <div className="callout callout-error schema-problem" role="alert" data-testid="schema-problem">
              {result.outputSchemaProblem}
            </div>
          )}
          {result.structuredContent && (
            <JsonBlock
              value={result.structuredContent}
              caption={result.outputSchemaProblem ? 'Structured content (does not match the output schema)' : 'Structured content'}
            />
          )}
        </>
      ) : null}
    </div>
  );
}
