import type { ToolRun } from '../../store';
import { JsonBlock, ResultBlock } from '../common/Media';

export function ToolResult({ run }: { run: ToolRun }) {
  const result = run.result;
  const isError = Boolean(run.error || result?.isError);
  return (
    <div className={`tool-result${isError ? ' is-error' : ''}`} data-testid="tool-result" aria-live="polite" aria-busy={run.running}>
      {run.running ? (
        <p className="running">
          <span className="spinner" aria-hidden="true" />
          Running…
        </p>
      ) : run.error ? (
        <p className="error-text" role="alert">
          {run.error}
        </p>
      ) : result ? (
        <>
          {result.isError && <p className="result-flag">The tool reported an error</p>}
          {result.content.length === 0 && !result.structuredContent && <p className="muted">(empty result)</p>}
          {result.content.map((block, index) => (
            <ResultBlock key={index} block={block as { type: string } & Record<string, unknown>} index={index} />
          ))}
          {result.structuredContent && <JsonBlock value={result.structuredContent} caption="Structured content" />}
        </>
      ) : null}
    </div>
  );
}
