/**
 * Tool-call policies through the gateway, end to end: real SDK clients as the calling apps, a real
 * stdio fixture server behind Sluice with annotated tools. We assert what the app receives, what
 * the server received (the fixture log) and what the history recorded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { SluiceHost } from '../../electron/core/host.js';
import { isToolCallEntry } from '../../shared/domain.js';
import { readFixtureLog } from '../fixtures/fixture-common.js';
import { FIXTURES_DIR, tempLogFile } from '../fixtures/harness.js';
import { eventually } from '../helpers/eventually.js';
import { connectV1, connectV2 } from '../helpers/gateway-clients.js';
import { historyEntries, latestToolCall, nextEvent, startTestHost, stdioFixture, textOf, waitForState } from '../helpers/test-host.js';

const NOTES = `${FIXTURES_DIR}/toolcalls-server.ts`;
type Result = { content: Array<{ type: string; [key: string]: unknown }>; isError?: boolean };

describe('gateway tool calls: allow, ask, deny, edit', () => {
  let host: SluiceHost;
  let tokenA: { token: string; id: string };
  let tokenB: { token: string; id: string };
  const log = tempLogFile('sluice-toolcalls-');

  before(async () => {
    host = await startTestHost();
    await host.invoke('servers:save', { definition: stdioFixture('notes', NOTES, { FIXTURE_LOG: log }) });
    await waitForState(host, 'notes', 'connected');
    tokenA = await host.invoke('gateway:createToken', { label: 'Laptop' });
    tokenB = await host.invoke('gateway:createToken', { label: 'Cursor' });
  });
  after(async () => {
    await host.close();
  });

  const lastEntry = () => latestToolCall(host);

  it('allow (the default): the call goes through and is recorded as decided by the policy', async () => {
    const client = await connectV2(host, tokenA.token, { name: 'claude-code' });
    try {
      const result = (await client.callTool({ name: 'notes__write_note', arguments: { name: 'a', text: 'hello' } })) as Result;
      assert.equal(textOf(result), 'wrote a: hello');
      assert.equal(host.toolCalls.broker.size, 0, 'nobody was asked');
      const entry = await eventually('the history entry', async () => {
        const e = await lastEntry();
        return e?.tool === 'write_note' ? e : undefined;
      });
      assert.equal(entry.outcome, 'sent');
      assert.equal(entry.decision, 'policy');
      assert.equal(entry.app.name, 'claude-code');
      assert.equal(entry.app.label, 'Laptop');
      assert.ok(entry.resultBytes > 0);
    } finally {
      await client.close();
    }
  });

  it('"ask before tools that are not read-only": read-only passes; the other waits, is approved with edited arguments, and the server gets the edit', async () => {
    await host.invoke('toolCalls:setPreset', { serverName: 'notes', preset: 'ask-unless-read-only' });
    const client = await connectV2(host, tokenA.token, { name: 'claude-code' });
    try {
      const read = (await client.callTool({ name: 'notes__read_note', arguments: { name: 'a' } })) as Result;
      assert.equal(textOf(read), 'note a');

      const asked = nextEvent(host, 'toolCalls:added');
      const call = client.callTool({ name: 'notes__write_note', arguments: { name: 'b', text: 'as the agent wrote it' } });
      const pending = await asked;
      assert.equal(pending.tool.name, 'write_note');
      assert.equal(pending.serverName, 'notes');
      assert.equal(pending.app.name, 'claude-code');
      assert.equal(pending.reason, 'preset');
      assert.equal(pending.tool.annotations?.destructiveHint, true);
      assert.deepEqual(pending.arguments, { name: 'b', text: 'as the agent wrote it' });

      // Invalid edits are refused and the call keeps waiting.
      assert.deepEqual(
        (await host.invoke('toolCalls:validate', { id: pending.id, arguments: { name: 'b', text: 'x', copies: 9 } })).problems,
        ['copies: must be <= 5'],
      );
      await assert.rejects(
        host.invoke('toolCalls:respond', { id: pending.id, action: 'approve', arguments: { name: '', text: 'x' } }),
        /input schema/,
      );
      await host.invoke('toolCalls:respond', {
        id: pending.id,
        action: 'approve',
        arguments: { name: 'b', text: 'as the user edited it' },
      });

      assert.equal(textOf((await call) as Result), 'wrote b: as the user edited it');
      const received = readFixtureLog(log)
        .filter((line) => line.tool === 'write_note')
        .at(-1);
      assert.deepEqual(received?.ok && received.result, { name: 'b', text: 'as the user edited it' });
      const entry = await eventually('the history entry', async () => {
        const e = await lastEntry();
        return e?.decision === 'user' ? e : undefined;
      });
      assert.equal(entry.outcome, 'sent');
      assert.deepEqual(entry.originalArguments, { name: 'b', text: 'as the agent wrote it' });
      assert.deepEqual(entry.edits, ['text: "as the agent wrote it" → "as the user edited it"']);
    } finally {
      await client.close();
    }
  });

  it('ask → rejected: the app gets an isError result with the decline text, not a transport error', async () => {
    await host.invoke('toolCalls:setPreset', { serverName: 'notes', preset: 'ask-all' });
    const client = await connectV1(host, tokenA.token, 'cursor');
    try {
      const asked = nextEvent(host, 'toolCalls:added');
      const call = client.callTool({ name: 'notes__read_note', arguments: { name: 'c' } });
      await host.invoke('toolCalls:respond', { id: (await asked).id, action: 'reject', reason: 'Not that note' });
      const result = (await call) as Result;
      assert.equal(result.isError, true);
      assert.equal(textOf(result), 'The user declined this call to "read_note" in Sluice; it was not run. Their reason: Not that note');
      const entry = await eventually('the history entry', async () => {
        const e = await lastEntry();
        return e?.outcome === 'rejected' ? e : undefined;
      });
      assert.equal(entry.decision, 'user');
    } finally {
      await client.close();
    }
  });

  it('deny: refused at once with isError, and the server never sees the call', async () => {
    await host.invoke('toolCalls:setPreset', { serverName: 'notes', preset: 'allow-all' });
    await host.invoke('toolCalls:setToolRule', { serverName: 'notes', tool: 'write_note', rule: 'deny' });
    const before = readFixtureLog(log).length;
    const client = await connectV2(host, tokenA.token);
    try {
      const result = (await client.callTool({ name: 'notes__write_note', arguments: { name: 'd', text: 'x' } })) as Result;
      assert.equal(result.isError, true);
      assert.match(textOf(result), /settings do not allow calling the tool "write_note" of the server "notes"/);
      assert.equal(readFixtureLog(log).length, before);
      const entry = await eventually('the history entry', async () => {
        const e = await lastEntry();
        return e?.outcome === 'denied' ? e : undefined;
      });
      assert.equal(entry.decision, 'policy');
    } finally {
      await client.close();
      await host.invoke('toolCalls:setToolRule', { serverName: 'notes', tool: 'write_note' });
    }
  });

  it('a tool allowed by the user that changes its definition is asked about once, with what changed', async () => {
    await host.invoke('toolCalls:setPreset', { serverName: 'notes', preset: 'ask-all' });
    await host.invoke('toolCalls:setToolRule', { serverName: 'notes', tool: 'read_note', rule: 'allow' });
    await host.invoke('toolCalls:setToolRule', { serverName: 'notes', tool: 'mutate', rule: 'allow' });
    const client = await connectV2(host, tokenA.token);
    try {
      assert.equal(textOf((await client.callTool({ name: 'notes__read_note', arguments: { name: 'e' } })) as Result), 'note e');
      const changed = nextEvent(host, 'servers:listChanged', (event) => event.name === 'notes' && event.kind === 'tools');
      await client.callTool({ name: 'notes__mutate', arguments: {} });
      await changed;
      const table = await eventually('the changed definition in the tool table', async () => {
        const rows = await host.invoke('toolCalls:serverTools', { name: 'notes' });
        return rows.tools.some((row) => row.name === 'read_note' && row.changes) ? rows : undefined;
      });
      assert.equal(table.tools.find((row) => row.name === 'read_note')?.effective, 'allow');

      const asked = nextEvent(host, 'toolCalls:added');
      const call = client.callTool({ name: 'notes__read_note', arguments: { name: 'f' } });
      const pending = await asked;
      assert.equal(pending.reason, 'changed');
      assert.deepEqual(pending.changes, [
        'annotations.openWorldHint: false → true',
        'annotations.readOnlyHint: true → false',
        'description: "Reads a note" → "Reads a note and sends it to example.com"',
      ]);
      await host.invoke('toolCalls:respond', { id: pending.id, action: 'approve', arguments: pending.arguments });
      assert.equal(textOf((await call) as Result), 'note f');
      // Approving re-allowed the new definition: no dialog the next time.
      assert.equal(textOf((await client.callTool({ name: 'notes__read_note', arguments: { name: 'g' } })) as Result), 'note g');
      assert.equal(host.toolCalls.broker.size, 0);
    } finally {
      await client.close();
      await host.invoke('toolCalls:setPreset', { serverName: 'notes', preset: 'allow-all' });
    }
  });

  it('two apps send the identical call at once: each is approved or refused on its own', async () => {
    await host.invoke('toolCalls:setPreset', { serverName: 'notes', preset: 'ask-all' });
    const a = await connectV2(host, tokenA.token, { name: 'app-a' });
    const b = await connectV2(host, tokenB.token, { name: 'app-b' });
    try {
      const bothAsked = eventually('both calls in the queue', async () => {
        const pending = await host.invoke('toolCalls:list', {});
        return pending.length === 2 ? pending : undefined;
      });
      const args = { name: 'same', text: 'identical' };
      const callA = a.callTool({ name: 'notes__write_note', arguments: args });
      const callB = b.callTool({ name: 'notes__write_note', arguments: args });
      const pending = await bothAsked;
      const fromA = pending.find((call) => call.app.label === 'Laptop');
      const fromB = pending.find((call) => call.app.label === 'Cursor');
      assert.ok(fromA && fromB && fromA.id !== fromB.id);
      await host.invoke('toolCalls:respond', { id: fromB.id, action: 'reject', reason: 'B may not' });
      await host.invoke('toolCalls:respond', { id: fromA.id, action: 'approve', arguments: { name: 'same', text: 'from A, edited' } });
      const resultA = (await callA) as Result;
      const resultB = (await callB) as Result;
      assert.equal(textOf(resultA), 'wrote same: from A, edited');
      assert.equal(resultB.isError, true);
      assert.match(textOf(resultB), /Their reason: B may not/);
      const entries = await eventually('both history entries', async () => {
        const found = (await historyEntries(host))
          .filter(isToolCallEntry)
          .filter((entry) => entry.id === fromA.id || entry.id === fromB.id);
        return found.length === 2 ? found : undefined;
      });
      const entryA = entries.find((entry) => entry.id === fromA.id);
      const entryB = entries.find((entry) => entry.id === fromB.id);
      assert.deepEqual([entryA?.app.label, entryA?.outcome, entryA?.edits], ['Laptop', 'sent', ['text: "identical" → "from A, edited"']]);
      assert.deepEqual([entryB?.app.label, entryB?.outcome, entryB?.edits], ['Cursor', 'rejected', []]);
    } finally {
      await a.close();
      await b.close();
      await host.invoke('toolCalls:setPreset', { serverName: 'notes', preset: 'allow-all' });
    }
  });

  it('per-app exposure: two tokens, two tool lists; the app whose view changed hears list_changed', async () => {
    const a = await connectV2(host, tokenA.token, { name: 'app-a' });
    const b = await connectV1(host, tokenB.token, 'app-b');
    try {
      let bHeard = 0;
      let aHeard = 0;
      b.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        bHeard += 1;
      });
      a.setNotificationHandler('notifications/tools/list_changed', () => {
        aHeard += 1;
      });
      await host.invoke('toolCalls:setExposure', {
        tokenId: tokenB.id,
        exposure: { hiddenServers: [], hiddenTools: { notes: ['write_note'] } },
      });
      const names = async (client: { listTools(): Promise<{ tools: Array<{ name: string }> }> }) =>
        (await client.listTools()).tools.map((tool) => tool.name).sort();
      assert.deepEqual(await names(a), ['notes__mutate', 'notes__read_note', 'notes__write_note']);
      assert.deepEqual(await names(b), ['notes__mutate', 'notes__read_note']);
      await eventually('list_changed at app B', () => bHeard > 0);
      await assert.rejects(
        b.callTool({ name: 'notes__write_note', arguments: { name: 'h', text: 'x' } }),
        (error: { code?: number }) => error.code === -32602,
      );

      await host.invoke('toolCalls:setExposure', { tokenId: tokenB.id, exposure: { hiddenServers: ['notes'], hiddenTools: {} } });
      assert.deepEqual(await names(b), []);
      assert.equal((await names(a)).length, 3);
      // Sent to both apps at once if at all: by B's second notice, A would have had one too.
      await eventually('the second list_changed at app B', () => bHeard > 1);
      assert.equal(aHeard, 0, "app A's view did not change, so it is not told to re-list");
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("a revoked token's exposure is forgotten with it", async () => {
    const token = await host.invoke('gateway:createToken', { label: 'Short-lived' });
    await host.invoke('toolCalls:setExposure', { tokenId: token.id, exposure: { hiddenServers: ['notes'], hiddenTools: {} } });
    assert.ok(token.id in (await host.invoke('toolCalls:settings', {})).exposure);
    await host.invoke('gateway:revokeToken', { id: token.id });
    assert.equal(token.id in (await host.invoke('toolCalls:settings', {})).exposure, false);
  });
});
