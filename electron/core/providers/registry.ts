/**
 * The configured model providers: persisted in providers.json (no secrets), with API keys in the
 * `SecretStore`. The built-in manual provider is always present, so Sluice works with no setup:
 * the user writes the answer.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import {
  ConfigurableProviderKindSchema,
  MANUAL_PROVIDER_ID,
  ModelProfileSchema,
  type ModelProfile,
  type ProviderInput,
  type ProviderTestInput,
  type ProviderView,
} from '../../../shared/domain.js';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file.js';
import type { SecretStore } from '../storage/secret-store.js';
import { SerialQueue } from '../serial-queue.js';
import { AiSdkRunner } from './ai-runner.js';
import type { ModelRunner } from './model-runner.js';
import { needsApiKey, testConnection, type ConnectionTest } from './provider-kinds.js';

const StoredProviderSchema = z.object({
  id: z.string(),
  kind: ConfigurableProviderKindSchema,
  name: z.string(),
  baseUrl: z.string().optional(),
  models: z.array(z.string()),
  profiles: z.record(z.string(), ModelProfileSchema).optional(),
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
  run() {
    return Promise.resolve({
      result: { role: 'assistant', content: { type: 'text', text: '' }, model: MANUAL_MODEL, stopReason: 'endTurn' },
      usage: {},
    });
  },
};

const secretKey = (id: string) => `provider:${id}:apiKey`;

/** A cloud provider without a stored key: the UI offers "add a key". */
export class MissingApiKeyError extends Error {
  constructor(
    readonly providerId: string,
    providerName: string,
  ) {
    super(`${providerName} has no API key: add one in Providers.`);
  }
}

/** The model's provider was removed since the request was routed. */
export class UnknownProviderError extends Error {}

export interface ConfiguredModel {
  providerId: string;
  providerName: string;
  model: string;
  profile?: ModelProfile;
}

