/**
 * A text field that asks the server for completions (`completion/complete`) as you type:
 * debounced, with the other filled-in arguments as context, offered through a native
 * <datalist> (keyboard and screen-reader friendly). Only a server that declares `completions`
 * is asked; a late answer for an older value is ignored.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { complete } from '../../state/activity';

export const COMPLETION_DEBOUNCE_MS = 250;

interface Props {
  server: string;
  enabled: boolean;
  refFor: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string };
  argument: string;
  value: string;
  context: Record<string, string>;
  onChange: (value: string) => void;
  id: string;
  invalid?: boolean;
}

export function CompletingInput({ server, enabled, refFor, argument, value, context, onChange, id, invalid }: Props) {
  const listId = useId();
  const [values, setValues] = useState<string[]>([]);
  const [focused, setFocused] = useState(false);
  const latest = useRef(0);
  const contextKey = JSON.stringify(context);
  const refKey = JSON.stringify(refFor);
  useEffect(() => {
    if (!enabled || !focused) return;
    const ticket = ++latest.current;
    const timer = setTimeout(() => {
      void complete(
        server,
        JSON.parse(refKey) as Props['refFor'],
        { name: argument, value },
        JSON.parse(contextKey) as Record<string, string>,
      ).then((result) => {
        if (ticket === latest.current) setValues(result.values);
      });
    }, COMPLETION_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [enabled, focused, server, refKey, argument, value, contextKey]);
  return (
    <>
      <input
        id={id}
        list={enabled ? listId : undefined}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={invalid || undefined}
        value={value}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onChange={(e) => onChange(e.target.value)}
      />
      {enabled && (
        <datalist id={listId} data-testid={`completions-${argument}`}>
          {values.map((option) => (
            <option key={option} value={option} />
          ))}
        </datalist>
      )}
    </>
  );
}
