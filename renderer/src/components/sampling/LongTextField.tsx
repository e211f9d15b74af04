/**
 * A text box for the sampling dialog's long texts (messages, system prompt): it grows with its
 * content up to most of the dialog's height and then scrolls, wraps unbroken lines, shows its
 * length (characters, estimated tokens), and "Expand" opens it over the whole dialog.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { approxTokens } from '../../lib/format';

const count = (n: number) => n.toLocaleString('en-US');

/** "1,234 characters · ≈ 309 tokens" (4 characters a token: a rough guide, not the model's tokenizer). */
export function lengthLabel(text: string): string {
  return `${count(text.length)} character${text.length === 1 ? '' : 's'} · ≈ ${count(approxTokens(text))} tokens`;
}

export function LongTextField(props: {
  id: string;
  /** The field's name, for the expanded editor and the Expand button (e.g. "Message 2 (user)"). */
  label: string;
  value: string;
  onChange: (value: string) => void;
  className?: string;
  placeholder?: string;
  minRows?: number;
  /** The id of the visible label, naming what the Expand button expands (its own name stays "Expand"). */
  labelId?: string;
}) {
  const [expanded, setExpanded] = useState(false);
  const expandedRef = useRef<HTMLTextAreaElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (expanded) expandedRef.current?.focus();
  }, [expanded]);
  const collapse = () => {
    setExpanded(false);
    // Back where the user was (the button that opened it).
    requestAnimationFrame(() => button.current?.focus());
  };
  const onExpandedKey = (event: KeyboardEvent) => {
    // Esc closes the large editor only, not the whole request dialog.
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      collapse();
    }
  };
  const length = lengthLabel(props.value);
  return (
    <>
      {expanded ? (
        <p className="hint expanded-note">Open in the large editor.</p>
      ) : (
        <textarea
          id={props.id}
          className={`long-text${props.className ? ` ${props.className}` : ''}`}
          rows={props.minRows ?? 2}
          value={props.value}
          placeholder={props.placeholder}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
      <div className="text-meta">
        <span className="text-length" data-testid="text-length">
          {length}
        </span>
        <button
          ref={button}
          type="button"
          className="btn btn-small btn-ghost"
          aria-describedby={props.labelId}
          aria-expanded={expanded}
          onClick={() => (expanded ? collapse() : setExpanded(true))}
        >
          {expanded ? 'Collapse' : 'Expand'}
        </button>
      </div>
      {expanded && (
        <div className="expanded-editor" role="group" aria-label={`${props.label}, expanded`} onKeyDown={onExpandedKey}>
          <div className="expanded-head">
            <strong>{props.label}</strong>
            <span className="spacer" />
            <span className="text-length">{length}</span>
            <button type="button" className="btn btn-small" onClick={collapse}>
              Done
            </button>
          </div>
          <textarea
            ref={expandedRef}
            id={props.id}
            aria-label={props.label}
            className="expanded-text"
            value={props.value}
            placeholder={props.placeholder}
            onChange={(e) => props.onChange(e.target.value)}
          />
        </div>
      )}
    </>
  );
}
