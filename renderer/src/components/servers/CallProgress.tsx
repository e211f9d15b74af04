/**
 * The running state of a call the user started: elapsed time, the server's progress (a bar when
 * it gives a total, the count otherwise, and its message), and Cancel. Used for tool calls,
 * prompt gets and resource reads.
 */
import { formatClock } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { useActivity } from '../../state/activity';

export function CallProgress({
  callId,
  startedAt,
  onCancel,
  cancelling,
}: {
  callId?: string;
  startedAt?: number;
  onCancel?: () => void;
  cancelling?: boolean;
}) {
  const progress = useActivity((s) => (callId ? s.progress[callId] : undefined));
  const now = useNow(1000, true);
  const total = progress?.total;
  const fraction = progress && total && total > 0 ? Math.min(1, Math.max(0, progress.progress / total)) : undefined;
  return (
    <div className="call-progress" data-testid="call-progress">
      <div className="call-progress-line">
        <span className="spinner" aria-hidden="true" />
        <span>{cancelling ? 'Cancelling…' : 'Running…'}</span>
        {startedAt && <span className="muted">{formatClock(now - startedAt)} elapsed</span>}
        {progress && (
          <span data-testid="progress-text">
            {total ? `${formatCount(progress.progress)} of ${formatCount(total)}` : `${formatCount(progress.progress)} so far`}
            {fraction !== undefined && ` (${Math.round(fraction * 100)}%)`}
          </span>
        )}
        {onCancel && (
          <button type="button" className="btn btn-small" onClick={onCancel} disabled={cancelling}>
            Cancel
          </button>
        )}
      </div>
      {fraction !== undefined && <progress max={1} value={fraction} aria-label="Progress" />}
      {progress?.message && (
        <p className="muted" data-testid="progress-message">
          {progress.message}
        </p>
      )}
    </div>
  );
}

function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