export class ProviderRegistry {
  private providers: StoredProvider[] = [];
  /** Runners by provider id, with the configuration they were made for (a change makes a new one). */
  private readonly runners = new Map<string, { config: string; runner: AiSdkRunner }>();
  private readonly file: string;
  /** Saves and removals run in order, each computing its list from the one before it. */
  private readonly writes = new SerialQueue();

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
        needsApiKey: needsApiKey(provider.kind),
      })),
    );
    return [...views, manualView];
  }

  /** Every selectable model, real providers first, in configuration order. */
  models(): ConfiguredModel[] {
    return [
      ...this.providers.flatMap((provider) =>
        provider.models.map((model) => ({
          providerId: provider.id,
          providerName: provider.name,
          model,
          profile: provider.profiles?.[model],
        })),
      ),
      { providerId: MANUAL_PROVIDER_ID, providerName: manualView.name, model: MANUAL_MODEL },
    ];
  }

  save(input: ProviderInput): Promise<ProviderView> {
    return this.writes.run(() => this.saveNow(input));
  }

  /**
   * A stored key is bound to where it is sent: changing the provider's kind or base URL deletes
   * it unless a new key comes with the change, so nothing can send a stored key to a new host.
   */
  private async saveNow(input: ProviderInput): Promise<ProviderView> {
    const id = input.id ?? randomUUID();
    if (id === MANUAL_PROVIDER_ID) throw new Error('The manual provider cannot be changed');
    if (input.id && !this.providers.some((provider) => provider.id === input.id)) {
      throw new Error(`No provider with id ${input.id}`);
    }
    const profiles = input.profiles
      ? Object.fromEntries(Object.entries(input.profiles).filter(([model]) => input.models.includes(model)))
      : undefined;
    const stored: StoredProvider = {
      id,
      kind: input.kind,
      name: input.name,
      ...(input.baseUrl !== undefined && { baseUrl: input.baseUrl }),
      models: input.models,
      ...(profiles && Object.keys(profiles).length > 0 && { profiles }),
    };
    const next = input.id ? this.providers.map((provider) => (provider.id === id ? stored : provider)) : [...this.providers, stored];
    const before = this.providers.find((provider) => provider.id === id);
    const redirected = before !== undefined && (before.kind !== stored.kind || (before.baseUrl ?? '') !== (stored.baseUrl ?? ''));
    const newKey = input.apiKey !== undefined && input.apiKey !== null && input.apiKey !== '' ? input.apiKey : undefined;
    if (newKey !== undefined) await this.secrets.set(secretKey(id), newKey);
    else if (input.apiKey === null || redirected) await this.secrets.delete(secretKey(id));
    await writeFileAtomic(this.file, `${JSON.stringify({ providers: next }, null, 2)}\n`, 0o600);
    this.providers = next;
    const view = (await this.list()).find((provider) => provider.id === id);
    if (!view) throw new Error('Provider vanished while saving');
    return view;
  }

  remove(id: string): Promise<void> {
    return this.writes.run(() => this.removeNow(id));
  }

  private async removeNow(id: string): Promise<void> {
    if (!this.providers.some((provider) => provider.id === id)) throw new Error(`No provider with id ${id}`);
    const next = this.providers.filter((provider) => provider.id !== id);
    await writeFileAtomic(this.file, `${JSON.stringify({ providers: next }, null, 2)}\n`, 0o600);
    this.providers = next;
    this.runners.delete(id);
    await this.secrets.delete(secretKey(id));
  }

  /** Price of a model per 1M tokens, if the user configured one. */
  profile(providerId: string, model: string): ModelProfile | undefined {
    return this.providers.find((provider) => provider.id === providerId)?.profiles?.[model];
  }

  providerName(providerId: string): string {
    if (providerId === MANUAL_PROVIDER_ID) return manualView.name;
    return this.providers.find((provider) => provider.id === providerId)?.name ?? providerId;
  }

  /** Whether the model can be called as configured (its provider exists and has the key it needs). */
  async readiness(providerId: string): Promise<{ ok: true } | { ok: false; error: Error }> {
    if (providerId === MANUAL_PROVIDER_ID) return { ok: true };
    const provider = this.providers.find((candidate) => candidate.id === providerId);
    if (!provider) return { ok: false, error: new UnknownProviderError(`Provider ${providerId} is no longer configured`) };
    if (needsApiKey(provider.kind) && !(await this.secrets.get(secretKey(provider.id)))) {
      return { ok: false, error: new MissingApiKeyError(provider.id, provider.name) };
    }
    return { ok: true };
  }

  async runner(providerId: string, model: string): Promise<{ runner: ModelRunner; providerName: string }> {
    if (providerId === MANUAL_PROVIDER_ID) return { runner: manualRunner, providerName: manualView.name };
    const provider = this.providers.find((candidate) => candidate.id === providerId);
    if (!provider) throw new UnknownProviderError(`The provider for model "${model}" is no longer configured`);
    const apiKey = await this.secrets.get(secretKey(provider.id));
    if (needsApiKey(provider.kind) && !apiKey) throw new MissingApiKeyError(provider.id, provider.name);
    // One runner per provider configuration, so its model clients are reused across requests.
    const config = JSON.stringify([provider.kind, provider.name, provider.baseUrl, apiKey]);
    let cached = this.runners.get(provider.id);
    if (cached?.config !== config) {
      cached = { config, runner: new AiSdkRunner({ kind: provider.kind, name: provider.name, baseUrl: provider.baseUrl, apiKey }) };
      this.runners.set(provider.id, cached);
    }
    return { runner: cached.runner, providerName: provider.name };
  }

  /** "Test connection": lists the provider's models with the stored key. */
  async test(id: string): Promise<ConnectionTest> {
    const provider = this.providers.find((candidate) => candidate.id === id);
    if (!provider) return { ok: false, message: `No provider with id ${id}` };
    const apiKey = await this.secrets.get(secretKey(id));
    return testConnection({ kind: provider.kind, name: provider.name, baseUrl: provider.baseUrl, apiKey });
  }

  /**
   * Tests the form's values without saving anything (a wrong key is reported, never stored). A
   * saved provider's stored key stands in when the form has no new one.
   */
  async testDraft(draft: ProviderTestInput): Promise<ConnectionTest> {
    const saved = draft.id ? this.providers.find((candidate) => candidate.id === draft.id) : undefined;
    const apiKey =
      draft.apiKey !== undefined && draft.apiKey !== '' ? draft.apiKey : saved ? await this.secrets.get(secretKey(saved.id)) : undefined;
    const name = draft.name?.trim() || saved?.name || 'The provider';
    return testConnection({ kind: draft.kind, name, baseUrl: draft.baseUrl, apiKey });
  }
}
