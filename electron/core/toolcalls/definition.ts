/**
 * The "rug pull" guard's two halves: a stable fingerprint of what a tool says it is (description,
 * input schema, annotations), and a readable list of what changed between two definitions.
 *
 * A server can change a tool after the user allowed it (a harmless "read file" that later also
 * uploads). The fingerprint is taken over canonical JSON (keys sorted) so that a server that merely
 * reorders keys is not reported as changed.
 */
import { createHash } from 'node:crypto';
import { TOOL_CALL_LIMITS, type ToolDefinitionSnapshot } from '../../../shared/toolcalls.js';

/** The parts of a tool the guard watches (the SDK's `Tool` fits). */
export interface ToolDefinition {
  name: string;
  description?: string;
  inputSchema: unknown;
  annotations?: Record<string, unknown>;
}

/** JSON with object keys sorted at every level; `undefined` members dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
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

function watched(tool: ToolDefinition) {
  return { description: tool.description ?? '', inputSchema: tool.inputSchema ?? {}, annotations: tool.annotations ?? {} };
}

export function fingerprint(tool: ToolDefinition): string {
  return createHash('sha256').update(canonicalJson(watched(tool))).digest('hex');
}

/** What the policy remembers when the user allows a tool; the parts are dropped when too large. */
export function snapshot(tool: ToolDefinition, at = Date.now()): ToolDefinitionSnapshot {
  const parts = watched(tool);
  const kept = canonicalJson(parts).length <= TOOL_CALL_LIMITS.snapshotChars;
  return kept
    ? { fingerprint: fingerprint(tool), description: parts.description, inputSchema: parts.inputSchema, annotations: parts.annotations, kept, at }
    : { fingerprint: fingerprint(tool), kept, at };
}

export function definitionChanged(allowed: ToolDefinitionSnapshot, tool: ToolDefinition): boolean {
  return allowed.fingerprint !== fingerprint(tool);
}

const MAX_CHANGE_LINES = 40;
const MAX_VALUE_CHARS = 200;

/**
 * What differs between the allowed definition and the current one, one line per changed leaf:
 * `description: "Reads a file" → "Reads a file and uploads it"`,
 * `inputSchema.properties.url: added {"type":"string"}`, `annotations.readOnlyHint: true → false`.
 */
export function describeChanges(allowed: ToolDefinitionSnapshot, tool: ToolDefinition): string[] {
  if (!definitionChanged(allowed, tool)) return [];
  if (!allowed.kept) return ['The definition changed (it was too large to keep a copy, so the details cannot be shown).'];
  const before = { description: allowed.description ?? '', inputSchema: allowed.inputSchema ?? {}, annotations: allowed.annotations ?? {} };
  const lines: string[] = [];
  diffValues(sortKeys(before), sortKeys(watched(tool)), '', lines);
  if (lines.length > MAX_CHANGE_LINES) {
    const more = lines.length - MAX_CHANGE_LINES;
    return [...lines.slice(0, MAX_CHANGE_LINES), `… and ${more} more change(s)`];
  }
  return lines;
}

/** Paths and values of JSON-argument edits, in the same notation (used for the history's edit list). */
export function describeValueChanges(before: unknown, after: unknown): string[] {
  const lines: string[] = [];
  diffValues(sortKeys(before), sortKeys(after), '', lines);
  return lines.length > MAX_CHANGE_LINES ? [...lines.slice(0, MAX_CHANGE_LINES), `… and ${lines.length - MAX_CHANGE_LINES} more change(s)`] : lines;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function diffValues(before: unknown, after: unknown, path: string, out: string[]): void {
  if (out.length > MAX_CHANGE_LINES) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) {
      const at = path ? `${path}.${key}` : key;
      if (!(key in after)) out.push(`${at}: removed (was ${short(before[key])})`);
      else if (!(key in before)) out.push(`${at}: added ${short(after[key])}`);
      else diffValues(before[key], after[key], at, out);
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push(`${path || '(value)'}: ${short(before)} → ${short(after)}`);
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}
