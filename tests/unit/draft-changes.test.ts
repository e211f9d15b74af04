/** The sampling dialog's "edited" tags and "Show changes": what the user changed vs what the server sent. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PendingSampling } from '../../shared/domain.js';
import type { CreateMessageParams } from '../../shared/mcp.js';
import { createDraft, draftMessage, messageEdited } from '../../renderer/src/lib/draft.js';
import { draftChanges, trimContext } from '../../renderer/src/lib/draft-changes.js';

const params: CreateMessageParams = {
  messages: [
    { role: 'user', content: { type: 'text', text: 'line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8' } },
    { role: 'assistant', content: { type: 'text', text: 'An answer' } },
    { role: 'user', content: { type: 'text', text: 'Follow-up' } },
  ],
  systemPrompt: 'Be terse.',
  maxTokens: 200,
  temperature: 0.7,
};

function draftOf(p: CreateMessageParams) {
  return createDraft({
    id: 'r1',
    serverName: 's',
    params: p,
    suggestedModel: { providerId: 'manual', model: 'manual' },
  } as unknown as PendingSampling);
}

describe('edited messages', () => {
  it('a message as the server sent it is not edited; a changed text or role is; an added one is', () => {
    const draft = draftOf(params);
    assert.deepEqual(draft.messages.map(messageEdited), [false, false, false]);
    const [first] = draft.messages;
    assert.ok(first);
    assert.equal(messageEdited({ ...first, blocks: [{ type: 'text', text: 'changed' }] }), true);
    assert.equal(messageEdited({ ...first, role: 'assistant' }), true);
    assert.equal(messageEdited(draftMessage({ role: 'user', content: { type: 'text', text: '' } })), true);
  });
});

describe('draftChanges', () => {
  it('lists nothing for an untouched request', () => {
    assert.deepEqual(draftChanges(params, draftOf(params)), []);
  });

  it('lists each edit: params, a changed line with context, a removed and an added message', () => {
    const draft = draftOf(params);
    const [first, , third] = draft.messages;
    assert.ok(first && third);
    draft.maxTokens = '64';
    draft.systemPrompt = 'Be very terse.';
    draft.messages = [
      { ...first, blocks: [{ type: 'text', text: 'line 1\nline 2\nline 3\nline 4\nline FIVE\nline 6\nline 7\nline 8' }] },
      { ...third, role: 'assistant' },
      draftMessage({ role: 'user', content: { type: 'text', text: 'New question' } }),
    ];
    const changes = draftChanges(params, draft);
    assert.deepEqual(
      changes.map((c) => [c.label, c.kind]),
      [
        ['System prompt', 'changed'],
        ['Max tokens', 'changed'],
        ['Message 2 (assistant) as sent by the server', 'removed'],
        ['Message 1 (user)', 'changed'],
        ['Message 2 (assistant)', 'changed'],
        ['Message 3 (user)', 'added'],
      ],
    );
    assert.deepEqual(changes[0]?.lines, ['- Be terse.', '+ Be very terse.']);
    assert.deepEqual(changes[1]?.lines, ['- 200', '+ 64']);
    // Two lines of context on each side; the rest is cut.
    assert.deepEqual(changes[3]?.lines, ['  …', '  line 3', '  line 4', '- line 5', '+ line FIVE', '  line 6', '  line 7', '  …']);
    assert.deepEqual(changes[4]?.lines, ['- role: user', '+ role: assistant']);
    assert.deepEqual(changes[5]?.lines, ['+ New question']);
  });

  it('clearing the temperature shows it as unset', () => {
    const draft = draftOf(params);
    draft.temperature = '';
    assert.deepEqual(draftChanges(params, draft), [{ label: 'Temperature', kind: 'changed', lines: ['- 0.7', '+ (unset)'] }]);
  });
});

describe('trimContext', () => {
  it('keeps every line near a change and merges the cut runs', () => {
    assert.deepEqual(trimContext(['  a', '  b', '  c', '- d', '+ D', '  e'], 1), ['  …', '  c', '- d', '+ D', '  e']);
    assert.deepEqual(trimContext(['  a', '  b'], 1), ['  …']);
  });
});
