/**
 * A stored API key cannot be redirected to another host, and concurrent provider saves cannot
 * drop one another.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ProviderRegistry } from '../../electron/core/providers/registry.js';
import { FileSecretStore } from '../../electron/core/storage/secret-store.js';
import { tempDir } from '../helpers/test-host.js';

async function registry(dir = tempDir()) {
  const secrets = new FileSecretStore(path.join(dir, 'secrets.json'));
  const providers = new ProviderRegistry(dir, secrets);
  await providers.load();
  return { providers, secrets, dir };
}

describe('provider keys and saves', () => {
  it('changing the base URL or the kind deletes the stored key unless a new one comes with it', async () => {
    const { providers, secrets } = await registry();
    const saved = await providers.save({ kind: 'openai', name: 'OpenAI', models: ['gpt'], apiKey: 'sk-secret' });
    assert.equal(saved.hasApiKey, true);
    // Same place, other fields changed: the key stays.
    assert.equal((await providers.save({ id: saved.id, kind: 'openai', name: 'Renamed', models: ['gpt', 'gpt-2'] })).hasApiKey, true);
    // A new base URL: the key must not follow it there.
    const moved = await providers.save({
      id: saved.id,
      kind: 'openai',
      name: 'Renamed',
      baseUrl: 'https://attacker.example/v1',
      models: ['gpt'],
    });
    assert.equal(moved.hasApiKey, false);
    assert.equal(await secrets.get(`provider:${saved.id}:apiKey`), undefined);
    // A new key given with the change is kept.
    const rekeyed = await providers.save({ id: saved.id, kind: 'anthropic', name: 'A', models: ['c'], apiKey: 'sk-new' });
    assert.equal(rekeyed.hasApiKey, true);
    assert.equal(await secrets.get(`provider:${saved.id}:apiKey`), 'sk-new');
    // Another kind (another official host): the key is deleted.
    assert.equal((await providers.save({ id: saved.id, kind: 'google', name: 'A', models: ['c'] })).hasApiKey, false);
  });

  it('concurrent saves and removals all land (no lost update)', async () => {
    const { providers, dir } = await registry();
    const first = await providers.save({ kind: 'openai-compatible', name: 'One', baseUrl: 'http://127.0.0.1:1/v1', models: ['a'] });
    await Promise.all([
      providers.save({ kind: 'openai-compatible', name: 'Two', baseUrl: 'http://127.0.0.1:2/v1', models: ['b'] }),
      providers.save({ kind: 'openai-compatible', name: 'Three', baseUrl: 'http://127.0.0.1:3/v1', models: ['c'] }),
      providers.remove(first.id),
    ]);
    const reread = (await registry(dir)).providers;
    assert.deepEqual((await reread.list()).map((provider) => provider.name).sort(), ['Manual', 'Three', 'Two']);
  });
});
