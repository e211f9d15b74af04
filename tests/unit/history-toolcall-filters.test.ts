import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HistoryStore } from '../../electron/core/storage/history-store.js';
import { usageByServerAndDay } from '../../electron/core/sampling/usage.js';
import {
  appLabel,
  filterHistory,
  historyApps,
  historyTools,
  indexHistory,
  NO_FILTER,
} from '../../renderer/src/components/history/history-filter.js';
import type { HistoryEntry, SamplingHistoryEntry } from '../../shared/domain.js';
import type { ToolCallHistoryEntry } from '../../shared/toolcalls.js';
import { tempDir } from '../helpers/test-host.js';

function toolCall(id: string, app: string, serverName: string, tool: string, outcome: ToolCallHistoryEntry['outcome']): ToolCallHistoryEntry {
  return {
    kind: 'toolCall',
    id,
    app: { tokenId: `tok-${app}`, label: app === 'cursor' ? 'Cursor' : 'Laptop', name: app, version: '1.0' },
    serverName,
    tool,
    receivedAt: 1,
    decidedAt: 2,
    outcome,
    decision: 'policy',
    arguments: { path: `/data/${id}` },
    edits: [],
    durationMs: 3,
    resultBytes: 40,
  };
}

const sampling: SamplingHistoryEntry = {
  id: 's1',
  serverName: 'files',
  route: 'push',
  receivedAt: 1,
  decidedAt: 2,
  outcome: 'sent',
  originalParams: { messages: [{ role: 'user', content: { type: 'text', text: 'summarise' } }], maxTokens: 10 },
  edits: [],
  answerEdited: false,
  usage: { inputTokens: 5, outputTokens: 5 },
};

describe('History filters for gateway tool calls', () => {
  const history: HistoryEntry[] = [
    toolCall('t1', 'claude-code', 'files', 'read_file', 'sent'),
    toolCall('t2', 'cursor', 'files', 'write_file', 'rejected'),
    toolCall('t3', 'claude-code', 'web', 'fetch', 'denied'),
    toolCall('t4', 'claude-code', 'files', 'write_file', 'tool-error'),
    sampling,
  ];
  const index = indexHistory(history);
  const ids = (filter: Partial<typeof NO_FILTER>) => filterHistory(index, { ...NO_FILTER, ...filter }).map((e) => e.id);

  it('filters by app, server, tool, outcome and kind, combined', () => {
    assert.deepEqual(ids({ app: 'claude-code (Laptop)' }), ['t1', 't3', 't4']);
    assert.deepEqual(ids({ server: 'files' }), ['t1', 't2', 't4', 's1']);
    assert.deepEqual(ids({ tool: 'write_file' }), ['t2', 't4']);
    assert.deepEqual(ids({ outcome: 'denied' }), ['t3']);
    assert.deepEqual(ids({ outcome: 'sent' }), ['t1', 's1']);
    assert.deepEqual(ids({ kind: 'toolCall', server: 'files', app: 'claude-code (Laptop)' }), ['t1', 't4']);
    assert.deepEqual(ids({ kind: 'sampling' }), ['s1']);
    assert.deepEqual(ids({ needle: '/data/t2' }), ['t2'], 'arguments are searchable');
    assert.deepEqual(ids({ app: 'nobody' }), []);
  });

  it('offers each app and tool once, sorted; tools narrowed by server', () => {
    assert.deepEqual(historyApps(history), ['claude-code (Laptop)', 'cursor (Cursor)']);
    assert.deepEqual(historyTools(history), ['fetch', 'read_file', 'write_file']);
    assert.deepEqual(historyTools(history, 'web'), ['fetch']);
    assert.equal(appLabel({ tokenId: 'x', label: 'Claude', name: 'Claude' }), 'Claude');
  });

  it('tool calls share the history file with sampling decisions, and stay out of token usage', async () => {
    const dir = tempDir();
    const store = new HistoryStore(dir);
    await store.load();
    for (const entry of history) await store.append(entry);
    const again = new HistoryStore(dir);
    assert.equal(await again.load(), undefined);
    assert.deepEqual(again.list().map((e) => e.id), ['s1', 't4', 't3', 't2', 't1']);
    assert.equal(again.list()[1]?.kind, 'toolCall');
    const usage = usageByServerAndDay(again.list());
    assert.equal(usage.length, 1);
    assert.equal(usage[0]?.requests, 1, 'only the sampling entry counts as a request');
  });
});
