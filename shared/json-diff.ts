/**
 * Readable differences between two JSON values, one line per changed leaf:
 * `path.to.key: "before" → "after"`, `key: added 1`, `key: removed (was true)`. Used for the
 * changed-tool-definition guard and for argument edits in the tool-call dialog and history.
 * Pure (the renderer loads it too).
 */
import { isPlainObject } from './json-value.js';

const MAX_LINES = 40;
const MAX_VALUE_CHARS = 200;

/** The value with object keys sorted at every level; `undefined` members dropped as JSON.stringify does. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeys(member);
    }
    return out;
  }
  return value;
}

export function jsonChanges(before: unknown, after: unknown, maxLines = MAX_LINES): string[] {
  const lines: string[] = [];
  diffValues(sortKeys(before), sortKeys(after), '', lines, maxLines);
  return lines.length > maxLines ? [...lines.slice(0, maxLines), `… and more changes`] : lines;
}

function diffValues(before: unknown, after: unknown, path: string, out: string[], maxLines: number): void {
  if (out.length > maxLines) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const at = path ? `${path}.${key}` : key;
      if (!(key in after)) out.push(`${at}: removed (was ${short(before[key])})`);
      else if (!(key in before)) out.push(`${at}: added ${short(after[key])}`);
      else diffValues(before[key], after[key], at, out, maxLines);
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push(`${path || '(value)'}: ${short(before)} → ${short(after)}`);
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}
