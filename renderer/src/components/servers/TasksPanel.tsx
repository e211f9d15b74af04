/** The tasks of one server: those Sluice follows and those the server lists (`tasks/list`), newest first. */
import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/format';
import { loadTasks, useActivity } from '../../state/activity';
import { TaskCard } from './TaskCard';
import './activity.css';

export function TasksPanel({ server }: { server: string }) {
  const tasks = useActivity((s) => s.tasks[server]);
  const [error, setError] = useState<string>();
  const refresh = () =>
    void loadTasks(server).then(
      () => setError(undefined),
      (e: unknown) => setError(errorMessage(e)),
    );
  useEffect(refresh, [server]);
  const list = Object.values(tasks ?? {}).reverse();
  return (
    <section aria-labelledby="tasks-title" data-testid="tasks-panel">
      <div className="section-header">
        <h4 id="tasks-title">Tasks</h4>
        <button type="button" className="btn btn-small" onClick={refresh}>
          Refresh
        </button>
      </div>
      {error && <p className="error-text">{error}</p>}
      {list.length === 0 ? (
        <p className="muted">No tasks yet. Tools marked “task” run as tasks.</p>
      ) : (
        list.map((task) => <TaskCard key={task.taskId} task={task} showCancel />)
      )}
    </section>
  );
}
