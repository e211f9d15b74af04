/**
 * Gateway tool calls in the history database: stored next to sampling decisions, paged, filtered
 * by kind, app, server, tool and outcome, searched (arguments included), offered in the filter
 * menus, kept out of token usage, and given back exactly as recorded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HistoryStore } from '../../electron/core/history/history-store.js';
import { appLabel, type HistoryFilter } from '../../shared/history.js';
import type { HistoryEntry, SamplingHistoryEntry } from '../../shared/domain.js';
import type { ToolCallHistoryEntry } from '../../shared/toolcalls.js';
import { tempDir } from '../helpers/test-host.js';

function toolCall(
  id: string,
  app: string,
  serverName: string,
  tool: string,
  outcome: ToolCallHistoryEntry['outcome'],
  decidedAt: number,
): ToolCallHistoryEntry {
  return {
    kind: 'toolCall',
    id,
    app: { tokenId: `tok-${app}`, label: app === 'cursor' ? 'Cursor' : 'Laptop', name: app, version: '1.0' },
    serverName,
    tool,
    receivedAt: decidedAt - 1,
    decidedAt,
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
  decidedAt: 5,
  outcome: 'sent',
  mcpRequestId: 'req-77',
  originalParams: { messages: [{ role: 'user', content: { type: 'text', text: 'summarise' } }], maxTokens: 10 },
  edits: [],
  answerEdited: false,
  usage: { inputTokens: 5, outputTokens: 5 },
};

const history: HistoryEntry[] = [
  toolCall('t1', 'claude-code', 'files', 'read_file', 'sent', 1),
  toolCall('t2', 'cursor', 'files', 'write_file', 'rejected', 2),
  toolCall('t3', 'claude-code', 'web', 'fetch', 'denied', 3),
  {
    ...toolCall('t4', 'claude-code', 'files', 'write_file', 'tool-error', 4),
    originalArguments: { path: '/tmp/x' },
    edits: ['path: "/tmp/x" → "/data/t4"'],
  },
  sampling,
];

async function filled(dir = tempDir()): Promise<HistoryStore> {
  const store = HistoryStore.open(dir);
  await Promise.all(history.map((entry) => store.append(entry)));
  return store;
}

describe('History: gateway tool calls in the database', () => {
  it('filters by app, server, tool, outcome and kind, combined, and counts the same sets', async () => {
    const store = await filled();
    const ids = (filter: HistoryFilter) => store.page(filter, undefined, 50).rows.map((row) => row.id);
    assert.deepEqual(ids({ app: 'claude-code (Laptop)' }), ['t4', 't3', 't1']);
    assert.deepEqual(ids({ serverName: 'files' }), ['s1', 't4', 't2', 't1']);
    assert.deepEqual(ids({ tool: 'write_file' }), ['t4', 't2']);
    assert.deepEqual(ids({ outcome: 'denied' }), ['t3']);
    assert.deepEqual(ids({ outcome: 'sent' }), ['s1', 't1']);
    assert.deepEqual(ids({ kind: 'toolCall', serverName: 'files', app: 'claude-code (Laptop)' }), ['t4', 't1']);
    assert.deepEqual(ids({ app: 'cursor (Cursor)', tool: 'write_file' }), ['t2']);
    assert.deepEqual(ids({ kind: 'sampling' }), ['s1']);
    assert.deepEqual(ids({ app: 'nobody' }), []);
    assert.equal(store.count({ kind: 'toolCall', tool: 'write_file' }), 2);
    assert.equal(store.count({}), 5);
    store.close();
  });

  it('searches tool, app and arguments, and a sampling entry by its server request id', async () => {
    const store = await filled();
    const ids = (text: string) => store.page({ text }, undefined, 50).rows.map((row) => row.id);
    assert.deepEqual(ids('/data/t2'), ['t2'], 'arguments are searchable');
    assert.deepEqual(ids('write_file'), ['t4', 't2']);
    assert.deepEqual(ids('cursor'), ['t2']);
    assert.deepEqual(ids('req-77'), ['s1']);
    store.close();
  });

  it('shows a tool call as a row with its app and tool, and gives it back exactly as recorded', async () => {
    const store = await filled();
    const [row] = store.page({ kind: 'toolCall' }, undefined, 1).rows;
    assert.deepEqual(
      {
        kind: row?.kind,
        app: row?.app,
        tool: row?.tool,
        outcome: row?.outcome,
        edits: row?.edits,
        latency: row?.latencyMs,
        summary: row?.summary,
      },
      {
        kind: 'toolCall',
        app: 'claude-code (Laptop)',
        tool: 'write_file',
        outcome: 'tool-error',
        edits: 1,
        latency: 3,
        summary: 'write_file {"path":"/data/t4"}',
      },
    );
    assert.deepEqual(store.get('t4')?.entry, history[3]);
    assert.deepEqual(store.get('s1')?.entry, sampling, 'the request id comes back too');
    store.close();
  });

  it('offers each app and tool once, sorted; tools narrowed by server', async () => {
    const store = await filled();
    assert.deepEqual(store.facets().apps, ['claude-code (Laptop)', 'cursor (Cursor)']);
    assert.deepEqual(store.facets().tools, ['fetch', 'read_file', 'write_file']);
    assert.deepEqual(store.facets('web').tools, ['fetch']);
    assert.deepEqual(store.facets().servers, ['files', 'web']);
    assert.equal(appLabel({ label: 'Claude', name: 'Claude' }), 'Claude');
    store.close();
  });

  it('a call whose server requests the app answered (pass-through): searchable, and given back with what the app answered', async () => {
    const store = HistoryStore.open(tempDir());
    const passedThrough: ToolCallHistoryEntry = {
      ...toolCall('t5', 'vscode', 'files', 'summarise', 'sent', 5),
      answeredByApp: [
        { method: 'sampling/createMessage', outcome: 'answered (gpt-4o)' },
        { method: 'elicitation/create', mode: 'url', outcome: 'decline' },
        { method: 'roots/list', outcome: '2 roots' },
      ],
    };
    await store.append(toolCall('t1', 'claude-code', 'files', 'read_file', 'sent', 1));
    await store.append(passedThrough);
    const ids = (text: string) => store.page({ text }, undefined, 50).rows.map((row) => row.id);
    assert.deepEqual(ids('answered by the app'), ['t5']);
    assert.deepEqual(ids('roots/list'), ['t5']);
    assert.deepEqual(store.get('t5')?.entry, passedThrough);
    store.close();
  });

  it('tool calls survive a restart next to sampling decisions, and stay out of token usage', async () => {
    const dir = tempDir();
    (await filled(dir)).close();
    const again = HistoryStore.open(dir);
    assert.deepEqual(
      again.page({}, undefined, 50).rows.map((row) => row.id),
      ['s1', 't4', 't3', 't2', 't1'],
    );
    const usage = again.usage();
    assert.equal(usage.length, 1);
    assert.equal(usage[0]?.requests, 1, 'only the sampling entry counts as a request');
    again.close();
  });
});
