/**
 * The model providers Sluice can talk to, each through its AI SDK package: what each needs (a key,
 * a base URL), how to build its language model, how to pass `metadata` where the API takes it,
 * and how "Test connection" asks it for its model list.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { z } from 'zod';
import { stopEvidenceExtractor } from './stop-sequence.js';
import type { ConfigurableProviderKind } from '../../../shared/domain.js';

export interface ProviderConnection {
  kind: ConfigurableProviderKind;
  name: string;
  /** Undefined: the official API's address. */
  baseUrl?: string;
  apiKey?: string;
}

export const DEFAULT_BASE_URLS: Record<Exclude<ConfigurableProviderKind, 'openai-compatible'>, string> = {
  anthropic: 'https://api.anthropic.com/v1',
  openai: 'https://api.openai.com/v1',
  google: 'https://generativelanguage.googleapis.com/v1beta',
};

/** The cloud APIs refuse every call without a key; local OpenAI-compatible servers usually need none. */
export function needsApiKey(kind: ConfigurableProviderKind): boolean {
  return kind !== 'openai-compatible';
}

export function baseUrlOf(connection: Pick<ProviderConnection, 'kind' | 'baseUrl'>): string {
  const url = connection.baseUrl ?? (connection.kind === 'openai-compatible' ? '' : DEFAULT_BASE_URLS[connection.kind]);
  return url.replace(/\/+$/, '');
}

export function languageModel(connection: ProviderConnection, model: string): LanguageModel {
  const baseURL = baseUrlOf(connection);
  switch (connection.kind) {
    case 'anthropic':
      return createAnthropic({ baseURL, apiKey: connection.apiKey ?? '' })(model);
    case 'openai':
      // Chat Completions: the API every OpenAI model (and most proxies) serves with streaming and tools.
      return createOpenAI({ baseURL, apiKey: connection.apiKey ?? '' }).chat(model);
    case 'google':
      return createGoogleGenerativeAI({ baseURL, apiKey: connection.apiKey ?? '' })(model);
    case 'openai-compatible':
      return createOpenAICompatible({
        name: 'sluice',
        baseURL,
        apiKey: connection.apiKey,
        includeUsage: true,
        metadataExtractor: stopEvidenceExtractor,
      }).chatModel(model);
  }
}

/**
 * The request's `metadata` where the provider's API has a place for it: OpenAI takes string
 * tags, Anthropic only a `user_id`. Gemini and generic OpenAI-compatible servers have none.
 */
export function metadataOptions(
  kind: ConfigurableProviderKind,
  metadata: Record<string, unknown> | undefined,
): Record<string, Record<string, unknown>> | undefined {
  if (!metadata || Object.keys(metadata).length === 0) return undefined;
  if (kind === 'openai') {
    const tags = Object.fromEntries(
      Object.entries(metadata).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
    );
    return { openai: { metadata: tags } };
  }
  if (kind === 'anthropic') {
    const userId = metadata.user_id ?? metadata.userId;
    return typeof userId === 'string' ? { anthropic: { metadata: { userId } } } : undefined;
  }
  return undefined;
}

export interface ConnectionTest {
  ok: boolean;
  message: string;
  models?: string[];
}

const OpenAiModels = z.object({ data: z.array(z.object({ id: z.string() })) });
const GeminiModels = z.object({ models: z.array(z.object({ name: z.string() })) });

/** "Test connection": lists the provider's models with the stored key, and says clearly what failed. */
export async function testConnection(connection: ProviderConnection): Promise<ConnectionTest> {
  const name = connection.name;
  if (needsApiKey(connection.kind) && !connection.apiKey) {
    return { ok: false, message: `${name} needs an API key: enter one, then test again.` };
  }
  const base = baseUrlOf(connection);
  const url = `${base}/models`;
  const headers: Record<string, string> = {};
  if (connection.kind === 'anthropic') {
    headers['x-api-key'] = connection.apiKey ?? '';
    headers['anthropic-version'] = '2023-06-01';
  } else if (connection.kind === 'google') {
    headers['x-goog-api-key'] = connection.apiKey ?? '';
  } else if (connection.apiKey) {
    headers.authorization = `Bearer ${connection.apiKey}`;
  }
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    const reason = (error as Error).name === 'TimeoutError' ? 'no answer within 10 s' : (cause?.message ?? (error as Error).message);
    return { ok: false, message: `Could not reach ${name} at ${url}: ${reason}` };
  }
  if (response.status === 401 || response.status === 403) {
    return { ok: false, message: `${name} rejected the API key (HTTP ${response.status}).` };
  }
  if (response.status === 400 && connection.kind === 'google') {
    // Gemini answers an invalid key with 400 INVALID_ARGUMENT "API key not valid".
    const text = await response.text().catch(() => '');
    if (/api key/i.test(text)) return { ok: false, message: `${name} rejected the API key (HTTP 400).` };
    return { ok: false, message: `${url} answered HTTP 400.` };
  }
  if (!response.ok) return { ok: false, message: `${url} answered HTTP ${response.status}.` };
  const json: unknown = await response.json().catch(() => undefined);
  if (connection.kind === 'google') {
    const body = GeminiModels.safeParse(json);
    if (!body.success) return { ok: true, message: `Connected to ${name}, but its model list was not in Gemini's format.` };
    const models = body.data.models.map((model) => model.name.replace(/^models\//, ''));
    return { ok: true, message: `Connected to ${name}: ${models.length} model(s) available.`, models };
  }
  const body = OpenAiModels.safeParse(json);
  if (!body.success) return { ok: true, message: `Connected to ${name}, but its model list was not in the expected format.` };
  const models = body.data.data.map((model) => model.id);
  return { ok: true, message: `Connected to ${name}: ${models.length} model(s) available.`, models };
}
