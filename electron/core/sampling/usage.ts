/** Token and cost accounting over the history: daily budgets and the per-server usage table. */
import { isSamplingEntry, type HistoryEntry, type ModelProfile, type SamplingHistoryEntry, type UsageRow } from '../../../shared/domain.js';

type Usage = SamplingHistoryEntry['usage'];

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

/**
 * Tokens each server used per local day (what its daily budget counts), kept current as entries
 * are recorded, so the budget check on every incoming request does not rescan the history.
 */
export class DailyTokens {
  private readonly byServerDay = new Map<string, number>();

  add(entry: HistoryEntry): void {
    if (!isSamplingEntry(entry)) return;
    const key = `${entry.serverName}\u0000${localDay(entry.decidedAt)}`;
    this.byServerDay.set(key, (this.byServerDay.get(key) ?? 0) + tokensOf(entry.usage));
  }

  usedOn(serverName: string, now = Date.now()): number {
    return this.byServerDay.get(`${serverName}\u0000${localDay(now)}`) ?? 0;
  }
}

/** Requests, tokens and cost per server per local day, newest day first. */
export function usageByServerAndDay(entries: readonly HistoryEntry[]): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const entry of entries) {
    // Tool calls from gateway apps use no model tokens; they have their own activity filters.
    if (!isSamplingEntry(entry)) continue;
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
