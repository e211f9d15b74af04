import { useLayoutEffect, useState } from 'react';
import { dismissToast, useApp } from '../state/app';

/** Space between the toasts and an open dialog's footer. */
const FOOTER_GAP_PX = 8;

/**
 * While toasts show, how far above the window's bottom an open dialog's footer starts (its
 * Approve / Send buttons): the toasts sit above it, never on it. Dialogs open, close and resize
 * without telling the toasts: measured again in the frame after the page's elements change (a
 * dialog opening under a toast that is already up), and a few times a second for resizes.
 */
function useFooterClearance(active: boolean): number | undefined {
  const [clearance, setClearance] = useState<number>();
  useLayoutEffect(() => {
    if (!active) return;
    const measure = () => {
      let lowest: number | undefined;
      for (const footer of document.querySelectorAll('.dialog-footer')) {
        const rect = footer.getBoundingClientRect();
        if (rect.height > 0) lowest = Math.max(lowest ?? 0, window.innerHeight - rect.top + FOOTER_GAP_PX);
      }
      setClearance(lowest);
    };
    measure();
    let frame: number | undefined;
    const observer = new MutationObserver(() => {
      frame ??= requestAnimationFrame(() => {
        frame = undefined;
        measure();
      });
    });
    observer.observe(document.body, { childList: true, subtree: true });
    const timer = setInterval(measure, 250);
    return () => {
      observer.disconnect();
      if (frame !== undefined) cancelAnimationFrame(frame);
      clearInterval(timer);
    };
  }, [active]);
  return active ? clearance : undefined;
}

export function Toasts() {
  const toasts = useApp((s) => s.toasts);
  const clearance = useFooterClearance(toasts.length > 0);
  return (
    <div className="toasts" aria-live="polite" style={clearance !== undefined ? { bottom: clearance } : undefined} data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'warning' || t.kind === 'error' ? 'alert' : 'status'}>
          <span className="toast-text">{t.text}</span>
          {(t.count ?? 1) > 1 && (
            <span className="toast-count" title={`This happened ${t.count} times`} data-testid="toast-count">
              ×{t.count}
            </span>
          )}
          {t.action && (
            // On its own line under the text, so the text keeps the toast's width.
            <span className="toast-actions">
              <button
                type="button"
                className="btn btn-small"
                onClick={() => {
                  t.action?.run();
                  dismissToast(t.id);
                }}
              >
                {t.action.label}
              </button>
            </span>
          )}
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
