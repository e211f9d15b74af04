/**
 * The app-wide Client ID Metadata Document URL, edited where a server's own one is (the server
 * form's "Sign-in (OAuth)" section): every server whose own field is empty uses it. Saved at once
 * in the host's auth-settings.json, apart from the server form's Save.
 */
import { useEffect, useId, useState } from 'react';
import { isClientMetadataUrl } from '../../../../shared/domain';
import { errorMessage } from '../../lib/format';
import { loadAuthSettings, saveAuthSettings, useServers } from '../../state/servers';

export function AppClientMetadataDefault() {
  const id = useId();
  const settings = useServers((s) => s.authSettings);
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    loadAuthSettings()
      .then((loaded) => setDraft(loaded.clientMetadataUrl ?? ''))
      .catch((failure: unknown) => setProblem(errorMessage(failure)));
  }, []);

  const save = async (value: string) => {
    const url = value.trim();
    if (url && !isClientMetadataUrl(url)) {
      setProblem('The client metadata URL must be an https:// address with a path.');
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      const loaded = await saveAuthSettings(url);
      setDraft(loaded.clientMetadataUrl ?? '');
      setSaved(url ? 'Saved: servers without their own use it from their next sign-in.' : 'Cleared.');
    } catch (failure) {
      setProblem(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const current = settings?.clientMetadataUrl ?? settings?.startupClientMetadataUrl;
  const unchanged = draft.trim() === (settings?.clientMetadataUrl ?? '');
  return (
    <details className="oauth-app-default" data-testid="app-client-metadata">
      <summary>App-wide default: {current ? <code>{current}</code> : <span className="muted">none</span>}</summary>
      {/* Not a <form>: this sits inside the server form, whose Save must not run on Enter here. */}
      <div className="oauth-app-default-form" role="group" aria-label="App-wide default">
        <label htmlFor={id}>App-wide client ID metadata document</label>
        <input
          id={id}
          value={draft}
          onChange={(event) => {
            setDraft(event.target.value);
            setProblem(undefined);
            setSaved(undefined);
          }}
          placeholder={settings?.startupClientMetadataUrl ?? 'https://…/client-metadata.json'}
          spellCheck={false}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-hint${problem ? ` ${id}-err` : ''}`}
          onKeyDown={(event) => {
            if (event.key !== 'Enter') return;
            event.preventDefault();
            if (!unchanged) void save(draft);
          }}
        />
        <button type="button" className="btn btn-small" disabled={busy || unchanged} onClick={() => void save(draft)}>
          Set app-wide default
        </button>
        {settings?.clientMetadataUrl && (
          <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => void save('')}>
            Clear
          </button>
        )}
      </div>
      {problem && (
        <p className="field-error" role="alert" id={`${id}-err`}>
          {problem}
        </p>
      )}
      {saved && (
        <p className="hint" role="status">
          {saved}
        </p>
      )}
      <p className="hint" id={`${id}-hint`}>
        For every server whose own field above is empty. Saved for the whole app at once, not with this server.
        {settings?.startupClientMetadataUrl && ` Empty: the one Sluice was started with (${settings.startupClientMetadataUrl}).`}
      </p>
    </details>
  );
}
