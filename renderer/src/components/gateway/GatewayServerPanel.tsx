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
      <fieldset disabled={!exposed}>
        <legend>When it asks for a completion during an app’s call</legend>
        <label className="gateway-check">
          <input
            type="radio"
            name={`answer-${definition.name}`}
            checked={answer === 'sluice'}
            onChange={() => void set({ answer: 'sluice' })}
          />
          Answer in Sluice (the dialog, your policies and history)
        </label>
        <label className="gateway-check">
          <input type="radio" name={`answer-${definition.name}`} checked={answer === 'app'} onChange={() => void set({ answer: 'app' })} />
          Forward to the calling app when it supports sampling (pass-through, e.g. VS Code); otherwise Sluice answers
        </label>
      </fieldset>
    </section>
  );
}
