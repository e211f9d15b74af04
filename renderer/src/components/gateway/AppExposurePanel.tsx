/**
 * "What each app sees": per app token, which of the gateway's servers and tools that app can list
 * and call. Everything is shown by default; unticking hides a server or a tool from that token's
 * apps only, and they are told their list changed. A search narrows long tool lists and can show or
 * hide every match at once.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { RELAY_TOKEN_ID, type GatewayStatus } from '../../../../shared/gateway';
import type { AppExposure } from '../../../../shared/toolcalls';
import { gatewayServers, type GatewayServerView } from '../../state/gateway';
import { loadTools, useServers } from '../../state/servers';
import { loadExposures, saveExposure, useToolCalls } from '../../state/toolcalls';
import { isServerShown, isToolShown, SHOW_EVERYTHING, shownSummary, toolMatches, withServerShown, withToolsShown } from './exposure';
import type { ToolInfo } from '../../../../shared/domain';

export function AppExposurePanel({ status }: { status: GatewayStatus }) {
  const baseId = useId();
  const exposures = useToolCalls((s) => s.exposures);
  const error = useToolCalls((s) => s.exposureError);
  const statuses = useServers((s) => s.servers);
  const toolLists = useServers((s) => s.tools);
  const servers = useMemo(() => gatewayServers(statuses), [statuses]);
  useEffect(() => void loadExposures(), []);
  // The connected servers' tools (the servers slice re-reads a list its server says changed).
  const connectedKey = servers
    .filter((server) => server.connected)
    .map((server) => server.name)
    .join('\u0000');
  useEffect(() => {
    for (const name of connectedKey ? connectedKey.split('\u0000') : []) void loadTools(name);
  }, [connectedKey]);
  const tokens = [...status.tokens.map((token) => ({ id: token.id, label: token.label })), { id: RELAY_TOKEN_ID, label: 'stdio relay' }];
  const [tokenId, setTokenId] = useState(tokens[0]!.id);
  const [query, setQuery] = useState('');
  const [saving, setSaving] = useState(false);
  // A revoked token's view is gone: fall back to the first one.
  const selected = tokens.find((token) => token.id === tokenId) ?? tokens[0]!;
  useEffect(() => {
    if (selected.id !== tokenId) setTokenId(selected.id);
  }, [selected.id, tokenId]);
  const exposure = exposures[selected.id] ?? SHOW_EVERYTHING;

  const save = async (next: AppExposure) => {
    setSaving(true);
    try {
      await saveExposure(selected.id, next);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="gateway-panel" aria-labelledby={`${baseId}-title`}>
      <h2 id={`${baseId}-title`}>What each app sees</h2>
      <p className="hint">
        Every app sees every server exposed through the gateway, unless you hide a server or a tool from its token here. Apps that are
        connected are told their list changed.
      </p>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="gateway-row">
        <label htmlFor={`${baseId}-token`}>Apps using the token</label>
        <select id={`${baseId}-token`} value={selected.id} onChange={(event) => setTokenId(event.target.value)}>
          {tokens.map((token) => (
            <option key={token.id} value={token.id}>
              {token.label}
            </option>
          ))}
        </select>
        <input
          type="search"
          aria-label="Search tools"
          placeholder="Search tools…"
          value={query}
          maxLength={200}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      {servers.length === 0 ? (
        <p className="muted">No server is enabled.</p>
      ) : (
        <ul className="exposure-servers" aria-label={`Servers and tools ${selected.label} sees`}>
          {servers.map((server) => (
            <ServerExposure
              key={server.name}
              server={server}
              tools={toolLists[server.name]?.tools}
              exposure={exposure}
              query={query}
              disabled={saving}
              onChange={(next) => void save(next)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function ServerExposure({
  server,
  tools,
  exposure,
  query,
  disabled,
  onChange,
}: {
  server: GatewayServerView;
  tools: ToolInfo[] | undefined;
  exposure: AppExposure;
  query: string;
  disabled: boolean;
  onChange: (next: AppExposure) => void;
}) {
  const serverShown = isServerShown(exposure, server.name);
  const matching = server.connected && tools ? tools.filter((tool) => toolMatches(tool, query)) : [];
  const searching = query.trim() !== '';
  // While searching, a server with no matching tool is left out unless its own name matches.
  if (searching && matching.length === 0 && !toolMatches({ name: server.name }, query)) return null;
  const names = matching.map((tool) => tool.name);
  return (
    <li className="exposure-server" data-testid={`exposure-${server.name}`}>
      <div className="exposure-server-head">
        <label className="gateway-check">
          <input
            type="checkbox"
            checked={serverShown}
            disabled={disabled || !server.exposed}
            onChange={(event) => onChange(withServerShown(exposure, server.name, event.target.checked))}
          />
          <strong>{server.name}</strong>
        </label>
        <span className="muted" data-testid="exposure-summary">
          {server.exposed ? shownSummary(exposure, server.name, server.connected ? tools : undefined) : 'not exposed'}
        </span>
        {searching && names.length > 0 && server.exposed && (
          <span className="exposure-bulk">
            <button
              type="button"
              className="btn btn-small"
              disabled={disabled}
              onClick={() => onChange(withToolsShown(exposure, server.name, names, true))}
            >
              Show the {names.length} matching
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={disabled}
              onClick={() => onChange(withToolsShown(exposure, server.name, names, false))}
            >
              Hide the {names.length} matching
            </button>
          </span>
        )}
      </div>
      {!server.exposed ? (
        <p className="hint">Its “expose through the gateway” setting is off (in the server's detail), so no app sees it.</p>
      ) : !server.connected ? (
        <p className="muted">Not connected: its tools are listed here once it connects.</p>
      ) : !tools ? (
        <p className="muted">Loading tools…</p>
      ) : tools.length === 0 ? (
        <p className="muted">No tools.</p>
      ) : (
        <ul className="exposure-tools" aria-label={`${server.name} tools`}>
          {matching.map((tool) => (
            <li key={tool.name}>
              <label className="gateway-check">
                <input
                  type="checkbox"
                  checked={isToolShown(exposure, server.name, tool.name)}
                  disabled={disabled || !serverShown}
                  onChange={(event) => onChange(withToolsShown(exposure, server.name, [tool.name], event.target.checked))}
                />
                <code>{tool.name}</code>
              </label>
              {tool.description && <span className="muted exposure-tool-desc">{tool.description}</span>}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
