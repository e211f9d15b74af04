/** One task (spec 2025-11-25): status, the server's message, TTL and poll interval, and Cancel while it runs. */
import { useState } from 'react';
import { TERMINAL_TASK_STATUSES, type TaskView } from '../../../../shared/server-activity';
import { errorMessage } from '../../lib/format';
import { cancelTask } from '../../state/activity';

const STATUS_LABELS: Record<TaskView['status'], string> = {
  working: 'working',
  input_required: 'needs your input',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

export function TaskCard({ task, showCancel = false }: { task: TaskView; showCancel?: boolean }) {
  const [error, setError] = useState<string>();
  const running = !TERMINAL_TASK_STATUSES.includes(task.status);
  return (
    <div className="task-card" data-testid="task-card">
      <div className="call-progress-line">
        <strong>Task</strong>
        <span className={`chip task-status-${task.status}`} data-testid="task-status">
          {STATUS_LABELS[task.status]}
        </span>
        {task.tool && <code>{task.tool}</code>}
        {showCancel && running && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void cancelTask(task.server, task.taskId).catch((e: unknown) => setError(errorMessage(e)))}
          >
            Cancel task
          </button>
        )}
      </div>
      {task.status === 'input_required' && <p className="hint">The server asks you something: answer it in Requests.</p>}
      <dl>
        {task.statusMessage && (
          <>
            <dt>Status</dt>
            <dd data-testid="task-message">{task.statusMessage}</dd>
          </>
        )}
        <dt>Kept for</dt>
        <dd>{task.ttl === null ? 'no limit' : task.ttl === undefined ? '—' : formatDuration(task.ttl)}</dd>
        {task.pollInterval !== undefined && (
          <>
            <dt>Checked every</dt>
            <dd>{formatDuration(task.pollInterval)}</dd>
          </>
        )}
        <dt>Id</dt>
        <dd>
          <code>{task.taskId}</code>
        </dd>
        {task.error && (
          <>
            <dt>Problem</dt>
            <dd className="error-text">{task.error}</dd>
          </>
        )}
      </dl>
      {error && <p className="error-text">{error}</p>}
    </div>
  );
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}
