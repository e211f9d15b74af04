import { useEffect, useState } from 'react';
import { MANUAL_PROVIDER_ID } from '../../../../shared/domain';
import { clearProviderFocus, useProviders } from '../../state/providers';
import { ProviderList } from './ProviderList';
import { ProviderForm } from './ProviderForm';

export const NO_PROVIDER_HINT =
  'No model provider configured: requests are answered by you. Add Anthropic, OpenAI, Google Gemini or an OpenAI-compatible endpoint (Ollama, LM Studio, vLLM, OpenRouter) to let a model answer.';

export function ProvidersView() {
  const providers = useProviders((s) => s.providers);
  const loaded = useProviders((s) => s.providersLoaded);
  // null = adding a new provider; otherwise the id being edited.
  const [editing, setEditing] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);
  // "Add a key" from a sampling problem or the dialog opens that provider's form.
  const focusId = useProviders((s) => s.focusProviderId);
  useEffect(() => {
    if (focusId === null) return;
    setEditing(focusId);
    setFormKey((k) => k + 1);
    clearProviderFocus();
  }, [focusId]);
  const editable = providers.find((p) => p.id === editing && p.id !== MANUAL_PROVIDER_ID);
  const onlyManual = loaded && providers.every((p) => p.id === MANUAL_PROVIDER_ID);

  // A new form instance per explicit choice; saving a new provider keeps the same form (and its test result).
  const choose = (id: string | null) => {
    setEditing(id);
    setFormKey((k) => k + 1);
  };
  const startAdd = () => choose(null);

  return (
    <section className="view view-split" aria-labelledby="providers-title">
      <div className="pane-list">
        <header className="view-header">
          <h1 id="providers-title">Providers</h1>
          <button type="button" className="btn btn-primary" onClick={startAdd}>
            Add provider
          </button>
        </header>
        {onlyManual && (
          <div className="callout callout-info" data-testid="no-provider-hint">
            {NO_PROVIDER_HINT}
          </div>
        )}
        {!loaded ? (
          <p className="muted pad">Loading providers…</p>
        ) : (
          <ProviderList providers={providers} selected={editable?.id ?? null} onSelect={choose} />
        )}
      </div>
      <div className="pane-detail">
        <ProviderForm key={formKey} existing={editable} onSaved={(id) => setEditing(id)} onRemoved={startAdd} />
      </div>
    </section>
  );
}
