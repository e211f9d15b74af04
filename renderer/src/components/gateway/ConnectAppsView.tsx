import { useEffect, useId, useState } from 'react';
import type { AppConfigPreview, AppConfigTarget, GatewayStatus } from '../../../../shared/gateway';
import { toast } from '../../state/app';
import {
  configureGateway,
  createAppToken,
  loadAppConfigs,
  previewAppConfig,
  refreshGateway,
  revokeAppToken,
  useGateway,
  writeAppConfig,
} from '../../state/gateway';
import { AppExposurePanel } from './AppExposurePanel';
import { copyText } from './copy-text';
import './gateway.css';

/**
 * "Connect apps": Sluice as one MCP server for Claude Desktop, Claude Code, Cursor, VS Code and
 * Windsurf. The endpoint's state, the apps connected now, per-app tokens (shown once), and for
 * each app the snippet to copy or a one-click "Add Sluice" that shows the diff before writing;
 * and per token, which servers and tools its apps see.
 */
export function ConnectAppsView() {
  const status = useGateway((s) => s.status);
  const error = useGateway((s) => s.error);
  // Kept current by `gateway:changed`; read again on opening (the apps' call counts move on).
  useEffect(() => void refreshGateway(), []);
  return (
    <section className="view" aria-labelledby="apps-title">
      <header className="view-header">
        <h1 id="apps-title">Connect apps</h1>
      </header>
      <div className="gateway-body">
        <p className="hint">
          Your other apps connect to Sluice as one MCP server. They see the tools, resources and prompts of every server exposed here (named{' '}
          <code>server__tool</code>); when one of those servers asks for a model completion or for input, you answer it in Sluice, with your
          own model keys.
        </p>
        {error && (
          <div className="callout callout-error" role="alert">
            Could not load the gateway: {error}
          </div>
        )}
        {status && (
          <>
            <EndpointPanel status={status} />
            <ConnectedApps status={status} />
            <TokensPanel status={status} />
            <AppExposurePanel status={status} />
            <AppsPanel status={status} />
          </>
        )}
      </div>
    </section>
  );
}

function EndpointPanel({ status }: { status: GatewayStatus }) {
  const portId = useId();
  // A run started on "any free port" (0) shows the port it got.
  const shownPort = status.settings.port === 0 && status.url ? new URL(status.url).port : String(status.settings.port);
  const [port, setPort] = useState(shownPort);
  const [busy, setBusy] = useState(false);
  useEffect(() => setPort(shownPort), [shownPort]);
  const configure = async (patch: { enabled?: boolean; port?: number }) => {
    setBusy(true);
    try {
      await configureGateway(patch);
    } finally {
      setBusy(false);
    }
  };
  const portNumber = Number(port);
  const portValid = Number.isInteger(portNumber) && portNumber >= 1 && portNumber <= 65535;
  return (
    <section className="gateway-panel" aria-labelledby={`${portId}-title`}>
      <h2 id={`${portId}-title`}>Endpoint</h2>
      <p data-testid="gateway-state">
        {status.listening ? (
          <>
            <span className="chip chip-ok">Listening</span> <code>{status.url}</code>{' '}
            <button
              type="button"
              className="btn btn-small"
              onClick={() => void copyText(status.url ?? '').then(() => toast('success', 'URL copied'))}
            >
              Copy URL
            </button>
          </>
        ) : (
          <span className="chip">Off</span>
        )}
      </p>
      {status.error && (
        <div className="callout callout-error" role="alert">
          {status.error}
        </div>
      )}
      <div className="gateway-row">
        <label className="gateway-check">
          <input
            type="checkbox"
            checked={status.settings.enabled}
            disabled={busy}
            onChange={(event) => void configure({ enabled: event.target.checked })}
          />
          Serve the gateway (Streamable HTTP on 127.0.0.1 only)
        </label>
      </div>
      <div className="gateway-row">
        <label htmlFor={portId}>Port</label>
        <input
          id={portId}
          className="gateway-port"
          inputMode="numeric"
          value={port}
          onChange={(event) => setPort(event.target.value.trim())}
          aria-invalid={!portValid}
        />
        <button
          type="button"
          className="btn btn-small"
          disabled={busy || !portValid || port === shownPort}
          onClick={() => void configure({ port: portNumber })}
        >
          Use this port
        </button>
        <span className="hint">Apps you already added keep the old port in their config: add Sluice to them again after a change.</span>
      </div>
    </section>
  );
}

