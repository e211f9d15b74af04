/**
 * Editing environment variables or HTTP headers as rows of name and value. Values of names that
 * look secret (token, key, password, authorization, …) are masked until the user shows them.
 */
import { useState } from 'react';
import { looksSecret } from '../../../../shared/server-features';

export interface Pair {
  key: string;
  value: string;
}

export { looksSecret };

export function pairsFrom(record: Record<string, string> | undefined): Pair[] {
  return Object.entries(record ?? {}).map(([key, value]) => ({ key, value }));
}

/** Rows to a record; reports empty names and repeated names. */
export function pairsToRecord(pairs: Pair[], what: string, problems: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [index, pair] of pairs.entries()) {
    const key = pair.key.trim();
    if (!key && !pair.value) continue;
    if (!key) {
      problems.push(`${what}: row ${index + 1} has a value but no name`);
      continue;
    }
    if (key in out) problems.push(`${what}: “${key}” appears twice`);
    out[key] = pair.value;
  }
  return out;
}

export function KeyValueEditor({
  label,
  pairs,
  onChange,
  keyPlaceholder,
  addLabel,
}: {
  label: string;
  pairs: Pair[];
  onChange: (pairs: Pair[]) => void;
  keyPlaceholder: string;
  addLabel: string;
}) {
  const [shown, setShown] = useState<Set<number>>(new Set());
  const update = (index: number, patch: Partial<Pair>) => onChange(pairs.map((pair, i) => (i === index ? { ...pair, ...patch } : pair)));
  return (
    <div className="kv-editor" role="group" aria-label={label}>
      {pairs.map((pair, index) => {
        const secret = looksSecret(pair.key);
        const masked = secret && !shown.has(index);
        return (
          <div className="kv-row" key={index}>
            <input
              aria-label={`${label} name ${index + 1}`}
              value={pair.key}
              placeholder={keyPlaceholder}
              spellCheck={false}
              onChange={(e) => update(index, { key: e.target.value })}
            />
            <input
              aria-label={`${label} value ${index + 1}`}
              type={masked ? 'password' : 'text'}
              autoComplete="off"
              value={pair.value}
              placeholder="value"
              spellCheck={false}
              onChange={(e) => update(index, { value: e.target.value })}
            />
            {secret ? (
              <button
                type="button"
                className="btn btn-small btn-ghost"
                aria-pressed={!masked}
                onClick={() =>
                  setShown((old) => {
                    const next = new Set(old);
                    if (next.has(index)) next.delete(index);
                    else next.add(index);
                    return next;
                  })
                }
              >
                {masked ? 'Show' : 'Hide'}
              </button>
            ) : (
              <span className="kv-spacer" />
            )}
            <button
              type="button"
              className="btn btn-small btn-danger-ghost"
              aria-label={`Remove ${label} row ${index + 1}`}
              onClick={() => onChange(pairs.filter((_, i) => i !== index))}
            >
              ✕
            </button>
          </div>
        );
      })}
      <button type="button" className="btn btn-small" onClick={() => onChange([...pairs, { key: '', value: '' }])}>
        {addLabel}
      </button>
    </div>
  );
}
