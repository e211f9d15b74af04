/**
 * The renderer's history state (decided requests, newest first), fed by `history:added`. The
 * other slices live in renderer/src/state/; this one moves there with the SQLite history rewrite.
 */
import { create } from 'zustand';
import type { SluiceApi } from '../../shared/contract';
import type { HistoryEntry } from '../../shared/domain';
import { host } from './state/host';

export interface SluiceState {
  history: HistoryEntry[];
  historyLoaded: boolean;
}

const initialHistory = (): SluiceState => ({ history: [], historyLoaded: false });

export const useStore = create<SluiceState>()(initialHistory);

const set = useStore.setState;

function byDecidedDesc(a: HistoryEntry, b: HistoryEntry) {
  return b.decidedAt - a.decidedAt;
}

export async function refreshHistory(): Promise<void> {
  const history = await host().invoke('history:list', {});
  set({ history: [...history].sort(byDecidedDesc), historyLoaded: true });
}

/** Subscribes to new history entries (returns the unsubscribe). */
export function startHistory(api: SluiceApi): () => void {
  return api.on('history:added', (entry) =>
    set((s) => ({ history: [entry, ...s.history.filter((e) => e.id !== entry.id)].sort(byDecidedDesc) })),
  );
}

export function resetHistory(): void {
  set(initialHistory(), true);
}
