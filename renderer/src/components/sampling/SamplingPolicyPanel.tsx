/**
 * The "Sampling policy" section of a server's detail view: Ask (default), Auto-approve within caps,
 * or Deny; the rate limit and daily token budget (which apply to every policy); the models
 * auto-approve may use; and this server's default model.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { ServerSamplingPolicy } from '../../../../shared/domain';
import { useProviders } from '../../state/providers';
import { errorMessage } from '../../lib/format';
import { modelKey, modelOptions, parseModelKey } from '../../lib/models';
import { localDay } from './usage-format';
import { policyOf, savePolicy, useSamplingExtras } from '../../state/sampling-settings';

interface Form {
  policy: ServerSamplingPolicy['policy'];
  maxTokens: string;
  requestsPerMinute: string;
  dailyTokenBudget: string;
  allowedModels: string[];
  defaultModel: string;
}

const toForm = (policy: ServerSamplingPolicy): Form => ({
  policy: policy.policy,
  maxTokens: policy.maxTokens?.toString() ?? '',
  requestsPerMinute: policy.requestsPerMinute?.toString() ?? '',
  dailyTokenBudget: policy.dailyTokenBudget?.toString() ?? '',
  allowedModels: policy.allowedModels ?? [],
  defaultModel: policy.defaultModel ? modelKey(policy.defaultModel) : '',
});

function positiveInt(label: string, text: string): number | undefined | Error {
  if (text.trim() === '') return undefined;
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value <= 0) return new Error(`${label} must be a whole number greater than 0 (or empty for no limit).`);
  return value;
}

export function SamplingPolicyPanel({ serverName }: { serverName: string }) {
  const stored = useSamplingExtras((s) => s.policies[serverName]);
  const usage = useSamplingExtras((s) => s.usage);
  const providers = useProviders((s) => s.providers);
  const models = useMemo(() => modelOptions(providers).filter((o) => o.providerId !== 'manual'), [providers]);
  const [form, setForm] = useState<Form>(() => toForm(policyOf(serverName)));
  const [dirty, setDirty] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const ids = { max: useId(), rpm: useId(), budget: useId(), def: useId(), name: useId() };

  useEffect(() => {
    if (!dirty) setForm(toForm(stored ?? { policy: 'ask' }));
  }, [stored, dirty]);

  const update = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setDirty(true);
    setMessage(null);
  };

  const today = usage.find((row) => row.serverName === serverName && row.day === localDay(Date.now()));

  const onSave = async () => {
    const maxTokens = positiveInt('Max tokens', form.maxTokens);
    const requestsPerMinute = positiveInt('Requests per minute', form.requestsPerMinute);
    const dailyTokenBudget = positiveInt('Daily token budget', form.dailyTokenBudget);
    const problem = [maxTokens, requestsPerMinute, dailyTokenBudget].find((v): v is Error => v instanceof Error);
    if (problem) {
      setMessage({ ok: false, text: problem.message });
      return;
    }
    const policy: ServerSamplingPolicy = { policy: form.policy };
    if (typeof maxTokens === 'number') policy.maxTokens = maxTokens;
    if (typeof requestsPerMinute === 'number') policy.requestsPerMinute = requestsPerMinute;
    if (typeof dailyTokenBudget === 'number') policy.dailyTokenBudget = dailyTokenBudget;
    if (form.allowedModels.length) policy.allowedModels = form.allowedModels;
    if (form.defaultModel) policy.defaultModel = parseModelKey(form.defaultModel);
    try {
      await savePolicy(serverName, policy);
      setDirty(false);
      setMessage({ ok: true, text: 'Policy saved.' });
    } catch (error) {
      setMessage({ ok: false, text: errorMessage(error) });
    }
  };

  return (
    <section className="sampling-policy" aria-labelledby={ids.name} data-testid="sampling-policy">
      <div className="section-header">
        <h3 id={ids.name}>Sampling policy</h3>
        {today && (
          <span className="muted small">
            Today: {today.requests} request(s), {today.inputTokens + today.outputTokens} tokens
          </span>
        )}
      </div>
      {stored?.revokedNote && form.policy !== 'auto' && (
        <div className="callout callout-warning" role="status">
          {stored.revokedNote}
        </div>
      )}
      <div className="policy-choice" role="radiogroup" aria-label="When this server asks for a completion">
        {(
          [
            ['ask', 'Ask', 'Show every request for review (default).'],
            ['auto', 'Auto-approve', 'Answer with the preselected model, unedited, within the caps.'],
            ['deny', 'Deny', 'Refuse every request with an error.'],
          ] as const
        ).map(([value, label, hint]) => (
          <label key={value} className={`policy-option${form.policy === value ? ' is-selected' : ''}`}>
            <input
              type="radio"
              name={`policy-${serverName}`}
              value={value}
              checked={form.policy === value}
              onChange={() => update({ policy: value })}
            />
            <strong>{label}</strong>
            <span className="muted small">{hint}</span>
          </label>
        ))}
      </div>

      <div className="field-grid">
        {form.policy === 'auto' && (
          <>
            <label htmlFor={ids.max}>Max tokens (cap)</label>
            <input
              id={ids.max}
              inputMode="numeric"
              placeholder="no cap"
              value={form.maxTokens}
              onChange={(e) => update({ maxTokens: e.target.value })}
            />
          </>
        )}
        <label htmlFor={ids.rpm}>Requests per minute</label>
        <input
          id={ids.rpm}
          inputMode="numeric"
          placeholder="no limit"
          value={form.requestsPerMinute}
          onChange={(e) => update({ requestsPerMinute: e.target.value })}
        />
        <label htmlFor={ids.budget}>Daily token budget</label>
        <input
          id={ids.budget}
          inputMode="numeric"
          placeholder="no budget"
          value={form.dailyTokenBudget}
          onChange={(e) => update({ dailyTokenBudget: e.target.value })}
        />
        <label htmlFor={ids.def}>Default model</label>
        <select id={ids.def} value={form.defaultModel} onChange={(e) => update({ defaultModel: e.target.value })}>
          <option value="">(none: route by the server's preferences)</option>
          {models.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <p className="hint">Requests beyond the rate limit or budget are refused with an error at once, whatever the policy.</p>

      {form.policy === 'auto' && (
        <fieldset className="allowed-models">
          <legend>
            Models auto-approve may use{' '}
            {form.allowedModels.length === 0 && <span className="muted">(none ticked: any configured model)</span>}
          </legend>
          {models.length === 0 && <p className="muted">No model provider is configured: auto-approve cannot answer.</p>}
          {models.map((o) => (
            <label key={o.value} className="checkbox">
              <input
                type="checkbox"
                checked={form.allowedModels.includes(o.value)}
                onChange={(e) =>
                  update({
                    allowedModels: e.target.checked ? [...form.allowedModels, o.value] : form.allowedModels.filter((k) => k !== o.value),
                  })
                }
              />
              {o.label}
            </label>
          ))}
        </fieldset>
      )}

      <div className="button-row">
        <button type="button" className="btn btn-primary" onClick={() => void onSave()} disabled={!dirty}>
          Save policy
        </button>
        {message && (
          <span className={message.ok ? 'ok-text' : 'error-text'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </span>
        )}
      </div>
    </section>
  );
}
