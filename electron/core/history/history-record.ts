/**
 * What the store writes for one entry, whatever its kind: the indexed columns (a HistoryRow), the
 * full request and answer JSON, the rest of the entry, and the text the search index gets.
 * The entry is `{ ...meta, ...request, ...answer }` again (entryOf), so nothing recorded is lost.
 */
import { isToolCallEntry, type HistoryEntry, type SamplingHistoryEntry } from '../../../shared/domain.js';
import { appLabel, HISTORY_SUMMARY_CHARS, type HistoryRow } from '../../../shared/history.js';
import { contentBlocks, type CreateMessageParams, type CreateMessageResult } from '../../../shared/mcp.js';
import type { ToolCallHistoryEntry } from '../../../shared/toolcalls.js';

export interface HistoryRecord {
  row: HistoryRow;
  receivedAt?: number;
  provider?: string;
  /** The server's JSON-RPC request id (what its logs print), as text. */
  mcpRequestId?: string;
  request: object;
  answer: object;
  /** Everything else needed to rebuild the entry for its details. */
  meta: object;
  /** Searchable text (words only matter; it is not stored, only indexed). */
  text: string;
}

/** Longest argument text a tool call's summary and search index take (arguments can be MBs). */
const TOOL_ARGUMENTS_TEXT = 64 * 1024;

function textOf(content: CreateMessageResult['content'] | undefined): string[] {
  if (!content) return [];
  return contentBlocks(content).flatMap((block) => (block.type === 'text' ? [block.text] : []));
}

function paramsText(params: CreateMessageParams | undefined): string[] {
  if (!params) return [];
  return [params.systemPrompt ?? '', ...params.messages.flatMap((message) => textOf(message.content))];
}

export function clip(text: string, max = HISTORY_SUMMARY_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export function samplingRecord(entry: SamplingHistoryEntry): HistoryRecord {
  const { originalParams, approvedParams, generated, sent, answerDiff, ...meta } = entry;
  const messages = paramsText(approvedParams ?? originalParams);
  const lastUserText = [...(approvedParams ?? originalParams).messages]
    .reverse()
    .flatMap((message) => textOf(message.content))
    .find((text) => text.trim() !== '');
  // The generated answer is indexed only when the user changed it before sending.
  const answerText = [...textOf(sent?.content), ...(entry.answerEdited || !sent ? textOf(generated?.content) : [])];
  const mcpRequestId = entry.mcpRequestId === undefined ? undefined : String(entry.mcpRequestId);
  return {
    row: {
      id: entry.id,
      kind: 'sampling',
      serverName: entry.serverName,
      // The app whose gateway tool call led to this request: the App filter finds it too.
      app: entry.app?.name,
      decidedAt: entry.decidedAt,
      outcome: entry.outcome,
      decision: entry.decision,
      model: entry.model?.model,
      inputTokens: entry.usage?.inputTokens,
      outputTokens: entry.usage?.outputTokens,
      costUsd: entry.costUsd,
      latencyMs: entry.latencyMs,
      edits: entry.edits.length + (entry.answerEdited ? 1 : 0),
      summary: clip(lastUserText ?? entry.detail ?? ''),
    },
    receivedAt: entry.receivedAt,
    provider: entry.model?.providerId,
    mcpRequestId,
    request: { originalParams, approvedParams },
    answer: { generated, sent, answerDiff },
    meta,
    text: [
      entry.serverName,
      entry.outcome,
      entry.model?.model ?? '',
      entry.detail ?? '',
      entry.app?.name ?? '',
      mcpRequestId ?? '',
      ...entry.edits,
      ...messages,
      ...(approvedParams ? paramsText(originalParams) : []),
      ...answerText,
    ].join('\n'),
  };
}

/** A tool call an app made through the gateway: the arguments are the request, the result's size the answer. */
export function toolCallRecord(entry: ToolCallHistoryEntry): HistoryRecord {
  const { arguments: args, originalArguments, resultBytes, ...meta } = entry;
  const app = appLabel(entry.app);
  const argumentsText = JSON.stringify(args).slice(0, TOOL_ARGUMENTS_TEXT);
  return {
    row: {
      id: entry.id,
      kind: 'toolCall',
      serverName: entry.serverName,
      app,
      tool: entry.tool,
      decidedAt: entry.decidedAt,
      outcome: entry.outcome,
      decision: entry.decision,
      latencyMs: entry.durationMs,
      edits: entry.edits.length,
      summary: clip(`${entry.tool} ${argumentsText}`),
    },
    receivedAt: entry.receivedAt,
    request: { arguments: args, originalArguments },
    answer: { resultBytes },
    meta,
    text: [
      entry.serverName,
      entry.tool,
      entry.outcome,
      app,
      entry.detail ?? '',
      argumentsText,
      ...entry.edits,
      // "answered by the app" finds the calls whose server requests went to the app (pass-through).
      ...(entry.answeredByApp ?? []).map((answered) => `${answered.method} answered by the app: ${answered.outcome}`),
    ].join('\n'),
  };
}

/** The record of an entry of any kind. */
export function recordOf(entry: HistoryEntry): HistoryRecord {
  return isToolCallEntry(entry) ? toolCallRecord(entry) : samplingRecord(entry);
}

/** Rebuilds an entry from its stored parts (the inverse of recordOf). */
export function entryOf(meta: unknown, request: unknown, answer: unknown): HistoryEntry {
  return { ...(meta as object), ...(request as object), ...(answer as object) } as HistoryEntry;
}
