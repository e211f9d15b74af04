/** Small, pure formatting helpers shared by the views. */
import { plainError } from '../../../shared/error-text';

/** `65_000` → `1:05`; `3_725_000` → `1:02:05`. Negative values clamp to 0. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A short human duration: `850 ms`, `4.2 s`, `3 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  const sec = Math.floor((ms % 60_000) / 1000);
  return `${min} min ${sec} s`;
}

export function formatTime(epochMs: number): string {
  const date = new Date(epochMs);
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Pretty JSON that never throws (cycles, BigInt…). */
export function toJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Rough token estimate for streaming feedback (≈ 4 characters per token). */
export function approxTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.round(text.length / 4));
}

/** An error as a sentence for the user (codes such as `MCP error -32001` become words; shared/error-text.ts). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return plainError(error.message);
  if (typeof error === 'string') return plainError(error);
  return toJson(error);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
