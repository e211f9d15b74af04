/**
 * The "rug pull" guard's two halves: a stable fingerprint of what a tool says it is (description,
 * input schema, annotations), and a readable list of what changed between two definitions.
 *
 * A server can change a tool after the user allowed it (a harmless "read file" that later also
 * uploads). The fingerprint is taken over canonical JSON (keys sorted) so that a server that merely
 * reorders keys is not reported as changed.
 */
import { createHash } from 'node:crypto';
import { jsonChanges, sortKeys } from '../../../shared/json-diff.js';
import { TOOL_CALL_LIMITS, type ToolDefinitionSnapshot } from '../../../shared/toolcalls.js';

/** The parts of a tool the guard watches (the SDK's `Tool` fits). */
export interface ToolDefinition {
  name: string;
  description?: string;
  inputSchema: unknown;
  annotations?: Record<string, unknown>;
}

/** JSON with object keys sorted at every level: key order never counts as a change. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function watched(tool: ToolDefinition) {
  return { description: tool.description ?? '', inputSchema: tool.inputSchema ?? {}, annotations: tool.annotations ?? {} };
}

export function fingerprint(tool: ToolDefinition): string {
  return createHash('sha256')
    .update(canonicalJson(watched(tool)))
    .digest('hex');
}

/** What the policy remembers when the user allows a tool; the parts are dropped when too large. */
export function snapshot(tool: ToolDefinition, at = Date.now()): ToolDefinitionSnapshot {
  const parts = watched(tool);
  const kept = canonicalJson(parts).length <= TOOL_CALL_LIMITS.snapshotChars;
  return kept
    ? {
        fingerprint: fingerprint(tool),
        description: parts.description,
        inputSchema: parts.inputSchema,
        annotations: parts.annotations,
        kept,
        at,
      }
    : { fingerprint: fingerprint(tool), kept, at };
}

export function definitionChanged(allowed: ToolDefinitionSnapshot, tool: ToolDefinition): boolean {
  return allowed.fingerprint !== fingerprint(tool);
}

/**
 * What differs between the allowed definition and the current one, one line per changed leaf:
 * `description: "Reads a file" → "Reads a file and uploads it"`,
 * `inputSchema.properties.url: added {"type":"string"}`, `annotations.readOnlyHint: true → false`.
 */
export function describeChanges(allowed: ToolDefinitionSnapshot, tool: ToolDefinition): string[] {
  if (!definitionChanged(allowed, tool)) return [];
  if (!allowed.kept) return ['The definition changed (it was too large to keep a copy, so the details cannot be shown).'];
  const before = { description: allowed.description ?? '', inputSchema: allowed.inputSchema ?? {}, annotations: allowed.annotations ?? {} };
  return jsonChanges(before, watched(tool));
}

/** Argument edits in the same notation (the history's edit list). */
export function describeValueChanges(before: unknown, after: unknown): string[] {
  return jsonChanges(before, after);
}
