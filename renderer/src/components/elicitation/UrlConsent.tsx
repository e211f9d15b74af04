import { checkElicitationUrl } from '../../../../shared/elicitation';

/**
 * A URL-mode request: the full address with its host highlighted, shown as text (never a link,
 * never fetched). Sluice opens it only when the user presses Accept.
 */
export function UrlConsent({ url, desktop }: { url: string; desktop: boolean }) {
  const checked = checkElicitationUrl(url);
  if (!checked.ok) {
    return (
      <div className="elicit-url">
        <div className="callout callout-error" role="alert">
          {checked.error}. You can only decline or cancel this request.
        </div>
        <p className="field-label">The address the server sent</p>
        <p className="elicit-url-text" data-testid="elicitation-url">
          {url}
        </p>
      </div>
    );
  }
  const { parts, warnings } = checked.url;
  return (
    <div className="elicit-url">
      <p className="field-label">The server wants you to open</p>
      <p className="elicit-url-text" data-testid="elicitation-url">
        <span className="muted">{parts.before}</span>
        <mark className="elicit-host" data-testid="elicitation-host">
          {parts.host}
        </mark>
        <span>{parts.after}</span>
      </p>
      <p className="hint">
        Site: <strong>{parts.host}</strong>. Nothing has been loaded yet. Accept opens it {desktop ? 'in your browser' : 'in a new tab'};
        what you enter there goes to that site, not through Sluice.
      </p>
      {warnings.map((warning) => (
        <p key={warning} className="hint warn">
          {warning}
        </p>
      ))}
    </div>
  );
}
