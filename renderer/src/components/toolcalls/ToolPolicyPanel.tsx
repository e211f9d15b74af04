/**
 * The "Tool calls" tab of a server's detail: what happens when another app calls this server's
 * tools through the gateway. A preset for the whole server, and per tool Allow / Ask / Deny (or the
 * preset), with the tool's annotations as badges and a note when an allowed tool has changed.
 */
import { useEffect, useId } from 'react';
import type { ToolPreset, ToolRule } from '../../../../shared/toolcalls';
import { setToolPreset, setToolRule, useToolCalls, watchToolPolicy } from '../../state/toolcalls';
import { AnnotationBadges } from './AnnotationBadges';
import './toolcalls.css';

const PRESETS: ReadonlyArray<{ value: ToolPreset; label: string; hint: string }> = [
  { value: 'allow-all', label: 'Allow all', hint: 'Every tool runs without asking (as before).' },
  {
    value: 'ask-unless-read-only',
    label: 'Ask before tools that are not read-only',
    hint: 'Tools the server marks read-only run; the others wait for you.',
  },
  { value: 'ask-all', label: 'Ask before every tool', hint: 'Every call waits for you.' },
  { value: 'deny-all', label: 'Refuse every tool', hint: 'Apps get an error result saying you do not allow it.' },
];

const RULE_LABEL: Record<ToolRule, string> = { allow: 'Allow', ask: 'Ask', deny: 'Deny' };

export function ToolPolicyPanel({ serverName, connected }: { serverName: string; connected: boolean }) {
  const table = useToolCalls((s) => s.policies[serverName]);
  const preset = table?.preset ?? 'allow-all';
  const rows = table?.rows;
  const error = table?.error;
  const presetId = useId();

  // Kept current by the slice while shown (settings changed, the server's tool list changed).
  useEffect(() => (connected ? watchToolPolicy(serverName) : undefined), [serverName, connected]);

  return (
    <section className="tool-policy" aria-labelledby={`${presetId}-title`}>
      <h3 id={`${presetId}-title`}>Tool calls from other apps</h3>
      <p className="muted">
        What happens when an app connected to Sluice's gateway (Claude Code, Cursor …) calls one of {serverName}'s tools. Asked calls open a
        dialog where you can edit the arguments before they are sent.
      </p>
      <div className="field">
        <label htmlFor={presetId} className="field-label">
          For tools without their own rule
        </label>
        <select id={presetId} value={preset} onChange={(e) => void setToolPreset(serverName, e.target.value as ToolPreset)}>
          {PRESETS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
        <p className="hint">{PRESETS.find((option) => option.value === preset)?.hint}</p>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {!connected ? (
        <p className="muted">The tools are listed once the server is connected.</p>
      ) : !rows ? (
        <p className="muted">Loading tools…</p>
      ) : rows.length === 0 ? (
        <p className="muted">This server has no tools.</p>
      ) : (
        <table className="tool-policy-table">
          <thead>
            <tr>
              <th scope="col">Tool</th>
              <th scope="col">Hints</th>
              <th scope="col">Rule</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.name} data-testid={`tool-policy-${row.name}`}>
                <td>
                  <code>{row.name}</code>
                  {row.description && <div className="muted tool-policy-desc">{row.description}</div>}
                  {row.changes && (
                    <details className="callout callout-error tool-policy-changed">
                      <summary>Changed since you allowed it: the next call asks you once</summary>
                      <ul>
                        {row.changes.map((line, i) => (
                          <li key={i}>{line}</li>
                        ))}
                      </ul>
                    </details>
                  )}
                </td>
                <td>
                  <AnnotationBadges annotations={row.annotations} />
                </td>
                <td>
                  <select
                    aria-label={`Rule for ${row.name}`}
                    value={row.rule ?? ''}
                    onChange={(e) =>
                      void setToolRule(serverName, row.name, e.target.value === '' ? undefined : (e.target.value as ToolRule))
                    }
                  >
                    <option value="">Preset ({RULE_LABEL[row.effective].toLowerCase()})</option>
                    <option value="allow">Allow</option>
                    <option value="ask">Ask</option>
                    <option value="deny">Deny</option>
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
