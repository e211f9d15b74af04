/** The retention setting: keep everything (the default), the last N days, or the last N entries. */
import { useId, useState } from 'react';
import type { HistoryRetention } from '../../../../shared/history';
import { saveRetention, useHistory } from '../../state/history';

export function RetentionPanel({ onDone }: { onDone: () => void }) {
  const current = useHistory((s) => s.retention);
  const [mode, setMode] = useState<HistoryRetention['mode']>(current.mode);
  const [days, setDays] = useState(String(current.mode === 'days' ? current.days : 90));
  const [entries, setEntries] = useState(String(current.mode === 'entries' ? current.entries : 100_000));
  const ids = { days: useId(), entries: useId() };
  const number = mode === 'days' ? Number(days) : Number(entries);
  const valid = mode === 'all' || (Number.isInteger(number) && number >= 1);
  const retention: HistoryRetention = mode === 'all' ? { mode } : mode === 'days' ? { mode, days: number } : { mode, entries: number };
  return (
    <form
      className="history-retention"
      aria-label="History retention"
      onSubmit={(e) => {
        e.preventDefault();
        if (!valid) return;
        void saveRetention(retention).then(onDone);
      }}
    >
      <fieldset>
        <legend className="subhead">Keep in the history</legend>
        <label className="radio">
          <input type="radio" name="retention" checked={mode === 'all'} onChange={() => setMode('all')} /> Everything
        </label>
        <label className="radio">
          <input type="radio" name="retention" checked={mode === 'days'} onChange={() => setMode('days')} /> The last
          <input
            id={ids.days}
            className="retention-number"
            type="number"
            min={1}
            value={days}
            aria-label="Days to keep"
            onFocus={() => setMode('days')}
            onChange={(e) => setDays(e.target.value)}
          />
          days
        </label>
        <label className="radio">
          <input type="radio" name="retention" checked={mode === 'entries'} onChange={() => setMode('entries')} /> The newest
          <input
            id={ids.entries}
            className="retention-number"
            type="number"
            min={1}
            value={entries}
            aria-label="Entries to keep"
            onFocus={() => setMode('entries')}
            onChange={(e) => setEntries(e.target.value)}
          />
          entries
        </label>
      </fieldset>
      <p className="muted">Older entries are deleted when you save and from then on as new ones arrive.</p>
      {!valid && <p className="field-error">Enter a whole number of at least 1.</p>}
      <div className="history-retention-actions">
        <button type="submit" className="btn btn-small btn-primary" disabled={!valid}>
          Save
        </button>
        <button type="button" className="btn btn-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
