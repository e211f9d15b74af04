/**
 * The gateway end to end: real SDK clients (v1 and v2) as the calling apps, over Streamable HTTP
 * and through the stdio relay (where Sluice answers tool calls without the SDK server's request
 * machinery: relay-calls.ts), against real fixture servers of both eras behind Sluice. We assert what the apps receive and
 * what the servers received (the fixture log), and who is refused before any MCP processing.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CallToolResultSchema, ProgressNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { SluiceHost } from '../../electron/core/host.js';
import { startFakeLlm, type FakeLlm } from '../fixtures/fake-llm.js';
import { readFixtureLog } from '../fixtures/fixture-common.js';
import { FIXTURES_DIR, LEGACY_SERVER, MODERN_SERVER, tempLogFile } from '../fixtures/harness.js';
import { connectRelay, connectV1, connectV1Via, connectV2, gatewayUrl } from '../helpers/gateway-clients.js';
import { historyEntry, nextEvent, startTestHost, stdioFixture, tempDir, textOf, waitForState } from '../helpers/test-host.js';
import { eventually } from '../helpers/eventually.js';

const RICH = `${FIXTURES_DIR}/rich-server.ts`;
const GATEWAY_FIXTURE = `${FIXTURES_DIR}/gateway-server.ts`;

describe('gateway: one MCP server for other apps', () => {
  let host: SluiceHost;
  let llm: FakeLlm;
  let token: string;
  const log = tempLogFile('sluice-gateway-');
  const dataDir = tempDir();
  /** A v1 app over HTTP with the token, or launched through the relay (which finds the host by its data folder). */
  const connectVia = (via: 'http' | 'relay', name?: string) => connectV1Via(via, host, dataDir, token, name);

  before(async () => {
    llm = await startFakeLlm({ reply: { text: 'Gateway answer.' } });
    host = await startTestHost(dataDir);
    await host.invoke('providers:save', { kind: 'openai-compatible', name: 'Fake', baseUrl: llm.url, models: ['gpt-test'] });
    for (const definition of [
      stdioFixture('legacy', LEGACY_SERVER),
      stdioFixture('modern', MODERN_SERVER),
      stdioFixture('rich', RICH),
      stdioFixture('gw', GATEWAY_FIXTURE, { FIXTURE_LOG: log }),
    ]) {
      await host.invoke('servers:save', { definition });
    }
    for (const name of ['legacy', 'modern', 'rich', 'gw']) await waitForState(host, name, 'connected');
    token = (await host.invoke('gateway:createToken', { label: 'Test app' })).token;
  });
  after(async () => {
    await host.close();
    await llm.close();
  });

  for (const via of ['http', 'relay'] as const)
    it(`lists every server's tools as <server>__<tool>, resources with their URIs, prompts; v1 client over ${via}`, async () => {
      const client = await connectVia(via);
      try {
        const names = (await client.listTools()).tools.map((tool) => tool.name);
        for (const name of ['legacy__echo', 'legacy__ask_model', 'modern__ask_model', 'rich__add', 'rich__fail', 'gw__slow']) {
          assert.ok(names.includes(name), `${name} is listed (got ${names.join(', ')})`);
        }
        const add = (await client.listTools()).tools.find((tool) => tool.name === 'rich__add');
        assert.deepEqual(Object.keys((add?.outputSchema as { properties?: object })?.properties ?? {}), ['sum'], 'schemas pass unchanged');

        const sum = await client.callTool({ name: 'rich__add', arguments: { a: 2, b: 3 } });
        assert.deepEqual(sum.structuredContent, { sum: 5 });
        const failed = await client.callTool({ name: 'rich__fail', arguments: {} });
        assert.equal(failed.isError, true);
        assert.equal(textOf(failed as { content: Array<{ type: string }> }), 'Something went wrong on purpose.');

        const resources = (await client.listResources()).resources.map((resource) => resource.uri);
        assert.ok(resources.includes('note://readme'));
        const readme = await client.readResource({ uri: 'note://readme' });
        assert.equal((readme.contents[0] as { text: string }).text, 'Hello from the rich fixture.');
        const templates = (await client.listResourceTemplates()).resourceTemplates.map((template) => template.uriTemplate);
        assert.ok(templates.includes('note://notes/{id}'));
        const note = await client.readResource({ uri: 'note://notes/7' });
        assert.equal((note.contents[0] as { text: string }).text, 'Note number 7');

        const prompts = (await client.listPrompts()).prompts.map((prompt) => prompt.name);
        assert.ok(prompts.includes('rich__greet'));
        const greeting = await client.getPrompt({ name: 'rich__greet', arguments: { name: 'Ada' } });
        assert.match(JSON.stringify(greeting.messages), /Say hello to Ada/);
      } finally {
        await client.close();
      }
    });

  for (const via of ['http', 'relay'] as const)
    it(`keeps a server's JSON-RPC error code and message; an unknown tool is invalid params (${via})`, async () => {
      const client = await connectVia(via);
      try {
        await assert.rejects(client.getPrompt({ name: 'gw__fail_rpc' }), (error: { code?: number; message: string }) => {
          assert.equal(error.code, -32099);
          assert.match(error.message, /The fixture failed on purpose/);
          return true;
        });
        await assert.rejects(
          client.callTool({ name: 'nobody__nothing', arguments: {} }),
          (error: { code?: number }) => error.code === -32602,
        );
      } finally {
        await client.close();
      }
    });

  for (const server of ['legacy', 'modern'] as const) {
    it(`a ${server} server's sampling request is answered by Sluice's broker, naming the calling app`, async () => {
      await host.invoke('sampling:setPolicy', { serverName: server, policy: { policy: 'auto' } });
      const client = await connectV2(host, token, { name: 'Claude Code' });
      try {
        const history = nextEvent(host, 'history:added', (entry) => entry.serverName === server);
        const result = await client.callTool({ name: `${server}__ask_model`, arguments: { prompt: 'Hi from an app' } });
        const answer = JSON.parse(textOf(result)) as { content: unknown };
        assert.deepEqual(answer.content, { type: 'text', text: 'Gateway answer.' });
        // The event carries the row (the app by name); the recorded entry has the app as it introduced itself.
        const row = await history;
        assert.equal(row.app, 'Claude Code');
        const entry = await historyEntry(host, row.id);
        assert.deepEqual(entry.app, { name: 'Claude Code', version: '2.0.0' });
        assert.equal(entry.decision, 'auto');
        assert.equal(llm.requests.at(-1)?.body.messages.at(-1)?.content, 'Hi from an app', "the model got the server's prompt");
      } finally {
        await client.close();
        await host.invoke('sampling:setPolicy', { serverName: server, policy: undefined });
      }
    });
  }

  for (const via of ['http', 'relay'] as const)
    it(`the sampling dialog names the app and the tool call; the app's cancel closes it and reaches the server (${via})`, async () => {
      const client = await connectVia(via, 'Cursor');
      const controller = new AbortController();
      const call = client.callTool({ name: 'legacy__ask_model', arguments: { prompt: 'Wait for me' } }, undefined, {
        signal: controller.signal,
      });
      const request = await nextEvent(host, 'sampling:added', (pending) => pending.serverName === 'legacy');
      assert.deepEqual(request.toolCall, {
        name: 'ask_model',
        arguments: { prompt: 'Wait for me' },
        app: { name: 'Cursor', version: '1.2.3' },
      });
      const removed = nextEvent(host, 'sampling:removed', (removal) => removal.id === request.id);
      controller.abort();
      await assert.rejects(call);
      assert.equal((await removed).reason, 'cancelled');
      await client.close();
    });

  type Progress = { progress: number; total?: number; message?: string };
  /** An app that calls gw__slow with a signal and a progress callback: a v2 client over HTTP, or a v1 client through the relay. */
  const slowCallers = {
    'HTTP, v2 client': async () => {
      const client = await connectV2(host, token);
      const call = (signal: AbortSignal, onprogress: (update: Progress) => void) =>
        client.callTool({ name: 'gw__slow', arguments: { steps: 200 } }, { signal, onprogress });
      return { call, close: () => client.close() };
    },
    'relay, v1 client': async () => {
      const client = await connectRelay(dataDir, 'relay-progress');
      const call = (signal: AbortSignal, onprogress: (update: Progress) => void) =>
        client.callTool({ name: 'gw__slow', arguments: { steps: 200 } }, undefined, { signal, onprogress });
      return { call, close: () => client.close() };
    },
  };
  for (const [via, connect] of Object.entries(slowCallers)) {
    it(`progress reaches the app with its own token, and its cancel reaches the server (${via})`, async () => {
      const cancelledSlowCalls = () => readFixtureLog(log).filter((entry) => entry.tool === 'slow' && !entry.ok).length;
      const cancelledBefore = cancelledSlowCalls();
      const app = await connect();
      const controller = new AbortController();
      const progress: Progress[] = [];
      const call = app.call(controller.signal, (update) => {
        progress.push(update);
        if (progress.length === 3) controller.abort();
      });
      await assert.rejects(call);
      assert.deepEqual(progress.slice(0, 2), [
        { progress: 1, total: 200, message: 'step 1' },
        { progress: 2, total: 200, message: 'step 2' },
      ]);
      await eventually('the server to see the cancellation', () => cancelledSlowCalls() > cancelledBefore);
      await app.close();
    });
  }

  it('two apps using the same progress token on the same server at once each get only their own progress', async () => {
    // One through the relay, one over HTTP; both name their progress "same-token".
    const apps = await Promise.all([connectRelay(dataDir, 'first-app'), connectV1(host, token, 'second-app')]);
    try {
      const heard: Array<Array<{ progress: number; total?: number }>> = [[], []];
      apps.forEach((app, index) =>
        app.setNotificationHandler(ProgressNotificationSchema, (notification) => {
          assert.equal(notification.params.progressToken, 'same-token', 'the app gets its own token back');
          heard[index]!.push({ progress: notification.params.progress, total: notification.params.total });
        }),
      );
      const results = await Promise.all(
        apps.map((app, index) =>
          app.request(
            { method: 'tools/call', params: { name: 'gw__slow', arguments: { steps: 3 + index }, _meta: { progressToken: 'same-token' } } },
            CallToolResultSchema,
          ),
        ),
      );
      assert.deepEqual(
        results.map((result) => textOf(result as { content: Array<{ type: string }> })),
        ['finished 3', 'finished 4'],
      );
      assert.deepEqual(
        heard[0],
        [1, 2, 3].map((progress) => ({ progress, total: 3 })),
      );
      assert.deepEqual(
        heard[1],
        [1, 2, 3, 4].map((progress) => ({ progress, total: 4 })),
      );
    } finally {
      await Promise.all(apps.map((app) => app.close()));
    }
  });

  it('a 2026-07-28 client (v2, pinned) lists and calls through the same endpoint', async () => {
    const client = await connectV2(host, token, { modern: true, name: 'modern-app' });
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28');
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      assert.ok(names.includes('rich__echo'));
      const echoed = await client.callTool({ name: 'rich__echo', arguments: { text: 'modern hello' } });
      assert.equal(textOf(echoed as { content: Array<{ type: string }> }), 'modern hello');
    } finally {
      await client.close();
    }
  });

  it('sends list_changed to a connected app when a server is added, and lists its tools', async () => {
    const client = await connectV1(host, token);
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changed += 1;
    });
    try {
      // The standalone GET stream (where list_changed arrives) opens right after initialize.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await host.invoke('servers:save', { definition: stdioFixture('late', RICH) });
      await waitForState(host, 'late', 'connected');
      await eventually('tools/list_changed', () => changed > 0);
      assert.ok((await client.listTools()).tools.some((tool) => tool.name === 'late__echo'));
      // Hiding a server from the gateway takes its tools away, with another list_changed.
      const before = changed;
      await host.invoke('gateway:setServer', { name: 'late', exposed: false });
      await eventually('another tools/list_changed', () => changed > before);
      assert.ok(!(await client.listTools()).tools.some((tool) => tool.name === 'late__echo'));
      await assert.rejects(client.callTool({ name: 'late__echo', arguments: { text: 'x' } }));
    } finally {
      await client.close();
    }
  });

  it('shows the connected apps with their name, version and calls', async () => {
    const client = await connectV1(host, token, 'Windsurf');
    await client.callTool({ name: 'rich__echo', arguments: { text: 'count me' } });
    const status = await host.invoke('gateway:status', {});
    const app = status.apps.find((candidate) => candidate.name === 'Windsurf');
    assert.ok(app, 'the app is listed');
    assert.equal(app.version, '1.2.3');
    assert.equal(app.tokenLabel, 'Test app');
    assert.equal(app.calls, 1);
    // A well-behaved app ends its session (DELETE) when it quits.
    await (client.transport as unknown as { terminateSession(): Promise<void> }).terminateSession();
    await client.close();
    await eventually(
      'the app to leave the list',
      async () => !(await host.invoke('gateway:status', {})).apps.some((candidate) => candidate.name === 'Windsurf'),
    );
  });

  describe('who may connect', () => {
    const initialize = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'probe', version: '1' } },
    });
    function post(headers: Record<string, string>): Promise<{ status: number; body: string }> {
      const url = gatewayUrl(host);
      return new Promise((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: url.port,
            path: '/mcp',
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
          },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end(initialize);
      });
    }

    it('accepts the right token (the same request, as a control)', async () => {
      assert.equal((await post({ authorization: `Bearer ${token}` })).status, 200);
    });
    it('refuses a request without a token (401)', async () => {
      const response = await post({});
      assert.equal(response.status, 401);
      assert.match(response.body, /bearer token is required/);
    });
    it('refuses a wrong token (401)', async () => {
      assert.equal((await post({ authorization: `Bearer ${token}x` })).status, 401);
    });
    it('refuses a browser Origin even with the right token (403)', async () => {
      const response = await post({ authorization: `Bearer ${token}`, origin: 'http://evil.example' });
      assert.equal(response.status, 403);
      assert.match(response.body, /Origin/);
    });
    it('refuses a foreign Host (DNS rebinding) even with the right token (403)', async () => {
      const response = await post({ authorization: `Bearer ${token}`, host: `evil.example:${gatewayUrl(host).port}` });
      assert.equal(response.status, 403);
    });
    it('a revoked token is refused', async () => {
      const { token: other, id } = await host.invoke('gateway:createToken', { label: 'Short-lived' });
      assert.equal((await post({ authorization: `Bearer ${other}` })).status, 200);
      await host.invoke('gateway:revokeToken', { id });
      assert.equal((await post({ authorization: `Bearer ${other}` })).status, 401);
    });
  });
});
