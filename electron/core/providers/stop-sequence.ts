/**
 * Telling an answer ended by a stop sequence (MCP `stopReason: "stopSequence"`) from one that ended
 * on its own (`endTurn`). The AI SDK folds both into `stop`, so this reads what each API reports:
 *
 *  - Anthropic: `stop_reason: "stop_sequence"` (the SDK's raw finish reason).
 *  - OpenAI-compatible servers, in each choice beside `finish_reason: "stop"`:
 *      vLLM     `stop_reason`: the matched stop string (or token id; null at end of sequence),
 *      SGLang   `matched_stop`: the same,
 *      OpenRouter `native_finish_reason`: the upstream model's own reason (`stop_sequence` from Anthropic).
 *    These fields are not part of the OpenAI-compatible schema, so a metadata extractor picks them
 *    from the raw response and hands them on as provider metadata under `sluice`.
 *  - OpenAI, Gemini and Ollama report `stop` / `STOP` for both cases: there is nothing to read, and
 *    Sluice does not guess (the stop sequence is not in the text, so the text cannot tell either).
 *
 * A matched value counts only when it is one of the request's own stop sequences: a token id or
 * an end-of-sequence marker is not a stop sequence the server asked for.
 */
import type { MetadataExtractor } from '@ai-sdk/openai-compatible';

/** What the OpenAI-compatible response said about why it stopped, beyond `finish_reason`. */
export interface StopEvidence {
  /** vLLM's `stop_reason` or SGLang's `matched_stop`, when a string. */
  matched?: string;
  /** OpenRouter's `native_finish_reason`. */
  native?: string;
}

const METADATA_KEY = 'sluice';
/** Bounds what is kept from a server's response (it is compared, never shown). */
const MAX_EVIDENCE_CHARS = 1_000;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= MAX_EVIDENCE_CHARS ? value : undefined;
}

/** The evidence in one OpenAI-compatible response body or stream chunk (its first choice). */
export function stopEvidenceIn(body: unknown): StopEvidence | undefined {
  const choices = (body as { choices?: unknown } | null)?.choices;
  const choice = Array.isArray(choices) ? (choices[0] as Record<string, unknown> | undefined) : undefined;
  if (!choice || typeof choice !== 'object') return undefined;
  const matched = text(choice.stop_reason) ?? text(choice.matched_stop);
  const native = text(choice.native_finish_reason);
  return matched === undefined && native === undefined ? undefined : { matched, native };
}

function asMetadata(evidence: StopEvidence | undefined) {
  return evidence ? { [METADATA_KEY]: { ...evidence } } : undefined;
}

/** For `createOpenAICompatible({ metadataExtractor })`: carries the evidence to the finish step. */
export const stopEvidenceExtractor: MetadataExtractor = {
  extractMetadata: ({ parsedBody }) => Promise.resolve(asMetadata(stopEvidenceIn(parsedBody))),
  createStreamExtractor: () => {
    // The finishing chunk carries it; later chunks (usage only) must not erase it.
    let evidence: StopEvidence | undefined;
    return {
      processChunk: (chunk) => {
        evidence = stopEvidenceIn(chunk) ?? evidence;
      },
      buildMetadata: () => asMetadata(evidence),
    };
  },
};

/** The evidence back out of a finished step's provider metadata. */
export function stopEvidenceOf(providerMetadata: Record<string, Record<string, unknown>> | undefined): StopEvidence | undefined {
  const entry = providerMetadata?.[METADATA_KEY];
  if (!entry) return undefined;
  return { matched: text(entry.matched), native: text(entry.native) };
}

/** Whether the API said a stop sequence ended the answer. */
export function endedByStopSequence(
  rawFinishReason: string | undefined,
  evidence: StopEvidence | undefined,
  stopSequences: readonly string[] | undefined,
): boolean {
  if (rawFinishReason === 'stop_sequence' || evidence?.native === 'stop_sequence') return true;
  return evidence?.matched !== undefined && (stopSequences ?? []).includes(evidence.matched);
}
