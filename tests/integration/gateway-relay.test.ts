/**
 * The stdio relay: a real v1 SDK client launches it as a stdio server (as Claude Desktop would)
 * and reaches the host's gateway through it, found via the discovery file. Without a host it
 * either starts one (web mode, from the built dist/) or answers with the one-sentence error.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client as V2Client } from '@modelcontextprotocol/client';
import { StdioClientTransport as V2StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CreateMessageRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { SluiceHost } from '../../electron/core/host.js';
import { readDiscovery } from '../../electron/core/gateway/discovery.js';
import { NO_HOST_MESSAGE } from '../../electron/core/gateway/relay.js';
import { startFakeLlm, type FakeLlm } from '../fixtures/fake-llm.js';
import { childEnv, LEGACY_SERVER } from '../fixtures/harness.js';
import { eventually } from '../helpers/eventually.js';
import { RELAY_BUILT, RELAY_SOURCE, REPO_ROOT, relayTransport } from '../helpers/gateway-clients.js';
import { historyEntry, nextEvent, startTestHost, stdioFixture, tempDir, textOf, waitForState } from '../helpers/test-host.js';

describe('stdio relay to a running host', () => {
  let host: SluiceHost;
  let llm: FakeLlm;
  let dataDir: string;

  before(async () => {
    llm = await startFakeLlm({ reply: { text: 'Relayed answer.' } });
    dataDir = tempDir();
    host = await startTestHost(dataDir);
    await host.invoke('providers:save', { kind: 'openai-compatible', name: 'Fake', baseUrl: llm.url, models: ['gpt-test'] });
    await host.invoke('servers:save', { definition: stdioFixture('legacy', LEGACY_SERVER) });
    await waitForState(host, 'legacy', 'connected');
    await host.invoke('sampling:setPolicy', { serverName: 'legacy', policy: { policy: 'auto' } });
  });
  after(async () => {
    await host.close();
    await llm.close();
  });

  it('writes the discovery file with mode 0600', async () => {
    const discovery = await readDiscovery(dataDir);
    assert.equal(discovery?.port, host.gateway.listeningPort);
    const { statSync } = await import('node:fs');
    assert.equal(statSync(path.join(dataDir, 'gateway-endpoint.json')).mode & 0o777, 0o600);
  });

  it('lists and calls tools, a sampling request answered by the broker naming the app "via relay"', async () => {
    const client = new Client({ name: 'Claude Desktop', version: '0.9.0' });
    await client.connect(relayTransport(dataDir));
    try {
      assert.equal(client.getServerVersion()?.name, 'Sluice');
      assert.ok((await client.listTools()).tools.some((tool) => tool.name === 'legacy__ask_model'));
      const history = nextEvent(host, 'history:added');
      const result = await client.callTool({ name: 'legacy__ask_model', arguments: { prompt: 'Through the relay' } });
      assert.deepEqual((JSON.parse(textOf(result as { content: Array<{ type: string }> })) as { content: unknown }).content, {
        type: 'text',
        text: 'Relayed answer.',
      });
      // The event carries the row (the app by name); the recorded entry has the app as it introduced itself.
      const row = await history;
      assert.equal(row.app, 'Claude Desktop');
      assert.deepEqual((await historyEntry(host, row.id)).app, { name: 'Claude Desktop', version: '0.9.0' });
      const app = (await host.invoke('gateway:status', {})).apps.find((candidate) => candidate.name === 'Claude Desktop');
      assert.equal(app?.via, 'relay');

      let changed = 0;
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (changed += 1));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await host.invoke('servers:save', { definition: stdioFixture('second', LEGACY_SERVER) });
      await eventually('list_changed through the relay', () => changed > 0);
    } finally {
      await client.close();
    }
  });
  it('pass-through reaches an app behind the relay: it answers the sampling request itself', async () => {
    await host.invoke('gateway:setServer', { name: 'legacy', answer: 'app' });
    const client = new Client({ name: 'Relay Code', version: '1.0.0' }, { capabilities: { sampling: {} } });
    client.setRequestHandler(CreateMessageRequestSchema, () => ({
      model: 'app-model',
      role: 'assistant',
      content: { type: 'text', text: 'Answered behind the relay.' },
    }));
    await client.connect(relayTransport(dataDir));
    try {
      const result = await client.callTool({ name: 'legacy__ask_model', arguments: { prompt: 'Ask the app' } });
      const answer = JSON.parse(textOf(result as { content: Array<{ type: string }> })) as { model: string; content: unknown };
      assert.equal(answer.model, 'app-model');
      assert.deepEqual(answer.content, { type: 'text', text: 'Answered behind the relay.' });
    } finally {
      await client.close();
      await host.invoke('gateway:setServer', { name: 'legacy', answer: 'sluice' });
    }
  });

  it('serves an app that speaks 2026-07-28 over stdio (no initialize: it names itself on each request)', async () => {
    const client = new V2Client({ name: 'Future Desktop', version: '3.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
    await client.connect(
      new V2StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', RELAY_SOURCE, '--data-dir', dataDir],
        env: childEnv(),
        cwd: REPO_ROOT,
        stderr: 'pipe',
      }),
    );
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28');
      assert.ok((await client.listTools()).tools.some((tool) => tool.name === 'legacy__echo'));
      const result = await client.callTool({ name: 'legacy__echo', arguments: { text: 'from 2026' } });
      assert.equal(textOf(result as { content: Array<{ type: string }> }), 'from 2026');
      const app = (await host.invoke('gateway:status', {})).apps.find((candidate) => candidate.name === 'Future Desktop');
      assert.deepEqual([app?.version, app?.via], ['3.0.0', 'relay']);
    } finally {
      await client.close();
    }
  });
});

describe('stdio relay without a host', () => {
  it('answers the app with a one-sentence MCP error when it may not start one', async () => {
    const client = new Client({ name: 'Claude Desktop', version: '0.9.0' });
    await assert.rejects(client.connect(relayTransport(tempDir(), ['--no-start'])), (error: Error) => {
      assert.ok(error.message.includes(NO_HOST_MESSAGE), error.message);
      return true;
    });
    await client.close();
  });

  it(
    'starts web mode for the data folder and connects through it',
    { skip: existsSync(RELAY_BUILT) ? false : 'needs `npm run build` (dist/electron/mcp-stdio.cjs)' },
    async () => {
      const dataDir = tempDir();
      const client = new Client({ name: 'Claude Desktop', version: '0.9.0' });
      try {
        await client.connect(relayTransport(dataDir, [], true));
        assert.equal(client.getServerVersion()?.name, 'Sluice');
        assert.deepEqual((await client.listTools()).tools, []);
      } finally {
        await client.close();
        const started = await readDiscovery(dataDir);
        if (started) process.kill(started.pid, 'SIGTERM');
      }
    },
  );
});
