import { MANUAL_PROVIDER_ID, type ProviderView } from '../../../../shared/domain';
import { KIND_LABELS } from './ProviderForm';

export function ProviderList({
  providers,
  selected,
  onSelect,
}: {
  providers: ProviderView[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const sorted = [...providers].sort((a, b) => Number(a.id === MANUAL_PROVIDER_ID) - Number(b.id === MANUAL_PROVIDER_ID));
  return (
    <ul className="provider-list">
      {sorted.map((p) => {
        const manual = p.id === MANUAL_PROVIDER_ID;
        return (
          <li key={p.id} className={`provider-item${selected === p.id ? ' is-selected' : ''}`} data-testid={`provider-${p.id}`}>
            <div className="provider-main">
              <div className="provider-line">
                <strong className="provider-name">{p.name}</strong>
                {manual ? (
                  <span className="chip">built-in</span>
                ) : (
                  <span className={`chip ${p.hasApiKey ? 'chip-ok' : p.needsApiKey ? 'chip-warn' : ''}`}>
                    {p.hasApiKey ? 'key set' : p.needsApiKey ? 'key needed' : 'no key'}
                  </span>
                )}
              </div>
              {manual ? (
                <p className="muted small">You write the answer yourself.</p>
              ) : (
                <>
                  <p className="small">
                    {p.kind !== 'openai-compatible' && <span className="chip">{KIND_LABELS[p.kind as keyof typeof KIND_LABELS]}</span>}{' '}
                    <code>{p.baseUrl ?? 'official API'}</code>
                  </p>
                  <p className="small muted provider-models">{p.models.join(', ')}</p>
                </>
              )}
            </div>
            {!manual && (
              <button type="button" className="btn btn-small" onClick={() => onSelect(p.id)} aria-pressed={selected === p.id}>
                Edit
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
