/**
 * The configured model providers: persisted in providers.json (no secrets), with API keys in the
 * `SecretStore`. The built-in manual provider is always present, so Sluice works with no setup:
 * the user writes the answer.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { MANUAL_PROVIDER_ID, type ProviderInput, type ProviderView } from '../../../shared/domain.js';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file.js';
import type { SecretStore } from '../storage/secret-store.js';
import type { ModelRunner } from './model-runner.js';
import { OpenAICompatibleRunner } from './openai-compatible.js';

const StoredProviderSchema = z.object({
  id: z.string(),
  kind: z.literal('openai-compatible'),
  name: z.string(),
  baseUrl: z.string(),
  models: z.array(z.string()),
});
type StoredProvider = z.infer<typeof StoredProviderSchema>;
const FileSchema = z.object({ providers: z.array(StoredProviderSchema) });

export const MANUAL_MODEL = 'manual';

const manualView: ProviderView = {
  id: MANUAL_PROVIDER_ID,
  kind: 'manual',
  name: 'Manual',
  models: [MANUAL_MODEL],
  hasApiKey: false,
};

/** The manual provider: the answer is whatever the user types, so the draft starts empty. */
const manualRunner: ModelRunner = {
  async run() {
    return { result: { role: 'assistant', content: { type: 'text', text: '' }, model: MANUAL_MODEL, stopReason: 'endTurn' }, usage: {} };
  },
};

const secretKey = (id: string) => `provider:${id}:apiKey`;

export class ProviderRegistry {
  private providers: StoredProvider[] = [];
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly secrets: SecretStore,
  ) {
    this.file = path.join(dataDir, 'providers.json');
  }

  async load(): Promise<string | undefined> {
    const loaded = await readJsonFile(this.file, FileSchema, () => ({ providers: [] }));
    this.providers = loaded.value.providers;
    return loaded.notice;
  }

  async list(): Promise<ProviderView[]> {
    const views = await Promise.all(
      this.providers.map(async (provider) => ({
        ...provider,
        hasApiKey: (await this.secrets.get(secretKey(provider.id))) !== undefined,
      })),
    );
    return [...views, manualView];
  }

  /** Every selectable model, real providers first, in configuration order. */
  models(): Array<{ providerId: string; providerName: string; model: string }> {
    return [
      ...this.providers.flatMap((provider) =>
        provider.models.map((model) => ({ providerId: provider.id, providerName: provider.name, model })),
      ),
      { providerId: MANUAL_PROVIDER_ID, providerName: manualView.name, model: MANUAL_MODEL },
    ];
  }

  async save(input: ProviderInput): Promise<ProviderView> {
    const id = input.id ?? randomUUID();
    if (id === MANUAL_PROVIDER_ID) throw new Error('The manual provider cannot be changed');
    if (input.id && !this.providers.some((provider) => provider.id === input.id)) {
      throw new Error(`No provider with id ${input.id}`);
    }
    const stored: StoredProvider = { id, kind: input.kind, name: input.name, baseUrl: input.baseUrl, models: input.models };
    const next = input.id
      ? this.providers.map((provider) => (provider.id === id ? stored : provider))
      : [...this.providers, stored];
    if (input.apiKey === null) await this.secrets.delete(secretKey(id));
    else if (input.apiKey !== undefined && input.apiKey !== '') await this.secrets.set(secretKey(id), input.apiKey);
    await writeFileAtomic(this.file, `${JSON.stringify({ providers: next }, null, 2)}\n`);
    this.providers = next;
    const view = (await this.list()).find((provider) => provider.id === id);
    if (!view) throw new Error('Provider vanished while saving');
    return view;
  }

  async remove(id: string): Promise<void> {
    if (!this.providers.some((provider) => provider.id === id)) throw new Error(`No provider with id ${id}`);
    const next = this.providers.filter((provider) => provider.id !== id);
    await writeFileAtomic(this.file, `${JSON.stringify({ providers: next }, null, 2)}\n`);
    this.providers = next;
    await this.secrets.delete(secretKey(id));
  }

  async runner(providerId: string, model: string): Promise<{ runner: ModelRunner; providerName: string }> {
    if (providerId === MANUAL_PROVIDER_ID) return { runner: manualRunner, providerName: manualView.name };
    const provider = this.providers.find((candidate) => candidate.id === providerId);
    if (!provider) throw new Error(`The provider for model "${model}" is no longer configured`);
    const apiKey = await this.secrets.get(secretKey(provider.id));
    return {
      runner: new OpenAICompatibleRunner({ name: provider.name, baseUrl: provider.baseUrl, apiKey }),
      providerName: provider.name,
    };
  }

  /** "Test connection": lists the endpoint's models with the stored key. */
  async test(id: string): Promise<{ ok: boolean; message: string; models?: string[] }> {
    const provider = this.providers.find((candidate) => candidate.id === id);
    if (!provider) return { ok: false, message: `No provider with id ${id}` };
    const apiKey = await this.secrets.get(secretKey(id));
    const url = `${provider.baseUrl.replace(/\/+$/, '')}/models`;
    try {
      const response = await fetch(url, {
        headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {},
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status === 401 || response.status === 403) {
        return { ok: false, message: `${provider.name} rejected the API key (HTTP ${response.status}).` };
      }
      if (!response.ok) return { ok: false, message: `${url} answered HTTP ${response.status}.` };
      const body = z.object({ data: z.array(z.object({ id: z.string() })) }).safeParse(await response.json());
      if (!body.success) return { ok: true, message: `Connected to ${provider.name}, but its model list was not in the OpenAI format.` };
      const models = body.data.data.map((model) => model.id);
      return { ok: true, message: `Connected to ${provider.name}: ${models.length} model(s) available.`, models };
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause;
      return { ok: false, message: `Could not reach ${url}: ${cause?.message ?? (error as Error).message}` };
    }
  }
}
