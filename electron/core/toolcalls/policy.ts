/**
 * Which tool calls go through, which are refused and which wait for the user: one pure function
 * over a server's policy and the tool as the server lists it now.
 *
 * Precedence: the tool's own rule wins over the server's preset (so "ask before every tool" with
 * one tool set to allow lets that tool through). An `allow` the user gave is tied to the definition
 * they saw: when the description, input schema or annotations change, the call is asked about once
 * (`changed`, with the differences), and approving it re-allows the new definition.
 */
import type { AskReason, ServerToolPolicy, ToolRule } from '../../../shared/toolcalls.js';
import { definitionChanged, describeChanges, type ToolDefinition } from './definition.js';

export type ToolCallVerdict =
  | { kind: 'allow'; by: 'rule' | 'preset' }
  | { kind: 'deny'; by: 'rule' | 'preset'; message: string }
  | { kind: 'ask'; reason: AskReason; changes?: string[] };

/** The annotation hints the read-only preset reads (the spec's defaults: not read-only). */
export function isReadOnly(tool: ToolDefinition): boolean {
  return tool.annotations?.readOnlyHint === true;
}

export function decideToolCall(serverName: string, policy: ServerToolPolicy, tool: ToolDefinition): ToolCallVerdict {
  const setting = policy.tools[tool.name];
  if (setting) {
    if (setting.rule === 'deny') return { kind: 'deny', by: 'rule', message: denyText(serverName, tool.name) };
    if (setting.rule === 'ask') return { kind: 'ask', reason: 'rule' };
    if (setting.allowed && definitionChanged(setting.allowed, tool)) {
      return { kind: 'ask', reason: 'changed', changes: describeChanges(setting.allowed, tool) };
    }
    return { kind: 'allow', by: 'rule' };
  }
  switch (policy.preset) {
    case 'allow-all':
      return { kind: 'allow', by: 'preset' };
    case 'ask-unless-read-only':
      return isReadOnly(tool) ? { kind: 'allow', by: 'preset' } : { kind: 'ask', reason: 'preset' };
    case 'ask-all':
      return { kind: 'ask', reason: 'preset' };
    case 'deny-all':
      return { kind: 'deny', by: 'preset', message: denyText(serverName, tool.name) };
  }
}

/** The effective rule for display in the tool table (without the changed-definition check). */
export function effectiveRule(policy: ServerToolPolicy, tool: ToolDefinition): ToolRule {
  const own = policy.tools[tool.name]?.rule;
  if (own) return own;
  switch (policy.preset) {
    case 'allow-all':
      return 'allow';
    case 'ask-unless-read-only':
      return isReadOnly(tool) ? 'allow' : 'ask';
    case 'ask-all':
      return 'ask';
    case 'deny-all':
      return 'deny';
  }
}

/** The text an app's agent reads when a rule refuses the call. */
export function denyText(serverName: string, toolName: string): string {
  return `The user's Sluice settings do not allow calling the tool "${toolName}" of the server "${serverName}". Do not retry this call; ask the user if you need it.`;
}

/** The text an app's agent reads when the user declines in the dialog. */
export function declineText(toolName: string, reason?: string): string {
  const because = reason?.trim() ? ` Their reason: ${reason.trim()}` : '';
  return `The user declined this call to "${toolName}" in Sluice; it was not run.${because}`;
}
