import { useId, useState, type FormEvent } from 'react';
import {
  ProviderInputSchema,
  ProviderTestInputSchema,
  type ConfigurableProviderKind,
  type ProviderInput,
  type ProviderView,
} from '../../../../shared/domain';
import { removeProvider, saveProvider, testProvider } from '../../state/providers';
import { errorMessage } from '../../lib/format';
import { splitLines } from '../../lib/draft';
import { ModelProfilesEditor, parseProfiles, profileToDraft, type ProfileDraft } from './ModelProfilesEditor';
import { ErrorCallout } from '../common/ErrorCallout';

export const KIND_LABELS: Record<ConfigurableProviderKind, string> = {
  anthropic: 'Anthropic',
  openai: 'OpenAI',
  google: 'Google Gemini',
  'openai-compatible': 'OpenAI-compatible',
};

/** The official API address each cloud kind uses when the base URL is left empty. */
const DEFAULT_URLS: Partial<Record<ConfigurableProviderKind, string>> = {
  anthropic: 'https://api.anthropic.com/v1',
  openai: 'https://api.openai.com/v1',
  google: 'https://generativelanguage.googleapis.com/v1beta',
};

const PRESETS: Array<{ label: string; kind: ConfigurableProviderKind; name: string; baseUrl: string; models: string }> = [
  { label: 'Anthropic', kind: 'anthropic', name: 'Anthropic', baseUrl: '', models: 'claude-sonnet-4-5\nclaude-haiku-4-5' },
  { label: 'OpenAI', kind: 'openai', name: 'OpenAI', baseUrl: '', models: 'gpt-4o\ngpt-4o-mini' },
  { label: 'Gemini', kind: 'google', name: 'Gemini', baseUrl: '', models: 'gemini-2.5-flash\ngemini-2.5-pro' },
  { label: 'Ollama', kind: 'openai-compatible', name: 'Ollama', baseUrl: 'http://localhost:11434/v1', models: 'llama3.2' },
  { label: 'LM Studio', kind: 'openai-compatible', name: 'LM Studio', baseUrl: 'http://localhost:1234/v1', models: 'local-model' },
];

interface Values {
  kind: ConfigurableProviderKind;
  name: string;
  baseUrl: string;
  models: string;
  apiKey: string;
  clearKey: boolean;
  profiles: Record<string, ProfileDraft>;
}

/** Found models shown as checkboxes (a provider may offer hundreds). */
const MODELS_SHOWN = 60;

type TestState = { running: true } | { running: false; ok: boolean; message: string; models?: string[] } | null;

