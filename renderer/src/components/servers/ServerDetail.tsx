import { useEffect } from 'react';
import type { ServerStatus } from '../../../../shared/domain';
import { loadTools, useStore } from '../../store';
import { ServerStatusText } from './ServerStatusText';
import { ToolList } from './ToolList';

export function ServerDetail({ status }: { status: ServerStatus }) {
  const { definition } = status;
  const name = definition.name;
  const connected = status.state === 'connected';
  const tools = useStore((s) => s.tools[name]);

  useEffect(() => {
    if (connected) void loadTools(name);
  }, [name, connected]);

  const info = status.serverInfo;
  return (
    <div className="detail">
      <header className="detail-header">
        <div>
          <h2 className="detail-title">{name}</h2>
          <ServerStatusText status={status} />
        </div>
      </header>

      <dl className="facts">
        <dt>Transport</dt>
        <dd>{definition.type === 'stdio' ? 'stdio' : definition.type === 'http' ? 'Streamable HTTP' : 'HTTP + SSE (legacy)'}</dd>
        {definition.type === 'stdio' ? (
          <>
            <dt>Command</dt>
            <dd>
              <code>{[definition.command, ...(definition.args ?? [])].join(' ')}</code>
            </dd>
            {definition.cwd && (
              <>
                <dt>Working directory</dt>
                <dd>
                  <code>{definition.cwd}</code>
                </dd>
              </>
            )}
          </>
        ) : (
          <>
            <dt>URL</dt>
            <dd>
              <code>{definition.url}</code>
            </dd>
          </>
        )}
        <dt>Server info</dt>
        <dd>
          {info ? (
            <>
              {info.title ? `${info.title} (${info.name})` : info.name}
              {info.version ? ` ${info.version}` : ''}
            </>
          ) : (
            <span className="muted">—</span>
          )}
        </dd>
        <dt>Era</dt>
        <dd>
          {status.era ?? <span className="muted">—</span>}
          {definition.era && definition.era !== 'auto' && <span className="muted"> (forced: {definition.era})</span>}
        </dd>
        <dt>Protocol version</dt>
        <dd>{status.protocolVersion ?? <span className="muted">—</span>}</dd>
      </dl>

      {status.state === 'error' && status.error && (
        <div className="callout callout-error" role="alert">
          {status.error}
        </div>
      )}

      {status.instructions && (
        <details className="instructions">
          <summary>Server instructions</summary>
          <pre className="result-text">{status.instructions}</pre>
        </details>
      )}

      <section className="tools" aria-labelledby="tools-title">
        <div className="section-header">
          <h3 id="tools-title">Tools</h3>
          {connected && (
            <button type="button" className="btn btn-small" onClick={() => void loadTools(name)} disabled={tools?.loading}>
              Refresh
            </button>
          )}
        </div>
        {!connected ? (
          <p className="muted">Tools are listed once the server is connected.</p>
        ) : !tools || (tools.loading && !tools.tools) ? (
          <p className="muted">Loading tools…</p>
        ) : tools.error ? (
          <p className="error-text" role="alert">
            Could not list tools: {tools.error}
          </p>
        ) : (
          <ToolList server={name} tools={tools.tools ?? []} />
        )}
      </section>
    </div>
  );
}
