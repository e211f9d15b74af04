/** Pieces every request dialog (sampling, elicitation) shows the same way. */
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { compactJson } from '../sampling/summary';
import type { ToolCallRef } from '../../../../shared/domain';

/**
 * The modal frame of a request dialog: takes focus when it opens, and Esc puts the request aside
 * (`onHide`; it stays pending). `onKey` sees every other key press.
 */
export function RequestDialogFrame(props: {
  label: string;
  className?: string;
  onHide: () => void;
  onKey?: (event: KeyboardEvent) => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      props.onHide();
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
        aria-label={props.label}
        className={props.className ? `dialog ${props.className}` : 'dialog'}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        {props.children}
      </div>
    </div>
  );
}

/** "‹ 2 of 5 ›" between the waiting requests of one queue; hidden when only one waits. */
export function QueueNav({ index, total, onOpen }: { index: number; total: number; onOpen: (index: number) => void }) {
  if (total <= 1) return null;
  return (
    <span className="queue-nav">
      <button type="button" className="btn btn-small btn-ghost" disabled={index <= 0} onClick={() => onOpen(index - 1)} aria-label="Previous request">
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
