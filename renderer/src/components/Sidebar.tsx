import { checkForUpdates, setUpdatesEnabled, setView, useApp, type View } from '../state/app';
import { selectWaitingCount, useRequests } from '../state/requests/queue';
import type { UpdateState } from '../../../shared/domain';
import { PauseToggle } from './sampling/PauseToggle';
import { setTheme, useThemeChoice, type ThemeChoice } from '../lib/theme';

const ITEMS: { view: View; label: string; icon: string }[] = [
  { view: 'servers', label: 'Servers', icon: '⛁' },
  { view: 'requests', label: 'Requests', icon: '⇄' },
  { view: 'providers', label: 'Providers', icon: '◈' },
  { view: 'history', label: 'History', icon: '☰' },
  { view: 'apps', label: 'Connect apps', icon: '⇶' },
];

export function Sidebar() {
  const current = useApp((s) => s.view);
  const pendingCount = useRequests(selectWaitingCount);
  const info = useApp((s) => s.info);
  const updates = useApp((s) => s.updates);
  const theme = useThemeChoice();
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ≋
        </span>
        Sluice
      </div>
      <ul className="nav-list">
        {ITEMS.map((item) => (
          <li key={item.view}>
            <button
              type="button"
              className="nav-button"
              aria-current={current === item.view ? 'page' : undefined}
              onClick={() => setView(item.view)}
            >
              <span className="nav-icon" aria-hidden="true">
                {item.icon}
              </span>
              <span className="nav-label">{item.label}</span>
              {item.view === 'requests' && pendingCount > 0 && (
                <span className="badge" data-testid="requests-badge" aria-label={`${pendingCount} pending`}>
                  {pendingCount}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar-foot">
        <PauseToggle />
        <label className="theme-choice">
          <span>Theme</span>
          <select value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
            <option value="system">System</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
        {info ? (
          <>
            <div>Sluice {info.version}</div>
            <div className="muted">{info.mode === 'web' ? 'Web mode' : 'Desktop'}</div>
            {updates?.supported && (
              <>
                <label className="check-row">
                  <input type="checkbox" checked={updates.enabled} onChange={(event) => void setUpdatesEnabled(event.target.checked)} />
                  Check for updates at start
                </label>
                <div className="update-status" role="status">
                  <span>{updateStatusText(updates)}</span>
                  {(updates.status === 'idle' || updates.status === 'up-to-date' || updates.status === 'error') && (
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => void checkForUpdates()}>
                      Check now
                    </button>
                  )}
                </div>
              </>
            )}
          </>
        ) : (
          <div className="muted">Connecting to host…</div>
        )}
      </div>
    </nav>
  );
}

/** One short line on where the self-update stands (the banner above the views offers the restart). */
function updateStatusText(updates: UpdateState): string {
  switch (updates.status) {
    case 'checking':
      return 'Checking for updates…';
    case 'up-to-date':
      return 'Up to date';
    case 'available':
      return `Version ${updates.version ?? 'new'} found`;
    case 'downloading':
      return `Downloading ${updates.version ?? 'update'}${updates.percent !== undefined ? ` (${Math.round(updates.percent)}%)` : '…'}`;
    case 'ready':
      return `${updates.version ?? 'An update'} is ready: restart to update`;
    case 'error':
      return `Update check failed: ${updates.error ?? 'unknown error'}`;
    case 'idle':
      return '';
  }
}
