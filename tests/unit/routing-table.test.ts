/** Model routing from modelPreferences: a table of cases, each with the model chosen and why. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseModel, type ModelOption, type RoutingContext } from '../../electron/core/sampling/model-choice.js';
import type { ModelPreferences } from '../../shared/mcp.js';

const options: ModelOption[] = [
  { providerId: 'a', providerName: 'Anthropic', model: 'claude-sonnet-4-5', profile: { cost: 0.3, speed: 0.5, intelligence: 0.9 } },
  { providerId: 'a', providerName: 'Anthropic', model: 'claude-haiku-4-5', profile: { cost: 0.9, speed: 0.9, intelligence: 0.5 } },
  { providerId: 'o', providerName: 'OpenAI', model: 'gpt-4o-mini', profile: { cost: 0.95, speed: 0.8, intelligence: 0.4 } },
  { providerId: 'manual', providerName: 'Manual', model: 'manual' },
];

const cases: Array<{ name: string; prefs?: ModelPreferences; context?: RoutingContext; model: string; reason: RegExp }> = [
  {
    name: 'first matching hint wins, in order',
    prefs: { hints: [{ name: 'opus' }, { name: 'HAIKU' }, { name: 'gpt' }] },
    model: 'claude-haiku-4-5',
    reason: /hint "HAIKU"/,
  },
  {
    name: 'hints beat priorities',
    prefs: { hints: [{ name: 'sonnet' }], costPriority: 1 },
    model: 'claude-sonnet-4-5',
    reason: /hint "sonnet"/,
  },
  {
    name: 'intelligence priority picks the smartest',
    prefs: { intelligencePriority: 1 },
    model: 'claude-sonnet-4-5',
    reason: /priorities \(intelligence 1\): score 0.9/,
  },
  {
    name: 'cost priority picks the cheapest',
    prefs: { costPriority: 0.9, intelligencePriority: 0.1 },
    model: 'gpt-4o-mini',
    reason: /cost 0.9, intelligence 0.1/,
  },
  { name: 'speed and cost together', prefs: { speedPriority: 1, costPriority: 1 }, model: 'claude-haiku-4-5', reason: /speed 1/ },
  {
    name: 'unmatched hints fall through to priorities, saying so',
    prefs: { hints: [{ name: 'gemini' }], intelligencePriority: 0.8 },
    model: 'claude-sonnet-4-5',
    reason: /no configured model matches the server's hints \(gemini\); best fit/,
  },
  {
    name: 'the per-server default beats priorities but not hints',
    prefs: { intelligencePriority: 1 },
    context: { serverName: 'files', defaultModel: { providerId: 'o', model: 'gpt-4o-mini' } },
    model: 'gpt-4o-mini',
    reason: /your default model for files/,
  },
  {
    name: 'a hint still beats the default',
    prefs: { hints: [{ name: 'haiku' }] },
    context: { serverName: 'files', defaultModel: { providerId: 'o', model: 'gpt-4o-mini' } },
    model: 'claude-haiku-4-5',
    reason: /hint "haiku"/,
  },
  { name: 'no preferences: first configured model', model: 'claude-sonnet-4-5', reason: /^first configured model$/ },
  {
    name: 'allowed models restrict every step',
    prefs: { hints: [{ name: 'sonnet' }], intelligencePriority: 1 },
    context: { allowed: ['o::gpt-4o-mini'] },
    model: 'gpt-4o-mini',
    reason: /no configured model matches the server's hints \(sonnet\)/,
  },
  {
    name: 'nothing allowed: the manual provider, saying why',
    context: { serverName: 'files', allowed: ['x::y'] },
    model: 'manual',
    reason: /none of the configured models is allowed for files/,
  },
];

describe('routing table', () => {
  for (const entry of cases) {
    it(entry.name, () => {
      const choice = chooseModel(entry.prefs, options, entry.context);
      assert.equal(choice.model, entry.model, choice.reason);
      assert.match(choice.reason, entry.reason);
    });
  }

  it('unscored models: priorities cannot separate them and the reason says so', () => {
    const plain = options.map(({ profile: _profile, ...option }) => option);
    const choice = chooseModel({ speedPriority: 1 }, plain);
    assert.equal(choice.model, 'claude-sonnet-4-5');
    assert.match(choice.reason, /do not separate your models \(set their scores in Providers\)/);
  });

  it('only the manual provider: you write the answer', () => {
    assert.deepEqual(chooseModel({ hints: [{ name: 'x' }] }, options.slice(3)), {
      providerId: 'manual',
      model: 'manual',
      reason: 'no model provider is configured, so you write the answer',
    });
  });
});
