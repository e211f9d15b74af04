/**
 * Cost estimates and local days. The per-server daily tally itself is kept in SQL by the history
 * store (the usage_daily table, maintained by triggers: electron/core/history/history-db.ts).
 */
import type { ModelProfile, SamplingHistoryEntry } from '../../../shared/domain.js';

type Usage = SamplingHistoryEntry['usage'];

/** Estimated USD cost from the model's configured prices per 1M tokens; undefined without prices or usage. */
export function estimateCost(usage: Usage, profile: ModelProfile | undefined): number | undefined {
  if (!usage || !profile) return undefined;
  const { inputPricePerMTok: inPrice, outputPricePerMTok: outPrice } = profile;
  if (inPrice === undefined && outPrice === undefined) return undefined;
  return ((usage.inputTokens ?? 0) * (inPrice ?? 0) + (usage.outputTokens ?? 0) * (outPrice ?? 0)) / 1_000_000;
}

/** The local calendar day of a timestamp, `YYYY-MM-DD`. */
export function localDay(time: number): string {
  const date = new Date(time);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
