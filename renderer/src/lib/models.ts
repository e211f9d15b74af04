/** The model picker's options: every configured provider's models, as `providerId::model`. */
import { MANUAL_PROVIDER_ID, type ModelRef, type ProviderView } from '../../../shared/domain';

export interface ModelOption {
  value: string;
  label: string;
  providerId: string;
  model: string;
}

export const MANUAL_LABEL = 'Manual · write the answer yourself';

export function modelKey(ref: ModelRef): string {
  return `${ref.providerId}::${ref.model}`;
}

export function parseModelKey(key: string): ModelRef {
  const at = key.indexOf('::');
  if (at < 0) return { providerId: key, model: key };
  return { providerId: key.slice(0, at), model: key.slice(at + 2) };
}

export function modelOptions(providers: ProviderView[]): ModelOption[] {
  const options: ModelOption[] = [];
  const manual = providers.find((p) => p.id === MANUAL_PROVIDER_ID);
  const manualModel = manual?.models[0] ?? MANUAL_PROVIDER_ID;
  options.push({
    value: modelKey({ providerId: MANUAL_PROVIDER_ID, model: manualModel }),
    label: MANUAL_LABEL,
    providerId: MANUAL_PROVIDER_ID,
    model: manualModel,
  });
  for (const provider of providers) {
    if (provider.id === MANUAL_PROVIDER_ID) continue;
    for (const model of provider.models) {
      options.push({
        value: modelKey({ providerId: provider.id, model }),
        label: `${provider.name} · ${model}`,
        providerId: provider.id,
        model,
      });
    }
  }
  // Configured models first, the manual choice last.
  const [first, ...rest] = options;
  return first ? [...rest, first] : rest;
}

/**
 * Maps a stored key onto an option: an exact match, else the manual option for any manual key.
 * Unknown keys (a provider removed since) are returned as an extra, clearly marked option.
 */
export function resolveModelOption(key: string, options: ModelOption[]): { value: string; extra?: ModelOption } {
  if (options.some((o) => o.value === key)) return { value: key };
  const ref = parseModelKey(key);
  if (ref.providerId === MANUAL_PROVIDER_ID) {
    const manual = options.find((o) => o.providerId === MANUAL_PROVIDER_ID);
    if (manual) return { value: manual.value };
  }
  return { value: key, extra: { value: key, label: `${ref.providerId} · ${ref.model} (not configured)`, ...ref } };
}

/**
 * How a model is named to the user: "provider name · model", never the provider's internal id
 * (a removed provider is said to be one).
 */
export function modelLabel(providers: readonly ProviderView[], ref: ModelRef): string {
  if (ref.providerId === MANUAL_PROVIDER_ID) return 'Manual (written by you)';
  const provider = providers.find((p) => p.id === ref.providerId);
  return `${provider?.name ?? 'a removed provider'} · ${ref.model}`;
}
