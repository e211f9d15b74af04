/**
 * The resource viewer: a read resource's contents from the server-features store (kept while it
 * is read again, so an update does not blank it), with progress and Cancel for a slow read and
 * the "updated" mark a subscription sets.
 */
import { cancelCall, clearUpdated, useActivity } from '../../state/activity';
import { CallProgress } from './CallProgress';
import { ResourceContents } from './ResourceContents';
import { useServerFeatures } from '../../state/server-browse';

export function ResourceViewer({ server, uri }: { server: string; uri: string }) {
  const read = useServerFeatures((s) => s.browse[server]?.reads[uri]);
  const updatedAt = useActivity((s) => s.updated[server]?.[uri]);
  if (!read) return null;
  return (
    <div className="tool-result" data-testid="resource-contents" aria-busy={read.loading}>
      {read.loading && (
        <CallProgress callId={read.callId} onCancel={read.callId ? () => void cancelCall(server, read.callId as string) : undefined} />
      )}
      {updatedAt && !read.loading && (
        <p className="hint">
          <span className="chip updated-mark" data-testid="updated-mark">
            updated
          </span>{' '}
          The server said this resource changed at {new Date(updatedAt).toLocaleTimeString()}; it was read again.{' '}
          <button type="button" className="btn btn-small" onClick={() => clearUpdated(server, uri)}>
            Dismiss
          </button>
        </p>
      )}
      {read.error ? (
        <p className="error-text" role="alert">
          {read.error}
        </p>
      ) : (
        read.value && <ResourceContents contents={read.value.contents} />
      )}
    </div>
  );
}
