/**
 * Picks the model to preselect for a request from the server's `modelPreferences`: the spec says
 * hints are substrings of model names, to be tried in order. The user can always override.
 */
import type { ModelPreferences } from '../../../shared/mcp.js';

export interface ModelOption {
  providerId: string;
  providerName: string;
  model: string;
}

export interface ModelChoice {
  providerId: string;
  model: string;
  reason: string;
}

/** `options` must list real providers' models first and the manual provider last. */
export function chooseModel(preferences: ModelPreferences | undefined, options: readonly ModelOption[]): ModelChoice {
  const hints = (preferences?.hints ?? []).map((hint) => hint.name?.trim()).filter((name): name is string => Boolean(name));
  for (const hint of hints) {
    const match = options.find((option) => option.model.toLowerCase().includes(hint.toLowerCase()));
    if (match) {
      return { providerId: match.providerId, model: match.model, reason: `matches the server's hint "${hint}"` };
    }
  }
  const [first] = options;
  if (!first) throw new Error('No model options: the manual provider should always be present');
  const onlyManual = options.length === 1;
  const reason = onlyManual
    ? 'no model provider is configured, so you write the answer'
    : hints.length
      ? `no configured model matches the server's hints (${hints.join(', ')}); first configured model`
      : 'first configured model';
  return { providerId: first.providerId, model: first.model, reason };
}
