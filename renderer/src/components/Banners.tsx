import { useShallow } from 'zustand/react/shallow';
import { refreshAll } from '../state';
import { dismissNotice, restartToUpdate, useApp } from '../state/app';
import { askedBy } from '../state/requests/kinds';
import { openRequest, selectOpenRequest, selectWaiting, useRequests } from '../state/requests/queue';
import { plural } from '../lib/format';

/** Host notices, load errors and the "requests waiting" reminder, above every view. */
export function Banners() {
  const notices = useApp((s) => s.notices);
  const loadError = useApp((s) => s.loadError);
  const bridgeLost = useApp((s) => s.bridgeLost);
  const waiting = useRequests(useShallow(selectWaiting));
  const dialogOpen = useRequests((s) => selectOpenRequest(s) !== undefined);
  const oldest = waiting[0];
  const updates = useApp((s) => s.updates);
  return (
    <div className="banners">
      {bridgeLost && (
        // Web mode: what the page shows is no longer live (servers, requests); say so at once.
        <div className="banner banner-error" role="alert" data-testid="bridge-lost">
          <span className="banner-text">
            {bridgeLost.newAddress ? (
              <>
                <strong>Lost connection to Sluice.</strong> Sluice was restarted and has a new address: open the URL that{' '}
                <code>npm run web</code> printed (it carries a new token). This page cannot reconnect.
              </>
            ) : (
              <>
                <strong>Lost connection to Sluice.</strong> The host (<code>npm run web</code>) stopped or cannot be reached. What you see
                here may be out of date; retrying…
              </>
            )}
          </span>
        </div>
      )}
      {/* While the host is unreachable the lost-connection banner says it all: calls that failed meanwhile add no second one. */}
      {loadError && !bridgeLost && (
        <div className="banner banner-error" role="alert">
          <span className="banner-text">{loadError}</span>
          <button type="button" className="btn btn-small" onClick={() => void refreshAll()}>
            Reload
          </button>
        </div>
      )}
      {updates?.status === 'ready' && (
        <div className="banner banner-accent" role="status">
          <span className="banner-text">
            Sluice {updates.version} has been downloaded. Restart to update (it is also installed the next time you quit).
          </span>
          <button type="button" className="btn btn-small btn-primary" onClick={() => void restartToUpdate()}>
            Restart to update
          </button>
        </div>
      )}
      {notices.map((notice) => (
        <div key={notice} className="banner banner-warning" role="status">
          <span className="banner-text">{notice}</span>
          <button type="button" className="btn btn-small btn-ghost" aria-label="Dismiss notice" onClick={() => dismissNotice(notice)}>
            Dismiss
          </button>
        </div>
      ))}
      {!dialogOpen && oldest && (
        <div className="banner banner-accent" role="status">
          <span className="banner-text">
            {plural(waiting.length, 'request')} waiting for your approval (oldest from <strong>{askedBy(oldest)}</strong>).
          </span>
          <button type="button" className="btn btn-small btn-primary" onClick={() => openRequest(oldest.kind, oldest.request.id)}>
            Review
          </button>
        </div>
      )}
    </div>
  );
}