export function ProviderForm({
  existing,
  onSaved,
  onRemoved,
}: {
  existing?: ProviderView;
  onSaved: (id: string) => void;
  onRemoved: () => void;
}) {
  const [values, setValues] = useState<Values>(() => ({
    kind: existing && existing.kind !== 'manual' ? existing.kind : 'openai-compatible',
    name: existing?.name ?? '',
    baseUrl: existing?.baseUrl ?? '',
    models: existing?.models.join('\n') ?? '',
    apiKey: '',
    clearKey: false,
    profiles: Object.fromEntries((existing?.models ?? []).map((m) => [m, profileToDraft(existing?.profiles?.[m])])),
  }));
  const [errors, setErrors] = useState<string[]>([]);
  // The same problems by field, so each field can say it is invalid and point at why.
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<LinkedField, string>>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState<TestState>(null);
  const ids = { kind: useId(), name: useId(), url: useId(), models: useId(), key: useId(), clear: useId() };
  const errorIds = { name: useId(), baseUrl: useId(), models: useId(), apiKey: useId() };
  const invalid = (field: LinkedField) =>
    fieldErrors[field] ? { 'aria-invalid': true as const, 'aria-describedby': errorIds[field] } : {};
  const fieldError = (field: LinkedField) =>
    fieldErrors[field] ? (
      <p id={errorIds[field]} className="field-error">
        {fieldErrors[field]}
      </p>
    ) : null;
  const modelList = splitLines(values.models)
    .map((m) => m.trim())
    .filter(Boolean);
  const cloud = values.kind !== 'openai-compatible';
  // The host deletes a stored key when the type or base URL changes (it must not follow them to another host).
  const redirected =
    Boolean(existing?.hasApiKey) && (existing?.kind !== values.kind || (existing?.baseUrl ?? '') !== values.baseUrl.trim());
  const update = (patch: Partial<Values>) => {
    setValues((v) => ({ ...v, ...patch }));
    setSaved(null);
    // An edited field is no longer known to be wrong.
    setFieldErrors((current) => {
      const left = { ...current };
      for (const key of Object.keys(patch)) delete left[key as LinkedField];
      return left;
    });
  };

  const buildInput = (): ProviderInput | undefined => {
    const profiles = parseProfiles(modelList, values.profiles);
    if ('error' in profiles) {
      setErrors([profiles.error]);
      return undefined;
    }
    const candidate: Record<string, unknown> = {
      kind: values.kind,
      name: values.name.trim(),
      models: modelList,
      profiles: profiles.profiles,
    };
    if (values.baseUrl.trim() !== '') candidate.baseUrl = values.baseUrl.trim();
    if (existing) candidate.id = existing.id;
    if (values.clearKey) candidate.apiKey = null;
    else if (values.apiKey !== '') candidate.apiKey = values.apiKey;
    const parsed = ProviderInputSchema.safeParse(candidate);
    if (!parsed.success) {
      setErrors([...new Set(parsed.error.issues.map((i) => i.message))]);
      const byField: Partial<Record<LinkedField, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if (isLinkedField(field)) byField[field] ??= issue.message;
      }
      setFieldErrors(byField);
      return undefined;
    }
    setErrors([]);
    setFieldErrors({});
    return parsed.data;
  };

  /** Saves the form; returns the provider's id, or undefined when it could not. */
  const save = async (): Promise<string | undefined> => {
    const input = buildInput();
    if (!input) return undefined;
    setBusy(true);
    try {
      const view = await saveProvider(input);
      setValues((v) => ({ ...v, apiKey: '', clearKey: false }));
      setSaved(`Saved ${view.name}.`);
      return view.id;
    } catch (error) {
      setErrors([errorMessage(error)]);
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const id = await save();
    if (id) onSaved(id);
  };

  /** Tests the form's values as they are: nothing is saved (a wrong key never lands in the store). */
  const onTest = async () => {
    const draft = ProviderTestInputSchema.safeParse({
      ...(existing ? { id: existing.id } : {}),
      kind: values.kind,
      name: values.name.trim() || undefined,
      ...(values.baseUrl.trim() ? { baseUrl: values.baseUrl.trim() } : {}),
      ...(values.apiKey && !values.clearKey ? { apiKey: values.apiKey } : {}),
    });
    if (!draft.success) {
      setTest({ running: false, ok: false, message: [...new Set(draft.error.issues.map((i) => i.message))].join(' ') });
      return;
    }
    setTest({ running: true });
    try {
      const result = await testProvider(draft.data);
      setTest({ running: false, ...result });
    } catch (error) {
      setTest({ running: false, ok: false, message: errorMessage(error) });
    }
  };

  const onRemove = async () => {
    if (!existing) return;
    setBusy(true);
    try {
      await removeProvider(existing.id);
      onRemoved();
    } catch (error) {
      setErrors([errorMessage(error)]);
      setBusy(false);
    }
  };

  return (
    <form className="detail form" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="provider-form-title">
      <header className="detail-header">
        <h2 className="detail-title" id="provider-form-title">
          {existing ? `Edit ${existing.name}` : 'Add a provider'}
        </h2>
      </header>

      {!existing && (
        <div className="presets">
          <span className="muted">Presets:</span>
          {PRESETS.map((p) => (
            <button
              key={p.label}
              type="button"
              className="btn btn-small"
              onClick={() => update({ kind: p.kind, name: p.name, baseUrl: p.baseUrl, models: p.models })}
            >
              {p.label}
            </button>
          ))}
        </div>
      )}

      <ErrorCallout errors={errors} />
      {saved && (
        <div className="callout callout-ok" role="status">
          {saved}
        </div>
      )}

      <div className="field-grid">
        <label htmlFor={ids.kind}>Provider type</label>
        <select id={ids.kind} value={values.kind} onChange={(e) => update({ kind: e.target.value as ConfigurableProviderKind })}>
          {(Object.keys(KIND_LABELS) as ConfigurableProviderKind[]).map((kind) => (
            <option key={kind} value={kind}>
              {KIND_LABELS[kind]}
            </option>
          ))}
        </select>

        <label htmlFor={ids.name}>Provider name</label>
        <div>
          <input
            id={ids.name}
            value={values.name}
            onChange={(e) => update({ name: e.target.value })}
            placeholder="e.g. Ollama"
            {...invalid('name')}
          />
          {fieldError('name')}
        </div>

        <label htmlFor={ids.url}>Base URL</label>
        <div>
          <input
            id={ids.url}
            type="url"
            value={values.baseUrl}
            onChange={(e) => update({ baseUrl: e.target.value })}
            placeholder={cloud ? `${DEFAULT_URLS[values.kind]} (default)` : 'http://localhost:11434/v1'}
            spellCheck={false}
            {...invalid('baseUrl')}
          />
          {fieldError('baseUrl')}
        </div>

        <label htmlFor={ids.models}>Models</label>
        <div>
          <textarea
            id={ids.models}
            rows={3}
            value={values.models}
            onChange={(e) => update({ models: e.target.value })}
            spellCheck={false}
            {...invalid('models')}
          />
          {fieldError('models')}
          <p className="hint">One model id per line. Test connection lists what the server offers.</p>
          <ModelProfilesEditor
            models={modelList}
            drafts={values.profiles}
            onChange={(model, field, value) =>
              update({ profiles: { ...values.profiles, [model]: { ...values.profiles[model], [field]: value } } })
            }
          />
        </div>

        <label htmlFor={ids.key}>API key</label>
        <div>
          <input
            id={ids.key}
            type="password"
            autoComplete="off"
            value={values.apiKey}
            disabled={values.clearKey}
            {...invalid('apiKey')}
            onChange={(e) => update({ apiKey: e.target.value })}
            placeholder={
              existing?.hasApiKey
                ? redirected
                  ? 'enter the key again'
                  : 'key set (leave blank to keep it)'
                : cloud
                  ? 'required'
                  : 'no key (optional for local servers)'
            }
          />
          {fieldError('apiKey')}
          <p className="hint">
            {existing ? (existing.hasApiKey ? 'A key is stored. ' : 'No key stored. ') : ''}
            {cloud && existing && !existing.hasApiKey ? <strong>{KIND_LABELS[values.kind]} needs a key. </strong> : null}
            Keys are stored by the host, encrypted by the OS keychain in the desktop app, and never shown again.
          </p>
          {redirected && (
            <p className="hint" role="note">
              <strong>Changing the type or base URL removes the stored key</strong> (so it is never sent to another host): enter the key
              again to keep one.
            </p>
          )}
          {existing?.hasApiKey && (
            <label className="checkbox" htmlFor={ids.clear}>
              <input id={ids.clear} type="checkbox" checked={values.clearKey} onChange={(e) => update({ clearKey: e.target.checked })} />
              Remove the stored key
            </label>
          )}
        </div>
      </div>

      <div className="button-row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Save provider
        </button>
        <button type="button" className="btn" onClick={() => void onTest()} disabled={busy || test?.running === true}>
          Test connection
        </button>
        {existing && (
          <button type="button" className="btn btn-danger-ghost" onClick={() => void onRemove()} disabled={busy}>
            Remove
          </button>
        )}
      </div>

      {test && (
        <div
          className={`callout ${test.running ? 'callout-info' : test.ok ? 'callout-ok' : 'callout-error'}`}
          role={test.running ? 'status' : 'alert'}
          data-testid="provider-test-result"
        >
          {test.running ? (
            'Testing…'
          ) : (
            <>
              <strong>{test.ok ? 'Connection OK' : 'Connection failed'}</strong>: {test.message}
              {test.models && test.models.length > 0 && (
                <fieldset className="test-models">
                  <legend className="muted">Pick the models to offer ({test.models.length} found):</legend>
                  <ul className="test-model-list">
                    {test.models.slice(0, MODELS_SHOWN).map((model) => (
                      <li key={model}>
                        <label className="checkbox">
                          <input
                            type="checkbox"
                            checked={modelList.includes(model)}
                            onChange={(e) =>
                              update({
                                models: (e.target.checked ? [...modelList, model] : modelList.filter((m) => m !== model)).join('\n'),
                              })
                            }
                          />
                          {model}
                        </label>
                      </li>
                    ))}
                  </ul>
                  {test.models.length > MODELS_SHOWN && <p className="muted">… and {test.models.length - MODELS_SHOWN} more.</p>}
                  <button type="button" className="btn btn-small" onClick={() => update({ models: test.models!.join('\n') })}>
                    Use all {test.models.length}
                  </button>
                </fieldset>
              )}
            </>
          )}
        </div>
      )}
    </form>
  );
}

/** The fields whose problems are shown (and linked) under them. */
type LinkedField = 'name' | 'baseUrl' | 'models' | 'apiKey';

function isLinkedField(field: unknown): field is LinkedField {
  return field === 'name' || field === 'baseUrl' || field === 'models' || field === 'apiKey';
}
