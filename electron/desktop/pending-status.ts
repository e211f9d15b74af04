/**
 * What the tray (and dock badge) say about waiting requests: sampling requests, questions from
 * servers (elicitation) and gateway tool calls, counted together. Plain Node: the count comes from
 * the host's queues, updates from their `…:added` / `…:removed` events.
 */
import type { EventChannel, EventPayload } from '../../shared/contract.js';

export interface PendingStatus {
  count: number;
  /** The tray icon's tooltip. */
  tooltip: string;
  /** Text next to the tray icon (macOS menu bar only): the count, or nothing. */
  title: string;
  /** The tray menu's first, disabled line. */
  menuLabel: string;
}

export function pendingStatus(count: number, appName = 'Sluice'): PendingStatus {
  const n = Math.max(0, Math.floor(count));
  const waiting = `${n === 0 ? 'no' : n} ${n === 1 ? 'request' : 'requests'} waiting`;
  return {
    count: n,
    tooltip: `${appName}: ${waiting}`,
    title: n === 0 ? '' : String(n),
    menuLabel: n === 0 ? 'No requests waiting' : waiting,
  };
}

interface SamplingEvents {
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/**
 * Calls `onChange` with the pending count now and after every request that arrives or leaves
 * (answered, rejected, cancelled by its server, failed). Returns the unsubscriber.
 */
export function watchPendingCount(events: SamplingEvents, count: () => number, onChange: (count: number) => void): () => void {
  let last = -1;
  const update = () => {
    const current = count();
    if (current === last) return;
    last = current;
    onChange(current);
  };
  const offs = [
    events.on('sampling:added', update),
    events.on('sampling:removed', update),
    events.on('elicitation:added', update),
    events.on('elicitation:removed', update),
    events.on('toolCalls:added', update),
    events.on('toolCalls:removed', update),
  ];
  update();
  return () => {
    for (const off of offs) off();
  };
}
