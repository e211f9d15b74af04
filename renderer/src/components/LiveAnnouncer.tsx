import { useEffect, useRef, useState } from 'react';
import { selectOpenRequest, selectWaitingCount, useRequests } from '../state/requests/queue';

/**
 * One polite live region for what happens without the user's doing: a request arriving, the
 * model generating and its answer ready. It lives outside the pane that turns inert under a
 * dialog, so screen readers hear it whatever is open.
 */
export function LiveAnnouncer() {
  const waiting = useRequests(selectWaitingCount);
  const phase = useRequests((s) => {
    const item = selectOpenRequest(s);
    return item?.kind === 'sampling' ? s.drafts.sampling[item.request.id]?.phase : undefined;
  });
  const [message, setMessage] = useState('');
  const lastWaiting = useRef(waiting);
  const lastPhase = useRef(phase);
  useEffect(() => {
    if (waiting > lastWaiting.current) setMessage(`New request (${waiting} waiting)`);
    lastWaiting.current = waiting;
  }, [waiting]);
  useEffect(() => {
    if (phase === 'generating' && lastPhase.current !== 'generating') setMessage('Generating…');
    else if (phase === 'answer' && lastPhase.current === 'generating') setMessage('Answer ready');
    lastPhase.current = phase;
  }, [phase]);
  return (
    <div className="sr-only" role="status" aria-live="polite" data-testid="live-announcer">
      {message}
    </div>
  );
}
