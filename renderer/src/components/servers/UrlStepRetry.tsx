/**
 * A tool call the server refused with `-32042` (URL elicitation required) until the user had been
 * to a page: once the user has completed it, the call did not run, and this offers to run it again.
 * The retry is the user's: the page may have changed what the call will do.
 */
import type { ToolCallResult } from '../../../../shared/domain';

export function UrlStepRetry({
  completed,
  server,
  onRetry,
}: {
  completed: NonNullable<ToolCallResult['urlElicitationCompleted']>;
  server: string;
  onRetry: () => void;
}) {
  const pages = completed.urls.length === 1 ? 'a page' : `${completed.urls.length} pages`;
  return (
    <div className="callout url-step-retry" role="status" data-testid="url-step-retry">
      <p>
        {server} needed you to open {pages} first ({completed.message || 'no reason given'}). You completed it, so the call did not run yet.
      </p>
      <ul className="url-step-urls">
        {completed.urls.map((url) => (
          <li key={url}>
            <code>{url}</code>
          </li>
        ))}
      </ul>
      <button type="button" className="btn btn-small btn-primary" onClick={onRetry}>
        Retry the call
      </button>
    </div>
  );
}
