/** Pieces every request dialog (sampling, elicitation, tool calls) shows the same way. */
import { useEffect, useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { compactJson } from '../sampling/summary';
import type { ToolCallRef } from '../../../../shared/domain';
import { openRequest, putAside, selectWaiting, useRequests } from '../../state/requests/queue';
import './dialog-parts.css';

const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';

/** The controls Tab can reach inside `root`, in document order. */
function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => !el.matches(':disabled') && el.tabIndex >= 0 && el.getClientRects().length > 0 && !el.closest('[inert]'),
  );
}

/**
 * The modal frame of a request dialog. It takes focus when it opens and keeps Tab and Shift+Tab
 * inside; Esc puts the request aside (`onHide`; it stays pending); when it closes, focus goes back
 * to where it was before it opened. Each time `focusKey` changes (a new phase: generating, answer
 * ready), focus moves to the element marked `data-autofocus`, so the step's shortcut works at once,
 * unless the user is busy somewhere outside the dialog. `onKey` sees every other key press.
 */
export function RequestDialogFrame(props: {
  label: string;
  /** The id of the visible title: when given, the dialog is named by it (`label` is the fallback). */
  titleId?: string;
  className?: string;
  onHide: () => void;
  onKey?: (event: KeyboardEvent) => void;
  focusKey?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement;
    const returnTo = before instanceof HTMLElement && before !== document.body && !dialog?.contains(before) ? before : null;
    dialog?.focus();
    return () => {
      // Back where the user was, unless they have moved on (focus is somewhere else that is alive).
      const now = document.activeElement;
      const lost = !now || now === document.body || Boolean(dialog?.contains(now));
      if (returnTo?.isConnected && lost) returnTo.focus();
    };
  }, []);
  const shownKey = useRef(props.focusKey);
  useEffect(() => {
    if (shownKey.current === props.focusKey) return;
    shownKey.current = props.focusKey;
    const dialog = ref.current;
    const now = document.activeElement;
    if (!dialog || (now && now !== document.body && !dialog.contains(now))) return;
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, [props.focusKey]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      props.onHide();
    } else if (event.key === 'Tab' && ref.current) {
      // Focus stays in the dialog: past the last control it wraps to the first, and back.
      const list = focusables(ref.current);
      const firstEl = list[0];
      const lastEl = list[list.length - 1];
      if (!firstEl || !lastEl) return;
      const active = document.activeElement;
      if (event.shiftKey && (active === firstEl || active === ref.current || !ref.current.contains(active))) {
        event.preventDefault();
        lastEl.focus();
      } else if (!event.shiftKey && (active === lastEl || !ref.current.contains(active))) {
        event.preventDefault();
        firstEl.focus();
      }
    } else {
      props.onKey?.(event);
    }
  };
  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-label={props.titleId ? undefined : props.label}
        aria-labelledby={props.titleId}
        className={props.className ? `dialog ${props.className}` : 'dialog'}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        {props.children}
      </div>
    </div>
  );
}

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Ctrl+Enter (⌘+Enter on a Mac): the step's main action in every request dialog. */
export const SEND_SHORTCUT = { label: MAC ? '⌘ Enter' : 'Ctrl+Enter', aria: MAC ? 'Meta+Enter' : 'Control+Enter' };

export function isSendShortcut(event: KeyboardEvent): boolean {
  return event.key === 'Enter' && (event.ctrlKey || event.metaKey);
}

/** A key shown next to its button's label (the button itself carries `aria-keyshortcuts`). */
export function Shortcut({ keys }: { keys: string }) {
  return (
    <kbd className="shortcut" aria-hidden="true">
      {keys}
    </kbd>
  );
}

/** "Later": puts the request aside (it stays pending, in the Requests view). */
export function LaterButton({ title }: { title: string }) {
  return (
    <button type="button" className="btn btn-small btn-ghost" onClick={putAside} title={title} aria-keyshortcuts="Escape">
      Later <Shortcut keys="Esc" />
    </button>
  );
}

/** "‹ 2 of 5 ›" over every waiting request, whatever its kind (one queue, one order). */
export function RequestQueueNav({ requestKey }: { requestKey: string }) {
  const waiting = useRequests(useShallow(selectWaiting));
  const index = waiting.findIndex((item) => item.key === requestKey);
  return (
    <QueueNav
      index={index}
      total={waiting.length}
      onOpen={(target) => {
        const other = waiting[target];
        if (other) openRequest(other.kind, other.request.id);
      }}
    />
  );
}

/** "‹ 2 of 5 ›" between the waiting requests of one queue; hidden when only one waits. */
export function QueueNav({ index, total, onOpen }: { index: number; total: number; onOpen: (index: number) => void }) {
  if (total <= 1) return null;
  return (
    <span className="queue-nav">
      <button
        type="button"
        className="btn btn-small btn-ghost"
        disabled={index <= 0}
        onClick={() => onOpen(index - 1)}
        aria-label="Previous request"
      >
        ‹
      </button>
      <span className="muted">
        {index + 1} of {total}
      </span>
      <button
        type="button"
        className="btn btn-small btn-ghost"
        disabled={index < 0 || index >= total - 1}
        onClick={() => onOpen(index + 1)}
        aria-label="Next request"
      >
        ›
      </button>
    </span>
  );
}

/** The tool call Sluice made that led to this request, when known. */
/** The server's JSON-RPC id for the request, to match it with the server's own log lines. */
export function RequestIdMeta({ id }: { id?: string | number }) {
  if (id === undefined) return null;
  return (
    <span className="meta-item" title="The JSON-RPC id of the server's request, as its own logs show it">
      Request id <code data-testid="mcp-request-id">{String(id)}</code>
    </span>
  );
}

export function ToolCallMeta({ toolCall }: { toolCall?: ToolCallRef }) {
  if (!toolCall) return null;
  return (
    <span className="meta-item">
      Caused by tool call{' '}
      <code title={compactJson(toolCall.arguments, 2000)}>
        {toolCall.name}({compactJson(toolCall.arguments, 80)})
      </code>
      {/* Through the gateway: the app whose call this was (its own name for itself, shown as text). */}
      {toolCall.app && (
        <>
          {' '}
          from <strong data-testid="calling-app">{`${toolCall.app.name}${toolCall.app.version ? ` ${toolCall.app.version}` : ''}`}</strong>
        </>
      )}
    </span>
  );
}
