import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isToolShown,
  SHOW_EVERYTHING,
  shownSummary,
  toolMatches,
  withServerShown,
  withToolsShown,
} from '../../renderer/src/components/gateway/exposure.js';

const tools = [
  { name: 'read_note', description: 'Reads a note' },
  { name: 'write_note', description: 'Writes a NOTE to disk' },
  { name: 'mutate', title: 'Mutator' },
];

describe('per-app exposure edits (the "What each app sees" panel)', () => {
  it('hides and shows tools; an empty view is the default (everything shown)', () => {
    const hidden = withToolsShown(SHOW_EVERYTHING, 'notes', ['write_note', 'mutate'], false);
    assert.deepEqual(hidden, { hiddenServers: [], hiddenTools: { notes: ['mutate', 'write_note'] } });
    assert.equal(isToolShown(hidden, 'notes', 'write_note'), false);
    assert.equal(isToolShown(hidden, 'notes', 'read_note'), true);
    assert.equal(shownSummary(hidden, 'notes', tools), '1 of 3 tools');
    assert.deepEqual(withToolsShown(hidden, 'notes', ['write_note', 'mutate'], true), SHOW_EVERYTHING);
  });

  it('hiding a server hides all its tools; showing one of its tools shows the server again', () => {
    const noServer = withServerShown(SHOW_EVERYTHING, 'notes', false);
    assert.deepEqual(noServer.hiddenServers, ['notes']);
    assert.equal(isToolShown(noServer, 'notes', 'read_note'), false);
    assert.equal(shownSummary(noServer, 'notes', tools), 'hidden');
    const back = withToolsShown(noServer, 'notes', ['read_note'], true);
    assert.deepEqual(back.hiddenServers, []);
    assert.equal(shownSummary(back, 'notes', tools), 'all 3 tools');
    assert.deepEqual(
      withServerShown(withServerShown(noServer, 'notes', false), 'other', false).hiddenServers,
      ['notes', 'other'],
      'no duplicates',
    );
  });

  it('the search matches name, title or description, case-insensitively', () => {
    assert.deepEqual(
      tools.filter((tool) => toolMatches(tool, 'note')).map((tool) => tool.name),
      ['read_note', 'write_note'],
    );
    assert.deepEqual(
      tools.filter((tool) => toolMatches(tool, ' disk ')).map((tool) => tool.name),
      ['write_note'],
    );
    assert.deepEqual(
      tools.filter((tool) => toolMatches(tool, 'MUTATOR')).map((tool) => tool.name),
      ['mutate'],
    );
    assert.equal(tools.filter((tool) => toolMatches(tool, '')).length, 3);
  });
});
