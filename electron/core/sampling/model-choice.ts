/**
 * Model routing: which configured model to preselect for a request, and why (the dialog shows the
 * reason; the user can always pick another). In order:
 *   1. the server's `modelPreferences.hints`, tried in order, each a case-insensitive substring of
 *      a configured model's name (as the spec says);
 *   2. the user's default model for this server;
 *   3. the server's cost / speed / intelligence priorities, weighed against the per-model scores the
 *      user edits in Providers (unset scores count as 0.5);
 *   4. the first configured model; the manual provider when no model is configured.
 * The user's own default beats the server's numeric priorities but not its named hints: a hint
 * names a model the server was written for, a priority is only a soft preference.
 */
import { MANUAL_PROVIDER_ID, type ModelProfile, type ModelRef } from '../../../shared/domain.js';
import type { ModelPreferences } from '../../../shared/mcp.js';

export interface ModelOption {
  providerId: string;
  providerName: string;
  model: string;
  profile?: ModelProfile;
}

export interface ModelChoice {
  providerId: string;
  model: string;
  reason: string;
}

export interface RoutingContext {
  serverName?: string;
  /** The user's default model for this server. */
  defaultModel?: ModelRef;
  /** Only these models (`providerId::model`) may be chosen; undefined or empty = any. */
  allowed?: readonly string[];
}

export const NEUTRAL_SCORE = 0.5;

export const modelRefKey = (ref: ModelRef) => `${ref.providerId}::${ref.model}`;

type Priority = 'cost' | 'speed' | 'intelligence';
const PRIORITIES: Array<[Priority, 'costPriority' | 'speedPriority' | 'intelligencePriority']> = [
  ['cost', 'costPriority'],
  ['speed', 'speedPriority'],
  ['intelligence', 'intelligencePriority'],
];

/** The weighted score of a model for the given priorities, 0..1. */
export function priorityScore(profile: ModelProfile | undefined, weights: Array<[Priority, number]>): number {
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  if (total === 0) return NEUTRAL_SCORE;
  return weights.reduce((sum, [name, weight]) => sum + weight * (profile?.[name] ?? NEUTRAL_SCORE), 0) / total;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** `options` must list real providers' models first and the manual provider last. */
export function chooseModel(
  preferences: ModelPreferences | undefined,
  options: readonly ModelOption[],
  context: RoutingContext = {},
): ModelChoice {
  const manual = options.find((option) => option.providerId === MANUAL_PROVIDER_ID);
  if (!manual) throw new Error('No model options: the manual provider should always be present');
  const configured = options.filter((option) => option.providerId !== MANUAL_PROVIDER_ID);
  const allowed = context.allowed?.length ? new Set(context.allowed) : undefined;
  const candidates = allowed ? configured.filter((option) => allowed.has(modelRefKey(option))) : configured;
  const pick = (option: ModelOption, reason: string): ModelChoice => ({ providerId: option.providerId, model: option.model, reason });

  if (candidates.length === 0) {
    const reason =
      configured.length === 0
        ? 'no model provider is configured, so you write the answer'
        : `none of the configured models is allowed for ${context.serverName ?? 'this server'}, so you write the answer`;
    return pick(manual, reason);
  }

  const hints = (preferences?.hints ?? []).map((hint) => hint.name?.trim()).filter((name): name is string => Boolean(name));
  for (const hint of hints) {
    const match = candidates.find((option) => option.model.toLowerCase().includes(hint.toLowerCase()));
    if (match) return pick(match, `matches the server's hint "${hint}"`);
  }
  const noHintMatch = hints.length ? `no configured model matches the server's hints (${hints.join(', ')}); ` : '';

  if (context.defaultModel) {
    const key = modelRefKey(context.defaultModel);
    const match = candidates.find((option) => modelRefKey(option) === key);
    if (match) return pick(match, `${noHintMatch}your default model for ${context.serverName ?? 'this server'}`);
  }

  const weights = PRIORITIES.map(([name, field]): [Priority, number] => [name, preferences?.[field] ?? 0]).filter(
    ([, weight]) => weight > 0,
  );
  if (weights.length > 0) {
    const scored = candidates.map((option) => ({ option, score: priorityScore(option.profile, weights) }));
    const best = scored.reduce((top, entry) => (entry.score > top.score ? entry : top));
    const described = weights.map(([name, weight]) => `${name} ${round(weight)}`).join(', ');
    if (scored.every((entry) => entry.score === best.score) && scored.length > 1) {
      return pick(
        best.option,
        `${noHintMatch}the server's priorities (${described}) do not separate your models (set their scores in Providers); first configured model`,
      );
    }
    return pick(best.option, `${noHintMatch}best fit for the server's priorities (${described}): score ${round(best.score)}`);
  }

  const [first] = candidates;
  return pick(first!, `${noHintMatch}first configured model`);
}
