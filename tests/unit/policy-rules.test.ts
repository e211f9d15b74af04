/** Policy decisions, the rate window and revocation of remembered approval, as pure functions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admit, PolicyStore, RateLimiter, revokeOnConfigChange } from '../../electron/core/sampling/policy.js';
import { HttpServerSchema, StdioServerSchema, type ServerSamplingPolicy } from '../../shared/domain.js';
import { tempDir } from '../helpers/test-host.js';

const base = { serverName: 'files', paused: false, withinRateLimit: () => true, tokensUsedToday: () => 0 };

describe('admission', () => {
  it('ask by default, auto when set, deny always', () => {
    assert.deepEqual(admit({ ...base, policy: { policy: 'ask' } }), { kind: 'ask' });
    assert.deepEqual(admit({ ...base, policy: { policy: 'auto' } }), { kind: 'auto' });
    const denied = admit({ ...base, policy: { policy: 'deny' } });
    assert.equal(denied.kind, 'refuse');
    assert.match(denied.kind === 'refuse' ? denied.message : '', /denied for files/);
  });

  it('the kill switch beats every policy and does not spend rate-limit slots', () => {
    let taken = 0;
    const result = admit({ ...base, paused: true, policy: { policy: 'auto' }, withinRateLimit: () => (taken += 1) > 0 });
    assert.deepEqual(result, { kind: 'refuse', message: 'Sampling is paused in Sluice (the kill switch is on)', fix: { kind: 'resume' } });
    assert.equal(taken, 0);
  });

  it('rate limit and daily budget refuse under any policy', () => {
    const limited = admit({ ...base, policy: { policy: 'ask', requestsPerMinute: 2 }, withinRateLimit: () => false });
    assert.match(limited.kind === 'refuse' ? limited.message : '', /Rate limit reached: files may send 2/);
    const spent = admit({ ...base, policy: { policy: 'auto', dailyTokenBudget: 100 }, tokensUsedToday: () => 100 });
    assert.match(spent.kind === 'refuse' ? spent.message : '', /used 100 of 100 tokens today/);
    assert.deepEqual(admit({ ...base, policy: { policy: 'auto', dailyTokenBudget: 100 }, tokensUsedToday: () => 99 }), { kind: 'auto' });
  });
});

describe('rate window', () => {
  it('allows N per sliding minute per server', () => {
    const limiter = new RateLimiter();
    const t = 1_000_000;
    assert.equal(limiter.tryTake('a', 2, t), true);
    assert.equal(limiter.tryTake('a', 2, t + 1), true);
    assert.equal(limiter.tryTake('a', 2, t + 2), false);
    assert.equal(limiter.tryTake('b', 2, t + 2), true, 'servers are counted apart');
    assert.equal(limiter.tryTake('a', 2, t + 60_001), true, 'the window slides');
    assert.equal(limiter.tryTake('a', undefined, t + 60_002), true, 'no limit');
  });
});

describe('revocation on config change', () => {
  const server = StdioServerSchema.parse({ name: 'files', type: 'stdio', command: 'npx', args: ['a'] });
  const auto: ServerSamplingPolicy = { policy: 'auto', maxTokens: 50 };

  it('a changed command, args, env, URL or headers revokes auto-approval and keeps the caps', () => {
    for (const changed of [
      { ...server, args: ['b'] },
      { ...server, command: 'node' },
      { ...server, env: { X: '1' } },
    ]) {
      const next = revokeOnConfigChange(server, changed, auto);
      assert.equal(next?.policy, 'ask');
      assert.equal(next?.maxTokens, 50);
      assert.match(next?.revokedNote ?? '', /files's configuration changed/);
    }
    const http = HttpServerSchema.parse({ name: 'r', type: 'http', url: 'https://a.example/mcp' });
    assert.equal(revokeOnConfigChange(http, { ...http, headers: { Authorization: 'x' } }, auto)?.policy, 'ask');
  });

  it('enabling, the era, or a new server keep the policy as it is', () => {
    assert.equal(revokeOnConfigChange(server, { ...server, enabled: false }, auto), auto);
    assert.equal(revokeOnConfigChange(server, { ...server, era: 'legacy' }, auto), auto);
    assert.equal(revokeOnConfigChange(undefined, server, auto), auto);
    const ask: ServerSamplingPolicy = { policy: 'ask' };
    assert.equal(revokeOnConfigChange(server, { ...server, args: ['b'] }, ask), ask);
  });

  it('the store follows renames and survives a restart', async () => {
    const dir = tempDir();
    const store = new PolicyStore(dir);
    await store.load();
    await store.setPolicy('files', auto);
    await store.setPaused(true);
    await store.onServerSaved(server, { ...server, name: 'docs' }, 'files');
    const reloaded = new PolicyStore(dir);
    await reloaded.load();
    assert.equal(reloaded.paused, true);
    assert.deepEqual(reloaded.policyFor('docs'), auto);
    assert.deepEqual(reloaded.policyFor('files'), { policy: 'ask' });
  });
});
