import type { ServerDefinition } from '../../../../shared/domain';
import { setServerGateway } from '../../state/gateway';
import './gateway.css';

/** A server's gateway settings: exposed to the connected apps, and who answers its requests. */
export function GatewayServerPanel({ definition }: { definition: ServerDefinition }) {
  const exposed = definition.gateway?.exposed ?? true;
  const answer = definition.gateway?.answer ?? 'sluice';
  const set = (patch: { exposed?: boolean; answer?: 'sluice' | 'app' }) => setServerGateway(definition.name, patch);
  return (
    <section aria-label="Gateway" className="gateway-server">
      <label className="gateway-check">
        <input type="checkbox" checked={exposed} onChange={(event) => void set({ exposed: event.target.checked })} />
        Exposed through the gateway (apps in Connect apps see its tools, resources and prompts)
      </label>
      <fieldset disabled={!exposed} aria-describedby={`answer-help-${definition.name}`}>
        <legend>Who answers what it asks during an app’s call: completions (sampling), input (elicitation), its roots</legend>
        <label className="gateway-check">
          <input
            type="radio"
            name={`answer-${definition.name}`}
            checked={answer === 'sluice'}
            onChange={() => void set({ answer: 'sluice' })}
          />
          Sluice: its dialogs, your policies and model keys, the roots you set here, the history
        </label>
        <label className="gateway-check">
          <input type="radio" name={`answer-${definition.name}`} checked={answer === 'app'} onChange={() => void set({ answer: 'app' })} />
          The calling app, for what it supports (pass-through, e.g. VS Code)
        </label>
        <div className="hint" id={`answer-help-${definition.name}`}>
          Pass-through asks the app only for what it declared:
          <ul>
            <li>completions, if it declared sampling;</li>
            <li>forms and links (elicitation), each mode only if declared;</li>
            <li>its roots (the server then sees the app’s workspace folders instead of the roots set here).</li>
          </ul>
          Sluice answers the rest, and everything when the app speaks the 2026-07-28 protocol (Sluice cannot send it requests) or when a
          2025-protocol server asks while several calls to it are running (its request does not say which call it is for). The call’s
          History entry lists what the app answered.
        </div>
      </fieldset>
    </section>
  );
}
