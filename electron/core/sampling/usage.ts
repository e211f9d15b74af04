/** Token and cost accounting over the history: daily budgets and the per-server usage table. */
import type { HistoryEntry, ModelProfile, UsageRow } from '../../../shared/domain.js';

type Usage = HistoryEntry['usage'];

/** Estimated USD cost from the model's configured prices per 1M tokens; undefined without prices or usage. */
export function estimateCost(usage: Usage, profile: ModelProfile | undefined): number | undefined {
  if (!usage || !profile) return undefined;
  const { inputPricePerMTok: inPrice, outputPricePerMTok: outPrice } = profile;
  if (inPrice === undefined && outPrice === undefined) return undefined;
  return ((usage.inputTokens ?? 0) * (inPrice ?? 0) + (usage.outputTokens ?? 0) * (outPrice ?? 0)) / 1_000_000;
}

const tokensOf = (usage: Usage) => (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0);

/** The local calendar day of a timestamp, `YYYY-MM-DD`. */
export function localDay(time: number): string {
  const date = new Date(time);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Tokens a server used on the local day of `now` (what its daily budget counts). */
export function tokensUsedOn(entries: readonly HistoryEntry[], serverName: string, now = Date.now()): number {
  const day = localDay(now);
  return entries
    .filter((entry) => entry.serverName === serverName && localDay(entry.decidedAt) === day)
    .reduce((sum, entry) => sum + tokensOf(entry.usage), 0);
}

/** Requests, tokens and cost per server per local day, newest day first. */
export function usageByServerAndDay(entries: readonly HistoryEntry[]): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const entry of entries) {
    const day = localDay(entry.decidedAt);
    const key = `${entry.serverName}\u0000${day}`;
    const row = rows.get(key) ?? { serverName: entry.serverName, day, requests: 0, sent: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    row.requests += 1;
    if (entry.outcome === 'sent') row.sent += 1;
    row.inputTokens += entry.usage?.inputTokens ?? 0;
    row.outputTokens += entry.usage?.outputTokens ?? 0;
    row.costUsd += entry.costUsd ?? 0;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => (a.day === b.day ? a.serverName.localeCompare(b.serverName) : b.day.localeCompare(a.day)));
}
