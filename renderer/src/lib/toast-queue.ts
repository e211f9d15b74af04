/**
 * The toast list's rules, apart from React and the store: a toast identical to one on screen
 * (same kind, text and action) bumps that one's count instead of stacking a copy; at most
 * `MAX_TOASTS` show; info, success and warning toasts go away by themselves, errors stay until
 * the user closes them (an error is something to act on).
 */

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'warning' | 'error';
  text: string;
  action?: { label: string; run: () => void };
  /** How many identical toasts this one stands for (merged by pushToast). */
  count?: number;
}

export const MAX_TOASTS = 5;

export type NewToast = Omit<Toast, 'id' | 'count'>;

/** Adds a toast, or merges it into an identical one already showing (its count grows, it moves to the end). */
export function pushToast(toasts: readonly Toast[], next: NewToast, newId: () => number): { toasts: Toast[]; shown: Toast } {
  const same = toasts.find((t) => t.kind === next.kind && t.text === next.text && t.action?.label === next.action?.label);
  if (same) {
    // The newest action wins (it closes over the newest state).
    const shown: Toast = { ...same, action: next.action, count: (same.count ?? 1) + 1 };
    return { toasts: [...toasts.filter((t) => t !== same), shown], shown };
  }
  const shown: Toast = { id: newId(), ...next };
  return { toasts: [...toasts, shown].slice(-MAX_TOASTS), shown };
}

/** How long a toast stays on screen, in ms; undefined for one that stays until closed. */
export function toastLifetime(toast: Pick<Toast, 'kind' | 'action'>): number | undefined {
  if (toast.kind === 'error') return undefined;
  const base = toast.kind === 'warning' ? 8_000 : 5_000;
  // An offered action (Undo, Add a key…) gets time to be read and used.
  return toast.action ? base * 2 : base;
}
