/**
 * Server-supplied markdown, rendered with react-markdown (a maintained CommonMark parser that
 * builds React elements, never HTML strings). Raw HTML in the source is not interpreted: it shows
 * as the literal text it is. Links never navigate on click: the full address is shown with its
 * host highlighted, and only Open (after that consent) opens it, in the system browser or a new
 * tab. Images are shown only from `data:` URLs (a remote image would be fetched, which is a beacon).
 */
import { useState, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import { checkElicitationUrl } from '../../../../shared/elicitation';
import { openLink } from '../../lib/open-link';

const DATA_IMAGE = /^data:image\/(png|gif|jpeg|webp);base64,[A-Za-z0-9+/=]+$/;

export function Markdown({ text }: { text: string }) {
  const [asking, setAsking] = useState<string>();
  const components: Components = {
    a: ({ href, children }) => (
      <a
        href={href}
        className="md-link"
        onClick={(event) => {
          event.preventDefault();
          if (href) setAsking(href);
        }}
      >
        {children}
      </a>
    ),
    img: ({ src, alt }) =>
      typeof src === 'string' && DATA_IMAGE.test(src) ? (
        <img src={src} alt={alt ?? ''} className="md-image" />
      ) : (
        <span className="muted">
          [image {alt ? `“${alt}” ` : ''}not loaded: {String(src ?? '')}]
        </span>
      ),
  };
  return (
    <div className="markdown" data-testid="markdown">
      <ReactMarkdown components={components}>{text}</ReactMarkdown>
      {asking && <LinkConsent url={asking} onDone={() => setAsking(undefined)} />}
    </div>
  );
}

/** Asks before opening a link from server content. */
function LinkConsent({ url, onDone }: { url: string; onDone: () => void }) {
  const checked = checkElicitationUrl(url);
  const [error, setError] = useState<string>();
  let body: ReactNode;
  if (!checked.ok) {
    body = (
      <p className="error-text" role="alert">
        {checked.error}: <code>{url}</code>
      </p>
    );
  } else {
    const { parts, warnings } = checked.url;
    body = (
      <>
        <p>
          Open this address? <span className="muted">{parts.before}</span>
          <mark className="elicit-host">{parts.host}</mark>
          <span>{parts.after}</span>
        </p>
        {warnings.map((warning) => (
          <p key={warning} className="hint warn">
            {warning}
          </p>
        ))}
      </>
    );
  }
  return (
    <div className="callout link-consent" role="dialog" aria-label="Open link" data-testid="link-consent">
      {body}
      {error && <p className="error-text">{error}</p>}
      <div className="button-row">
        {checked.ok && (
          <button
            type="button"
            className="btn btn-primary btn-small"
            onClick={() =>
              void openLink(checked.url.href)
                .then(onDone)
                .catch((e: unknown) => setError(String(e)))
            }
          >
            Open
          </button>
        )}
        <button type="button" className="btn btn-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </div>
  );
}
