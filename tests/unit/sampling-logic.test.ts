import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseModel } from '../../electron/core/sampling/model-choice.js';
import { describeEdits } from '../../electron/core/sampling/param-edits.js';
import { toModelMessages, toStopReason } from '../../electron/core/providers/sampling-to-ai.js';
import { endedByStopSequence, stopEvidenceIn } from '../../electron/core/providers/stop-sequence.js';

const options = [
  { providerId: 'a', providerName: 'A', model: 'claude-sonnet-4' },
  { providerId: 'b', providerName: 'B', model: 'gpt-4o-mini' },
  { providerId: 'manual', providerName: 'Manual', model: 'manual' },
];

describe('model choice from modelPreferences', () => {
  it('tries hints in order as case-insensitive substrings', () => {
    const choice = chooseModel({ hints: [{ name: 'opus' }, { name: 'GPT-4o' }, { name: 'sonnet' }] }, options);
    assert.deepEqual(choice, { providerId: 'b', model: 'gpt-4o-mini', reason: 'matches the server\'s hint "GPT-4o"' });
  });

  it('falls back to the first configured model, saying why', () => {
    const choice = chooseModel({ hints: [{ name: 'gemini' }] }, options);
    assert.equal(choice.model, 'claude-sonnet-4');
    assert.match(choice.reason, /no configured model matches the server's hints \(gemini\)/);
  });

  it('uses the manual provider when nothing else is configured', () => {
    const choice = chooseModel(undefined, options.slice(2));
    assert.deepEqual(choice, { providerId: 'manual', model: 'manual', reason: 'no model provider is configured, so you write the answer' });
  });
});

describe('edit descriptions for the history', () => {
  it('lists every changed param and message', () => {
    const edits = describeEdits(
      {
        messages: [{ role: 'user', content: { type: 'text', text: 'a' } }],
        maxTokens: 100,
        systemPrompt: 'x',
      },
      {
        messages: [
          { role: 'user', content: { type: 'text', text: 'b' } },
          { role: 'user', content: { type: 'text', text: 'c' } },
        ],
        maxTokens: 50,
        systemPrompt: 'x',
        temperature: 0.1,
      },
    );
    assert.deepEqual(edits, ['maxTokens: 100 → 50', 'temperature: (unset) → 0.1', 'message 1: "a" → "b"', 'message 2 added (user): "c"']);
  });
});

describe('MCP sampling → AI SDK mapping', () => {
  it('maps text, images and audio; assistant turns as text', () => {
    const messages = toModelMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image', data: 'aGk=', mimeType: 'image/png' },
          { type: 'audio', data: 'aGk=', mimeType: 'audio/wav' },
        ],
      },
      { role: 'assistant', content: { type: 'text', text: 'seen' } },
    ]);
    assert.deepEqual(messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image', image: 'aGk=', mediaType: 'image/png' },
          { type: 'file', data: 'aGk=', mediaType: 'audio/wav' },
        ],
      },
      { role: 'assistant', content: 'seen' },
    ]);
  });

  it('maps finish reasons to MCP stop reasons', () => {
    assert.equal(toStopReason('stop'), 'endTurn');
    assert.equal(toStopReason('length'), 'maxTokens');
    assert.equal(toStopReason('tool-calls'), 'toolUse');
    assert.equal(toStopReason('stop', true), 'stopSequence');
    assert.equal(toStopReason('length', true), 'maxTokens', 'only a stop can be a stop sequence');
  });

  it('reads a stop-sequence finish from what each API reports', () => {
    assert.equal(endedByStopSequence('stop_sequence', undefined, undefined), true, "Anthropic's raw reason");
    assert.equal(endedByStopSequence('stop', { native: 'stop_sequence' }, undefined), true, "OpenRouter's native reason");
    assert.equal(endedByStopSequence('stop', { matched: 'END' }, ['END']), true, "vLLM's / SGLang's matched string");
    assert.equal(endedByStopSequence('stop', { matched: 'END' }, ['STOP']), false, "not one of the request's sequences");
    assert.equal(endedByStopSequence('stop', undefined, ['END']), false, 'a plain stop');
    assert.deepEqual(stopEvidenceIn({ choices: [{ finish_reason: 'stop', stop_reason: 'END' }] }), { matched: 'END', native: undefined });
    assert.deepEqual(
      stopEvidenceIn({ choices: [{ finish_reason: 'stop', matched_stop: 2 }] }),
      undefined,
      'a token id is not a stop sequence',
    );
    assert.equal(stopEvidenceIn({ choices: [] }), undefined);
    assert.equal(stopEvidenceIn({ choices: [{ stop_reason: 'x'.repeat(5_000) }] }), undefined, 'bounded');
  });
});
