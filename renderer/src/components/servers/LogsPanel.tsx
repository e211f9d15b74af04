/** The server's log: stderr, MCP logging notifications and Sluice's life-cycle notes, live. */
import { useEffect, useId, useRef, useState } from 'react';
import type { ServerStatus } from '../../../../shared/domain';
import { LOG_LEVELS, type LogLevel } from '../../../../shared/server-features';
import { errorMessage, formatTime } from '../../lib/format';
import { clearLogView, loadLogs, setServerLogLevel, useServerFeatures } from '../../state/server-browse';

type SourceFilter = 'all' | 'stderr' | 'notification' | 'sluice';

export function LogsPanel({ status }: { status: ServerStatus }) {
  const name = status.definition.name;
  const entries = useServerFeatures((s) => s.logs[name]);
  const [filter, setFilter] = useState<SourceFilter>('all');
  const [level, setLevel] = useState<LogLevel | ''>('');
  const [levelMessage, setLevelMessage] = useState<{ ok: boolean; text: string }>();
  const listRef = useRef<HTMLOListElement>(null);
  const levelId = useId();
  const filterId = useId();
  const canSetLevel = status.state === 'connected' && Boolean(status.capabilities?.logging);

  useEffect(() => {
    void loadLogs(name);
  }, [name]);

  // Follow new lines while the view is scrolled to the bottom.
  const count = entries?.length ?? 0;
  useEffect(() => {
    const list = listRef.current;
    if (list && list.scrollHeight - list.scrollTop - list.clientHeight < 80) list.scrollTop = list.scrollHeight;
  }, [count]);

  const applyLevel = async (next: LogLevel) => {
    setLevel(next);
    setLevelMessage(undefined);
    try {
      await setServerLogLevel(name, next);
      setLevelMessage({ ok: true, text: `The server now sends ${next} and above.` });
    } catch (error) {
      setLevelMessage({ ok: false, text: errorMessage(error) });
    }
  };

  const shown = (entries ?? []).filter((e) => filter === 'all' || e.source === filter);
  return (
    <div className="logs-panel">
      <div className="toolbar">
        <label htmlFor={filterId}>Show</label>
        <select id={filterId} value={filter} onChange={(e) => setFilter(e.target.value as SourceFilter)}>
          <option value="all">everything</option>
          <option value="stderr">stderr</option>
          <option value="notification">MCP log messages</option>
          <option value="sluice">connection events</option>
        </select>
        <label htmlFor={levelId}>Server log level</label>
        <select
          id={levelId}
          value={level || status.definition.logLevel || ''}
          disabled={!canSetLevel}
          onChange={(e) => void applyLevel(e.target.value as LogLevel)}
        >
          <option value="" disabled>
            {canSetLevel ? 'choose…' : 'not supported'}
          </option>
          {LOG_LEVELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-small" onClick={() => clearLogView(name)}>
          Clear view
        </button>
      </div>
      {levelMessage && <p className={levelMessage.ok ? 'hint' : 'field-error'}>{levelMessage.text}</p>}
      {entries === undefined ? (
        <p className="muted">Loading the log…</p>
      ) : shown.length === 0 ? (
        <p className="muted">Nothing logged yet.</p>
      ) : (
        <ol className="log-list" ref={listRef} aria-label={`Log of ${name}`} data-testid="server-log">
          {shown.map((entry) => (
            <li key={entry.seq} className={`log-entry log-${entry.source} log-level-${entry.level ?? 'none'}`}>
              <time className="log-time">{formatTime(entry.time)}</time>
              <span className="log-source">{entry.source === 'notification' ? (entry.level ?? 'log') : entry.source}</span>
              {entry.logger && <span className="log-logger">{entry.logger}</span>}
              <span className="log-text">{entry.text}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
