import { useEffect, useId, useState } from 'react';
import type { RootFolder } from '../../../../shared/domain';
import { errorMessage } from '../../lib/format';
import { checkRootFolder, loadRoots, pickRootFolder, saveRoots, useRoots } from '../../state/roots';
import '../elicitation/elicitation.css';

/**
 * The folders a server may see (MCP roots): its own, and those every server sees. Paths are typed
 * (checked by the host: must exist, must be a folder) or, in the desktop app, picked.
 */
export function RootsPanel({ serverName }: { serverName: string }) {
  const state = useRoots((s) => s.roots);
  const loadError = useRoots((s) => s.loadError);
  useEffect(() => void loadRoots(), []);

  if (loadError)
    return (
      <p className="error-text" role="alert">
        Could not load the roots: {loadError}
      </p>
    );
  if (!state) return <p className="muted">Loading roots…</p>;
  return (
    <section aria-label="Roots" className="roots-panel">
      <p className="hint">
        Servers that ask for roots (<code>roots/list</code>) get these folders as <code>file://</code> URIs. Saving takes effect without
        reconnecting: a connected 2025-era server is told the list changed and asks again; a newer server gets the folders the next time it
        asks.
      </p>
      <RootsList
        title={`Folders for ${serverName}`}
        roots={state.servers[serverName] ?? []}
        canPick={state.canPickFolder}
        save={(roots) => saveRoots(serverName, roots)}
      />
      <RootsList
        title="Folders for every server"
        roots={state.global}
        canPick={state.canPickFolder}
        save={(roots) => saveRoots(null, roots)}
      />
    </section>
  );
}

function RootsList({
  title,
  roots,
  canPick,
  save,
}: {
  title: string;
  roots: RootFolder[];
  canPick: boolean;
  /** False when the host refused (the slice says why in a toast). */
  save: (roots: RootFolder[]) => Promise<boolean>;
}) {
  const inputId = useId();
  const errorId = useId();
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const commit = async (next: RootFolder[]) => {
    setBusy(true);
    try {
      return await save(next);
    } finally {
      setBusy(false);
    }
  };

  const add = async (candidate: string) => {
    const checked = await checkRootFolder(candidate);
    if (!checked.ok) {
      setError(checked.message ?? 'Not a usable folder');
      return;
    }
    if (roots.some((r) => r.path === checked.path)) {
      setError('This folder is already in the list');
      return;
    }
    setError(undefined);
    if (await commit([...roots, { path: checked.path }])) setPath('');
  };

  const pick = async () => {
    try {
      const picked = await pickRootFolder();
      if (picked) await add(picked);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  return (
    <div className="field roots-section">
      <h3 className="field-label">{title}</h3>
      {roots.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="roots-list">
          {roots.map((root) => (
            <li key={root.path} className="roots-item">
              <code>{root.path}</code>
              {root.name && <span className="muted">({root.name})</span>}
              <button
                type="button"
                className="btn btn-small btn-danger-ghost"
                disabled={busy}
                aria-label={`Remove ${root.path} from ${title.toLowerCase()}`}
                onClick={() => void commit(roots.filter((r) => r !== root))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="roots-add"
        onSubmit={(event) => {
          event.preventDefault();
          void add(path);
        }}
      >
        <label htmlFor={inputId} className="sr-only">
          Folder path to add to {title.toLowerCase()}
        </label>
        <input
          id={inputId}
          value={path}
          placeholder="/absolute/path/to/folder"
          onChange={(e) => {
            setPath(e.target.value);
            setError(undefined);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          spellCheck={false}
          autoComplete="off"
        />
        <button type="submit" className="btn btn-small" disabled={busy || path.trim() === ''}>
          Add folder
        </button>
        {canPick && (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => void pick()}>
            Choose…
          </button>
        )}
      </form>
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
