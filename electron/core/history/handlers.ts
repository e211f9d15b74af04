/** The `history:*` channels: every decision, and the usage totals computed from it. */
import type { HandlersFor } from '../handlers.js';
import { usageByServerAndDay } from '../sampling/usage.js';
import type { HistoryStore } from '../storage/history-store.js';

export type HistoryChannel = 'history:list' | 'history:usage';

export function historyHandlers({ history }: { history: HistoryStore }): HandlersFor<HistoryChannel> {
  return {
    'history:list': () => history.list(),
    /** Requests, tokens and estimated cost per server per day. */
    'history:usage': () => usageByServerAndDay(history.list()),
  };
}
