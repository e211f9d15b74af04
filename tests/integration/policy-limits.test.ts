/**
 * Per-server sampling policies against a real v1-SDK server: auto-approve within caps, deny, the
 * kill switch, rate limits and the daily budget (refused at once with an error naming the cause,
 * never queued), "no model allowed" and "no key" failures with their one-click fixes, and
 * revocation of auto-approval when the server's configuration changes.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SluiceHost } from '../../electron/core/host.js';
import type { ServerSamplingPolicy } from '../../shared/domain.js';
import { startFakeLlm, type FakeLlm } from '../fixtures/fake-llm.js';
import { LEGACY_SERVER } from '../fixtures/harness.js';
import { historyEntries, historyEntry, nextEvent, startTestHost, stdioFixture, textOf, waitForState } from '../helpers/test-host.js';

describe('sampling policies (legacy server over stdio)', () => {
  let host: SluiceHost;
  let llm: FakeLlm;
  let providerId: string;
  const ask = (prompt: string) => host.invoke('servers:callTool', { name: 'legacy', tool: 'ask_model', arguments: { prompt } });
  const setPolicy = (policy?: Partial<ServerSamplingPolicy>) =>
    host.invoke('sampling:setPolicy', { serverName: 'legacy', policy: policy ? { policy: 'ask', ...policy } : undefined });

  before(async () => {
    llm = await startFakeLlm({ reply: { text: 'Auto answer.' } });
    host = await startTestHost();
    providerId = (
      await host.invoke('providers:save', { kind: 'openai-compatible', name: 'Fake', baseUrl: llm.url, models: ['gpt-test', 'gpt-other'] })
    ).id;
    await host.invoke('servers:save', { definition: stdioFixture('legacy', LEGACY_SERVER) });
    await waitForState(host, 'legacy', 'connected');
  });
  after(async () => {
    await host.close();
    await llm.close();
  });
  beforeEach(async () => {
    await setPolicy(undefined);
    await host.invoke('sampling:setPaused', { paused: false });
  });

  // First: the one-minute window counts every request this server made, including the later tests'.
  it('beyond the rate limit a request is refused with an error, never queued', async () => {
    await setPolicy({ policy: 'ask', requestsPerMinute: 1 });
    const firstCall = ask('first');
    const first = await nextEvent(host, 'sampling:added');
    const refused = await ask('second');
    assert.match(
      textOf(refused),
      /^SAMPLING_ERROR -1 Sampling request refused: Rate limit reached: legacy may send 1 sampling request\(s\) per minute/,
    );
    assert.deepEqual(
      (await host.invoke('sampling:list', {})).map((request) => request.id),
      [first.id],
    );
    await host.invoke('sampling:reject', { id: first.id });
    await firstCall;
  });

  it('auto-approve answers without a dialog, within the max-tokens cap, and records who decided', async () => {
    await setPolicy({ policy: 'auto', maxTokens: 30 });
    let shown = 0;
    const stop = host.events.on('sampling:added', () => (shown += 1));
    const history = nextEvent(host, 'history:added');
    const result = JSON.parse(textOf(await ask('Auto please'))) as { content: unknown; model: string };
    stop();
    assert.equal(shown, 0, 'no dialog for an auto-approved request');
    assert.deepEqual(result.content, { type: 'text', text: 'Auto answer.' });
    assert.equal(result.model, 'gpt-test', 'the hint-matched model');
    assert.equal((llm.chatRequests().at(-1)?.body as { max_tokens: number }).max_tokens, 30);
    const entry = await historyEntry(host, (await history).id);
    assert.equal(entry.decision, 'auto');
    assert.equal(entry.outcome, 'sent');
    assert.ok(entry.edits.includes('maxTokens: 200 → 30'), entry.edits.join('; '));
  });

  it('deny and the kill switch refuse at once, naming the cause', async () => {
    await setPolicy({ policy: 'deny' });
    const problem = nextEvent(host, 'sampling:problem');
    assert.equal(
      textOf(await ask('Denied?')),
      "SAMPLING_ERROR -1 Sampling request refused: Sampling is denied for legacy by the user's policy",
    );
    assert.deepEqual((await problem).fix, { kind: 'open-policy', serverName: 'legacy' });

    await setPolicy(undefined);
    await host.invoke('sampling:setPaused', { paused: true });
    assert.equal((await host.invoke('sampling:settings', {})).paused, true);
    const paused = nextEvent(host, 'sampling:problem');
    assert.match(textOf(await ask('Paused?')), /^SAMPLING_ERROR -1 Sampling request refused: Sampling is paused in Sluice/);
    assert.deepEqual((await paused).fix, { kind: 'resume' });
    assert.deepEqual(await host.invoke('sampling:list', {}), []);
    const [entry] = await historyEntries(host, 1);
    assert.equal(entry?.decision, 'policy');
    assert.equal(entry?.outcome, 'rejected');
  });

  it('a used-up daily token budget refuses further requests', async () => {
    await setPolicy({ policy: 'auto' });
    await ask('spend some tokens');
    await setPolicy({ policy: 'auto', dailyTokenBudget: 1 });
    assert.match(textOf(await ask('over budget')), /Daily token budget used up: legacy used \d+ of 1 tokens today/);
  });

  it('auto-approve with no allowed model: the server hears why, the user gets "allow this model"', async () => {
    await setPolicy({ policy: 'auto', allowedModels: ['nowhere::nothing'] });
    const problem = nextEvent(host, 'sampling:problem');
    assert.match(
      textOf(await ask('Allowed?')),
      /^SAMPLING_ERROR -32603 Sampling request could not be served: No model is allowed for legacy/,
    );
    assert.deepEqual((await problem).fix, { kind: 'allow-model', serverName: 'legacy', model: { providerId, model: 'gpt-test' } });
    await setPolicy({ policy: 'auto', allowedModels: [`${providerId}::gpt-other`] });
    const allowed = JSON.parse(textOf(await ask('Allowed now?'))) as { model: string };
    assert.equal(allowed.model, 'gpt-other', 'only the allowed model is used');
  });

  it('auto-approve with a provider missing its key: "add a key"', async () => {
    const claude = await host.invoke('providers:save', { kind: 'anthropic', name: 'Claude', models: ['claude-sonnet-4-5'] });
    try {
      await setPolicy({
        policy: 'auto',
        defaultModel: { providerId: claude.id, model: 'claude-sonnet-4-5' },
        allowedModels: [`${claude.id}::claude-sonnet-4-5`],
      });
      const problem = nextEvent(host, 'sampling:problem');
      assert.match(textOf(await ask('Key?')), /Claude has no API key: add one in Providers/);
      assert.deepEqual((await problem).fix, { kind: 'add-key', providerId: claude.id });
    } finally {
      await host.invoke('providers:remove', { id: claude.id });
    }
  });

  it('approval remembered for a server is revoked when its configuration changes', async () => {
    await setPolicy({ policy: 'auto', maxTokens: 10 });
    const [status] = await host.invoke('servers:list', {});
    assert.ok(status);
    // Disabling and enabling is not a configuration change.
    await host.invoke('servers:save', { definition: { ...status.definition, enabled: true }, previousName: 'legacy' });
    assert.equal((await host.invoke('sampling:settings', {})).policies.legacy?.policy, 'auto');
    await waitForState(host, 'legacy', 'connected');
    // Another argument: perhaps another program. Auto-approval must not carry over.
    const definition =
      status.definition.type === 'stdio' ? { ...status.definition, args: [...status.definition.args, '--changed'] } : status.definition;
    await host.invoke('servers:save', { definition, previousName: 'legacy' });
    const policy = (await host.invoke('sampling:settings', {})).policies.legacy;
    assert.equal(policy?.policy, 'ask');
    assert.equal(policy?.maxTokens, 10, 'the caps are kept');
    assert.match(policy?.revokedNote ?? '', /configuration changed/);
    await host.invoke('servers:save', { definition: status.definition, previousName: 'legacy' });
    await waitForState(host, 'legacy', 'connected');
  });

  it('approve all / reject all pending from one server', async () => {
    llm.setReply({ text: 'Bulk answer.' });
    const calls = [ask('one'), ask('two'), ask('three')];
    for (let count = 0; count < 3;) {
      await nextEvent(host, 'sampling:added');
      count = (await host.invoke('sampling:list', {})).length;
    }
    const bulk = await host.invoke('sampling:approveAll', { serverName: 'legacy' });
    assert.deepEqual(bulk, { approved: 3, skipped: 0 });
    for (const call of calls) assert.equal((JSON.parse(textOf(await call)) as { content: { text: string } }).content.text, 'Bulk answer.');

    const more = [ask('four'), ask('five')];
    for (let count = 0; count < 2;) {
      await nextEvent(host, 'sampling:added');
      count = (await host.invoke('sampling:list', {})).length;
    }
    assert.deepEqual(await host.invoke('sampling:rejectAll', { serverName: 'legacy', reason: 'not now' }), { rejected: 2 });
    for (const call of more) assert.equal(textOf(await call), 'SAMPLING_ERROR -1 User rejected sampling request');
  });
});