function ConnectedApps({ status }: { status: GatewayStatus }) {
  return (
    <section className="gateway-panel" aria-labelledby="gateway-apps-title">
      <h2 id="gateway-apps-title">Connected now</h2>
      {status.apps.length === 0 ? (
        <p className="muted">No app is connected.</p>
      ) : (
        <table className="gateway-table">
          <thead>
            <tr>
              <th>App</th>
              <th>Version</th>
              <th>Through</th>
              <th>Token</th>
              <th>Since</th>
              <th>Calls</th>
            </tr>
          </thead>
          <tbody>
            {status.apps.map((app) => (
              <tr key={app.sessionId}>
                <td>{app.name}</td>
                <td>{app.version || '—'}</td>
                <td>{app.via === 'relay' ? 'stdio relay' : 'HTTP'}</td>
                <td>{app.tokenLabel}</td>
                <td>{new Date(app.connectedAt).toLocaleTimeString()}</td>
                <td>{app.calls}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A token just created: shown once, with a copy button. */
function FreshToken({ token, onDone }: { token: string; onDone: () => void }) {
  return (
    <div className="callout callout-ok" role="status">
      <p>Copy this token now: Sluice will not show it again.</p>
      <code className="gateway-secret" data-testid="fresh-token">
        {token}
      </code>{' '}
      <button type="button" className="btn btn-small" onClick={() => void copyText(token).then(() => toast('success', 'Token copied'))}>
        Copy token
      </button>{' '}
      <button type="button" className="btn btn-small btn-ghost" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

function TokensPanel({ status }: { status: GatewayStatus }) {
  const labelId = useId();
  const [label, setLabel] = useState('');
  const [fresh, setFresh] = useState<string | undefined>();
  const create = async () => {
    const token = await createAppToken(label);
    if (token === undefined) return;
    setFresh(token);
    setLabel('');
  };
  const revoke = async (id: string, name: string) => {
    if (!window.confirm(`Revoke the token "${name}"? Apps using it are disconnected and refused from now on.`)) return;
    await revokeAppToken(id);
  };
  return (
    <section className="gateway-panel" aria-labelledby={`${labelId}-title`}>
      <h2 id={`${labelId}-title`}>App tokens</h2>
      <p className="hint">
        Every HTTP app presents its own token (Authorization: Bearer …). The stdio relay needs none: it reads its own from the data folder.
      </p>
      {fresh && <FreshToken token={fresh} onDone={() => setFresh(undefined)} />}
      {status.tokens.length > 0 && (
        <ul className="gateway-tokens">
          {status.tokens.map((token) => (
            <li key={token.id}>
              <span>{token.label}</span> <span className="muted">created {new Date(token.createdAt).toLocaleString()}</span>{' '}
              <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => void revoke(token.id, token.label)}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="gateway-row"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <label htmlFor={labelId}>New token for</label>
        <input
          id={labelId}
          value={label}
          placeholder="e.g. Cursor on my laptop"
          maxLength={100}
          onChange={(event) => setLabel(event.target.value)}
        />
        <button type="submit" className="btn btn-small" disabled={!label.trim()}>
          Create token
        </button>
      </form>
    </section>
  );
}

function AppsPanel({ status }: { status: GatewayStatus }) {
  const targets = useGateway((s) => s.appConfigs);
  // The snippets carry the endpoint's URL: read them again when it moves.
  useEffect(() => void loadAppConfigs(), [status.url, status.settings.port]);
  return (
    <section className="gateway-panel" aria-labelledby="gateway-add-title">
      <h2 id="gateway-add-title">Add Sluice to your apps</h2>
      {targets.map((target) => (
        <AppTarget key={target.app} target={target} />
      ))}
    </section>
  );
}

function AppTarget({ target }: { target: AppConfigTarget }) {
  const [preview, setPreview] = useState<AppConfigPreview | undefined>();
  const [token, setToken] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const start = async () => {
    setBusy(true);
    try {
      const result = await previewAppConfig(target, token);
      setToken(result.token);
      if (result.preview) setPreview(result.preview);
    } finally {
      setBusy(false);
    }
  };
  const write = async (replace: boolean) => {
    setBusy(true);
    try {
      if (await writeAppConfig(target, token, replace)) setPreview(undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <article className="gateway-app" aria-label={target.label} data-testid={`app-${target.app}`}>
      <header className="gateway-app-head">
        <h3>{target.label}</h3>
        <span className="chip">{target.transport === 'stdio' ? 'stdio relay' : 'HTTP + token'}</span>
        <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void start()}>
          Add Sluice to {target.label}…
        </button>
      </header>
      <p className="hint">
        {target.where} File: <code>{target.path}</code>
      </p>
      <details>
        <summary>Snippet to copy</summary>
        <pre className="code">{target.snippet}</pre>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void copyText(target.snippet).then(() => toast('success', 'Snippet copied'))}
        >
          Copy snippet
        </button>
        {target.transport === 'http' && <span className="hint"> Replace &lt;token&gt; with a token from App tokens.</span>}
      </details>
      {preview && (
        <div className="gateway-preview" role="region" aria-label={`Changes to ${target.label}'s config`}>
          <p>
            {preview.exists ? 'Changes to' : 'New file'} <code>{preview.path}</code>
            {preview.exists ? ' (a backup is written next to it first):' : ':'}
          </p>
          <pre className="code gateway-diff">
            {preview.diff.map((line, index) => (
              <span key={index} className={line.startsWith('+ ') ? 'diff-add' : line.startsWith('- ') ? 'diff-del' : undefined}>
                {line}
                {'\n'}
              </span>
            ))}
          </pre>
          {preview.hasEntry && <p className="hint warn">{target.label} already has a server named “sluice”. Writing replaces it.</p>}
          <div className="gateway-row">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void write(preview.hasEntry)}>
              {preview.hasEntry ? 'Replace the existing entry' : 'Write the file'}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setPreview(undefined)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </article>
  );
}
