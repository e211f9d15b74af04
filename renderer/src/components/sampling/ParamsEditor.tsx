import { useId, useMemo } from 'react';
import { MANUAL_PROVIDER_ID, type PendingSampling } from '../../../../shared/domain';
import { useProviders } from '../../state/providers';
import { patchDraft } from '../../state/requests/sampling';
import { editedFields, type ParamField, type RequestDraft } from '../../lib/draft';
import { rowsFor } from '../../lib/hooks';
import { modelKey, modelOptions, parseModelKey, resolveModelOption, modelLabel } from '../../lib/models';
import { ReadOnlyParams } from './ReadOnlyParams';
import { ContextPanel, MissingKeyNotice } from './DialogExtras';
import { LongTextField } from './LongTextField';

/** A param's label, tagged "edited" once the user changed it from what the server sent. */
function FieldLabel({ htmlFor, label, edited }: { htmlFor: string; label: string; edited: boolean }) {
  return (
    <div className="label-row">
      <label htmlFor={htmlFor} className="field-label">
        {label}
      </label>
      {edited && <span className="edited-tag">edited</span>}
    </div>
  );
}

export function ParamsEditor({ request, draft }: { request: PendingSampling; draft: RequestDraft }) {
  const providers = useProviders((s) => s.providers);
  const ids = { model: useId(), system: useId(), max: useId(), temp: useId(), stop: useId(), error: useId() };
  const id = request.id;
  // The field the form error is about points at it, so a screen reader says why it is invalid.
  const invalid = (field: ParamField) =>
    draft.formError && draft.formErrorField === field ? { 'aria-invalid': true, 'aria-describedby': ids.error } : {};
  const fieldError = (field: ParamField) =>
    draft.formError && draft.formErrorField === field ? (
      <p id={ids.error} className="error-text field-error">
        {draft.formError}
      </p>
    ) : null;
  const edited = editedFields(request.params, draft);

  const options = useMemo(() => modelOptions(providers), [providers]);
  const resolved = resolveModelOption(draft.modelKey, options);
  const allOptions = resolved.extra ? [resolved.extra, ...options] : options;
  const suggested = request.suggestedModel;
  const suggestedOption = resolveModelOption(modelKey(suggested), options);
  const suggestedLabel = (
    resolved.extra && suggestedOption.value === resolved.extra.value
      ? resolved.extra
      : options.find((o) => o.value === suggestedOption.value)
  )?.label;
  const isManual = parseModelKey(resolved.value).providerId === MANUAL_PROVIDER_ID;
  const onlyManual = providers.length > 0 && providers.every((p) => p.id === MANUAL_PROVIDER_ID);

  return (
    <div className="params">
      <div className="field">
        <label htmlFor={ids.model} className="field-label">
          Model
        </label>
        <select id={ids.model} value={resolved.value} onChange={(e) => patchDraft(id, { modelKey: e.target.value })}>
          {allOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <p className="hint suggestion">
          {suggestedOption.value === resolved.value ? 'Suggested' : `Suggested: ${suggestedLabel ?? modelLabel(providers, suggested)}`}
          {suggested.reason ? ` — ${suggested.reason}` : ''}
        </p>
        <MissingKeyNotice modelKey={resolved.value} />
        {isManual && (
          <p className="hint">
            You will write the answer yourself after approving.
            {onlyManual && ' To let a model answer, add a provider under Providers (Ollama, LM Studio, OpenAI, Anthropic, Gemini…).'}
          </p>
        )}
      </div>

      <div className="field">
        <FieldLabel htmlFor={ids.system} label="System prompt" edited={edited.systemPrompt} />
        <LongTextField
          id={ids.system}
          label="System prompt"
          value={draft.systemPrompt}
          placeholder="(none)"
          onChange={(systemPrompt) => patchDraft(id, { systemPrompt })}
        />
      </div>

      <div className="field-row">
        <div className="field">
          <FieldLabel htmlFor={ids.max} label="Max tokens" edited={edited.maxTokens} />
          <input
            id={ids.max}
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            value={draft.maxTokens}
            {...invalid('maxTokens')}
            onChange={(e) => patchDraft(id, { maxTokens: e.target.value, formError: undefined, formErrorField: undefined })}
          />
          {fieldError('maxTokens')}
        </div>
        <div className="field">
          <FieldLabel htmlFor={ids.temp} label="Temperature" edited={edited.temperature} />
          <input
            id={ids.temp}
            type="number"
            min={0}
            step={0.1}
            inputMode="decimal"
            placeholder="unset"
            value={draft.temperature}
            {...invalid('temperature')}
            onChange={(e) => patchDraft(id, { temperature: e.target.value, formError: undefined, formErrorField: undefined })}
          />
          {fieldError('temperature')}
        </div>
      </div>

      <div className="field">
        <FieldLabel htmlFor={ids.stop} label="Stop sequences" edited={edited.stopSequences} />
        <textarea
          id={ids.stop}
          rows={rowsFor(draft.stopSequences, 1, 6)}
          value={draft.stopSequences}
          placeholder="(none)"
          spellCheck={false}
          onChange={(e) => patchDraft(id, { stopSequences: e.target.value })}
        />
        <p className="hint">One per line.</p>
      </div>

      <ContextPanel request={request} draft={draft} />

      <ReadOnlyParams params={request.params} />
    </div>
  );
}
