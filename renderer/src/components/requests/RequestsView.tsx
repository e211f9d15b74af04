import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../../state/app';
import { askForNotifications, canAskForNotifications } from '../../state/requests/attention';
import { openRequest, requestsOf, useRequests } from '../../state/requests/queue';
import { formatClock, formatTime } from '../../lib/format';
import { useNow } from '../../lib/hooks';
import { RouteBadge } from '../sampling/RouteBadge';
import { firstText } from '../sampling/summary';
import { fixAction, fixApplies, useSamplingExtras } from '../../state/sampling-settings';
import { useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { PendingSampling } from '../../../../shared/domain';
import { ElicitationQueue } from '../elicitation/ElicitationQueue';
import { ToolCallQueue } from '../toolcalls/ToolCallQueue';

/** The queue of pending sampling requests, oldest first; any of them can be opened. */
export function RequestsView() {
  const pending = useRequests(useShallow((s) => requestsOf(s, 'sampling')));
  return (
    <section className="view" aria-labelledby="requests-title">
      <header className="view-header">
        <h1 id="requests-title">Requests</h1>
        <span className="muted">{pending.length === 0 ? 'Nothing waiting' : `${pending.length} waiting, oldest first`}</span>
        <NotificationsButton />
      </header>
      <RecentProblems />
      {pending.length === 0 ? (
        // One short note, not a full-height empty state: questions and tool calls waiting below stay in view.
        <p className="muted requests-empty" data-testid="requests-empty">
          No sampling requests are waiting. A sampling request is a server asking your model for a completion; it waits here for your
          approval, and nothing reaches a model before you approve it.
        </p>
      ) : (
        <RequestQueue pending={pending} />
      )}
      <ElicitationQueue />
      <ToolCallQueue />
    </section>
  );
}

const PHASE_LABEL = { editing: 'editing', generating: 'generating…', answer: 'answer ready', error: 'model error' } as const;

/** Estimated row height; rows are measured once rendered. */
const ROW_ESTIMATE_PX = 84;

/**
 * The waiting requests, oldest first. Only the rows in view are rendered, so a queue of
 * thousands opens at once and the once-a-second clock only updates what is visible.
 */
function RequestQueue({ pending }: { pending: PendingSampling[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const drafts = useRequests((s) => s.drafts.sampling);
  const now = useNow(1000, pending.length > 0);
  const rows = useVirtualizer({
    count: pending.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_ESTIMATE_PX,
    overscan: 6,
    getItemKey: (index) => pending[index]?.id ?? index,
  });
  return (
    <div ref={scroller} className="request-queue-scroll">
      <ul className="request-queue" style={{ height: rows.getTotalSize() }}>
        {rows.getVirtualItems().map((row) => {
          const request = pending[row.index];
          if (!request) return null;
          const phase = drafts[request.id]?.phase ?? 'editing';
          return (
            <li
              key={row.key}
              ref={rows.measureElement}
              data-index={row.index}
              className="request-item"
              data-testid={`request-${request.id}`}
              style={{ transform: `translateY(${row.start}px)` }}
            >
              <div className="request-main">
                <div className="request-line">
                  <strong className="request-server">{request.serverName}</strong>
                  <RouteBadge request={request} />
                  {phase !== 'editing' && <span className={`chip chip-phase-${phase}`}>{PHASE_LABEL[phase]}</span>}
                </div>
                <p className="request-preview">{firstText(request.params.messages) || '(no text)'}</p>
                <div className="request-meta muted">
                  Received {formatTime(request.receivedAt)} · waiting {formatClock(now - request.receivedAt)}
                  {request.deadline !== undefined && ` · server gives up in ${formatClock(request.deadline - now)}`}
                </div>
              </div>
              <button type="button" className="btn btn-primary" onClick={() => openRequest('sampling', request.id)}>
                Open
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Requests Sluice could not serve (policy, limits, missing key), each with its one-click fix. */
function RecentProblems() {
  const problems = useSamplingExtras((s) => s.problems);
  // Re-rendered when the pause ends: a "Resume sampling" fix is then gone.
  useSamplingExtras((s) => s.paused);
  if (problems.length === 0) return null;
  return (
    <section className="problems" aria-label="Requests that could not be served" data-testid="sampling-problems">
      <h2 className="subhead">Could not be served</h2>
      <ul className="problem-list">
        {problems.slice(0, 5).map((problem, index) => {
          const fix = problem.fix && fixApplies(problem.fix) ? fixAction(problem.fix) : undefined;
          return (
            <li key={`${problem.at}-${index}`} className="callout callout-error problem-item">
              <span>
                <strong>{problem.serverName}</strong> · {formatTime(problem.at)}: {problem.message}
              </span>
              {fix && (
                <button type="button" className="btn btn-small" onClick={fix.run}>
                  {fix.label}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Web mode: the browser only notifies once the user allowed it (the desktop app notifies natively). */
function NotificationsButton() {
  const mode = useApp((s) => s.info?.mode);
  const [askable, setAskable] = useState(canAskForNotifications);
  if (mode !== 'web' || !askable) return null;
  return (
    <button
      type="button"
      className="btn btn-small"
      title="Get a browser notification when a request waits and this tab is not focused"
      onClick={() => void askForNotifications().then(() => setAskable(canAskForNotifications()))}
    >
      Enable notifications
    </button>
  );
}
