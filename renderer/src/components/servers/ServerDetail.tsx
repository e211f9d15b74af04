import { useEffect, useState } from 'react';
import type { ServerStatus } from '../../../../shared/domain';
import { loadTools, useServers } from '../../state/servers';
import { needsSignIn, ServerStatusText } from './ServerStatusText';
import { SignInBadge } from '../auth/SignInBadge';
import { ToolList } from './ToolList';
import { PromptsPanel, ResourcesPanel } from './BrowsePanels';
import { LogsPanel } from './LogsPanel';
import { SafeIcon } from '../common/SafeIcon';
import { TasksPanel } from './TasksPanel';
import { SamplingPolicyPanel } from '../sampling/SamplingPolicyPanel';
import { RootsPanel } from '../roots/RootsPanel';
import { GatewayServerPanel } from '../gateway/GatewayServerPanel';
import { ToolPolicyPanel } from '../toolcalls/ToolPolicyPanel';
import './servers.css';

type Tab = 'tools' | 'resources' | 'prompts' | 'logs' | 'info' | 'sampling' | 'toolcalls' | 'roots' | 'gateway';

const TAB_LABELS: Record<Tab, string> = {
  tools: 'Tools',
  resources: 'Resources',
  prompts: 'Prompts',
  logs: 'Logs',
  info: 'Capabilities',
  sampling: 'Sampling',
  toolcalls: 'Tool calls',
  roots: 'Roots',
  gateway: 'Gateway',
};

export function ServerDetail({ status }: { status: ServerStatus }) {
  const { definition } = status;
  const name = definition.name;
  const connected = status.state === 'connected';
  const tools = useServers((s) => s.tools[name]);
  const [tab, setTab] = useState<Tab>('tools');
  const capabilities = status.capabilities ?? {};

  useEffect(() => {
    if (connected) void loadTools(name);
  }, [name, connected]);

  const info = status.serverInfo;
  return (
    <div className="detail">
      <header className="detail-header">
        <div>
          <h2 className="detail-title">
            <SafeIcon icons={status.serverInfo?.icons} size={22} />
            {name}
          </h2>
          <ServerStatusText status={status} />
          <SignInBadge status={status} />
        </div>
      </header>

      <dl className="facts">
        <dt>Transport</dt>
        <dd>
          {definition.type === 'stdio' ? 'stdio' : definition.type === 'http' ? 'Streamable HTTP' : 'HTTP + SSE (legacy)'}
          {definition.type === 'http' && status.transport === 'sse' && <span className="muted"> (fell back to legacy SSE)</span>}
        </dd>
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
            {status.launch && <LaunchFacts launch={status.launch} />}
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

      {status.state === 'error' && status.error && !needsSignIn(status) && (
        <div className="callout callout-error callout-with-action" role="alert">
          <span>{status.error}</span>
          {/* The sentence is the gist; the server's whole stderr and Sluice's own steps are in Logs. */}
          {tab !== 'logs' && (
            <button type="button" className="btn-link" onClick={() => setTab('logs')}>
              Show logs
            </button>
          )}
        </div>
      )}

      {status.instructions && (
        <details className="instructions">
          <summary>Server instructions</summary>
          <pre tabIndex={0} className="result-text">
            {status.instructions}
          </pre>
        </details>
      )}

      <div className="seg-tabs detail-tabs" role="tablist" aria-label="Server details">
        {(Object.keys(TAB_LABELS) as Tab[]).map((key) => (
          <button key={key} type="button" role="tab" aria-selected={tab === key} className="seg-tab" onClick={() => setTab(key)}>
            {TAB_LABELS[key]}
          </button>
        ))}
      </div>

      {tab === 'sampling' ? (
        <SamplingPolicyPanel key={name} serverName={name} />
      ) : tab === 'toolcalls' ? (
        <ToolPolicyPanel key={name} serverName={name} connected={connected} />
      ) : tab === 'roots' ? (
        <RootsPanel key={name} serverName={name} />
      ) : tab === 'gateway' ? (
        <GatewayServerPanel key={name} definition={definition} />
      ) : tab === 'logs' ? (
        <LogsPanel status={status} />
      ) : tab === 'info' ? (
        <section aria-label="Capabilities">
          {connected ? (
            <>
              <ul className="capability-list">
                {['tools', 'resources', 'prompts', 'logging', 'completions', 'tasks'].map((key) => (
                  <li key={key}>
                    <span className={`chip${key in capabilities ? ' chip-ok' : ''}`}>
                      {key in capabilities ? '✓' : '–'} {key}
                    </span>
                  </li>
                ))}
              </ul>
              <pre tabIndex={0} className="code">
                {JSON.stringify(capabilities, null, 2)}
              </pre>
              {'tasks' in capabilities && <TasksPanel server={name} />}
            </>
          ) : (
            <p className="muted">Capabilities are known once the server is connected.</p>
          )}
        </section>
      ) : !connected ? (
        <p className="muted">{TAB_LABELS[tab]} are listed once the server is connected.</p>
      ) : tab === 'resources' ? (
        <ResourcesPanel server={name} />
      ) : tab === 'prompts' ? (
        <PromptsPanel server={name} />
      ) : (
        <section className="tools" aria-labelledby="tools-title">
          <div className="section-header">
            <h3 id="tools-title">Tools</h3>
            <button type="button" className="btn btn-small" onClick={() => void loadTools(name)} disabled={tools?.loading}>
              Refresh
            </button>
          </div>
          {!tools || (tools.loading && !tools.tools) ? (
            <p className="muted">Loading tools…</p>
          ) : tools.error ? (
            <p className="error-text" role="alert">
              Could not list tools: {tools.error}
            </p>
          ) : (
            <ToolList server={name} tools={tools.tools ?? []} />
          )}
        </section>
      )}
    </div>
  );
}

const LAUNCH_SOURCES: Record<NonNullable<ServerStatus['launch']>['source'], string> = {
  'login-shell': 'from your login shell',
  inherited: "Sluice's own",
  server: "set in this server's environment",
};

/** Which file the command ran and which PATH found it: the first thing to check when a command is "not found". */
function LaunchFacts({ launch }: { launch: NonNullable<ServerStatus['launch']> }) {
  return (
    <>
      {launch.resolvedCommand && (
        <>
          <dt>Runs</dt>
          <dd>
            <code>{launch.resolvedCommand}</code>
          </dd>
        </>
      )}
      <dt>PATH</dt>
      <dd>
        <span className="muted">{LAUNCH_SOURCES[launch.source]}: </span>
        <code className="launch-path">{launch.path || '(empty)'}</code>
        {launch.note && <div className="muted">{launch.note}</div>}
      </dd>
    </>
  );
}
