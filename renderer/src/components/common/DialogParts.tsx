/** Pieces every request dialog (sampling, elicitation) shows the same way. */
import { compactJson } from '../sampling/summary';

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
export function ToolCallMeta({ toolCall }: { toolCall?: { name: string; arguments: Record<string, unknown> } }) {
  if (!toolCall) return null;
  return (
    <span className="meta-item">
      Caused by tool call{' '}
      <code title={compactJson(toolCall.arguments, 2000)}>
        {toolCall.name}({compactJson(toolCall.arguments, 80)})
      </code>
    </span>
  );
}
