/**
 * Gateway calls that need more than a request and its answer: a server's log messages, its
 * elicitation and roots requests (answered in Sluice while the call comes from an app), sampling
 * passed through to an app that can answer it, a server that restarts under a call, and
 * list_changed reaching only the app whose view changed. Real SDK clients are the apps; real
 * fixture servers of both eras sit behind Sluice. We assert what the apps receive and what the
 * servers received.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  CreateMessageRequestSchema,
  LoggingMessageNotificationSchema,
  ToolListChangedNotificationSchema,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import type { SluiceHost } from '../../electron/core/host.js';
import { EVERY_FIELD_ANSWER } from '../fixtures/elicit-common.js';
import { startFakeLlm, type FakeLlm } from '../fixtures/fake-llm.js';
import { readFixtureLog } from '../fixtures/fixture-common.js';
import { FIXTURES_DIR, LEGACY_SERVER, tempLogFile } from '../fixtures/harness.js';
import { eventually } from '../helpers/eventually.js';
import { connectV1, connectV2 } from '../helpers/gateway-clients.js';
import { nextEvent, startTestHost, stdioFixture, tempDir, textOf, waitForState } from '../helpers/test-host.js';

const GATEWAY_FIXTURE = `${FIXTURES_DIR}/gateway-server.ts`;
const RICH = `${FIXTURES_DIR}/rich-server.ts`;
const ELICIT = { legacy: `${FIXTURES_DIR}/elicit-legacy-server.ts`, modern: `${FIXTURES_DIR}/elicit-modern-server.ts` } as const;
type Result = { content: Array<{ type: string; [key: string]: unknown }>; isError?: boolean };

/** The GET stream on which a 2025 session's list_changed arrive opens just after initialize. */
const standaloneStreamOpen = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('gateway: what happens during a call', () => {
  let host: SluiceHost;
  let llm: FakeLlm;
  let token: { token: string; id: string };
  const elicitLog = tempLogFile('sluice-gateway-elicit-');

  before(async () => {
    llm = await startFakeLlm({ reply: { text: 'Answered in Sluice.' } });
    host = await startTestHost();
    await host.invoke('providers:save', { kind: 'openai-compatible', name: 'Fake', baseUrl: llm.url, models: ['gpt-test'] });
    for (const definition of [
      stdioFixture('gw', GATEWAY_FIXTURE),
      stdioFixture('elicit-legacy', ELICIT.legacy, { FIXTURE_LOG: elicitLog }),
      stdioFixture('elicit-modern', ELICIT.modern, { FIXTURE_LOG: elicitLog }),
      stdioFixture('passthru', LEGACY_SERVER),
    ]) {
      await host.invoke('servers:save', { definition });
    }
    for (const name of ['gw', 'elicit-legacy', 'elicit-modern', 'passthru']) await waitForState(host, name, 'connected');
    token = await host.invoke('gateway:createToken', { label: 'Calls' });
  });
  after(async () => {
    await host.close();
    await llm.close();
  });

  describe('server logs', () => {
    it('reach the app during its call, at the level the app set with logging/setLevel, named after the server', async () => {
      const picky = await connectV1(host, token.token, 'picky-app');
      const curious = await connectV1(host, token.token, 'curious-app');
      try {
        const heard = { picky: [] as LoggingMessageNotification['params'][], curious: [] as LoggingMessageNotification['params'][] };
        picky.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void heard.picky.push(notification.params));
        curious.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void heard.curious.push(notification.params));
        await picky.setLoggingLevel('warning');

        assert.equal(textOf((await picky.callTool({ name: 'gw__chatty', arguments: {} })) as Result), 'said it all');
        assert.deepEqual(heard.picky, [
          { level: 'warning', logger: 'gw/worker', data: 'warning from the fixture' },
          { level: 'error', logger: 'gw/worker', data: 'error from the fixture' },
        ]);
        assert.equal(heard.curious.length, 0, 'an app with no call to the server hears none of its logs');

        // An app that never set a level gets everything the server sends.
        await curious.callTool({ name: 'gw__chatty', arguments: {} });
        assert.deepEqual(
          heard.curious.map((message) => message.level),
          ['debug', 'info', 'warning', 'error'],
        );
        assert.equal(heard.picky.length, 2, 'the other app heard nothing of this call');
      } finally {
        await picky.close();
        await curious.close();
      }
    });
  });

  for (const era of ['legacy', 'modern'] as const) {
    describe(`a ${era} server's requests during an app's call`, () => {
      it('elicitation goes to the user in Sluice, naming the app and the call; the form answer reaches the server and the app gets the result', async () => {
        const client = await connectV2(host, token.token, { name: 'Claude Code' });
        try {
          const asked = nextEvent(host, 'elicitation:added', (request) => request.serverName === `elicit-${era}`);
          const call = client.callTool({ name: `elicit-${era}__ask_form`, arguments: {} });
          const request = await asked;
          assert.equal(request.toolCall?.name, 'ask_form');
          assert.deepEqual(request.toolCall?.app, { name: 'Claude Code', version: '2.0.0' });
          await host.invoke('elicitation:respond', { id: request.id, action: 'accept', content: EVERY_FIELD_ANSWER });
          const answer = JSON.parse(textOf(await call)) as { action: string; content: Record<string, unknown> };
          assert.equal(answer.action, 'accept');
          assert.deepEqual(answer.content, EVERY_FIELD_ANSWER);
          const received = readFixtureLog(elicitLog)
            .filter((line) => line.tool === 'ask_form' && line.era === era)
            .at(-1);
          assert.ok(received?.ok, 'the server got an answer');
          assert.deepEqual((received.result as { content?: unknown }).content, EVERY_FIELD_ANSWER, 'the server got the form as filled in');
        } finally {
          await client.close();
        }
      });

      it("roots/list is answered from Sluice's roots for that server", async () => {
        const folder = tempDir('sluice-gateway-root-');
        await host.invoke('roots:setServer', { name: `elicit-${era}`, roots: [{ path: folder, name: 'Project' }] });
        const client = await connectV1(host, token.token, 'Cursor');
        try {
          const roots = JSON.parse(
            textOf((await client.callTool({ name: `elicit-${era}__list_roots`, arguments: {} })) as Result),
          ) as Array<{ uri: string; name?: string }>;
          const uri = pathToFileURL(path.resolve(folder)).href;
          assert.ok(
            roots.some((root) => root.uri.replace(/\/$/, '') === uri.replace(/\/$/, '') && root.name === 'Project'),
            `the server saw the folder (got ${JSON.stringify(roots)})`,
          );
        } finally {
          await client.close();
          await host.invoke('roots:setServer', { name: `elicit-${era}`, roots: [] });
        }
      });
    });
  }

  it("a server's JSON-RPC error on tools/call reaches the app with its code, message and data (-32042, URL required)", async () => {
    const client = await connectV1(host, token.token, 'error-app');
    try {
      await assert.rejects(
        client.callTool({ name: 'elicit-legacy__needs_url', arguments: {} }),
        (error: { code?: number; message: string; data?: unknown }) => {
          assert.equal(error.code, -32042);
          assert.match(error.message, /Connect your account first/);
          const elicitations = (error.data as { elicitations?: Array<{ mode: string; url: string }> })?.elicitations;
          assert.equal(elicitations?.[0]?.mode, 'url');
          return true;
        },
      );
    } finally {
      await client.close();
    }
  });

  describe('pass-through (a server set to be answered by the calling app)', () => {
    before(async () => {
      await host.invoke('gateway:setServer', { name: 'passthru', answer: 'app' });
      await host.invoke('sampling:setPolicy', { serverName: 'passthru', policy: { policy: 'auto' } });
    });

    it('a 2025 app that declared sampling answers the sampling request itself; Sluice shows no dialog', async () => {
      const client = await connectV1(host, token.token, 'VS Code', { sampling: {} });
      const asked: unknown[] = [];
      client.setRequestHandler(CreateMessageRequestSchema, (request) => {
        asked.push(request.params);
        return { model: 'vscode-model', role: 'assistant', content: { type: 'text', text: 'Answered by the app.' } };
      });
      let dialogs = 0;
      const stop = host.events.on('sampling:added', () => void (dialogs += 1));
      const llmCalls = llm.requests.length;
      try {
        const result = JSON.parse(
          textOf((await client.callTool({ name: 'passthru__ask_model', arguments: { prompt: 'Ask the app' } })) as Result),
        ) as {
          model: string;
          content: unknown;
        };
        assert.equal(result.model, 'vscode-model');
        assert.deepEqual(result.content, { type: 'text', text: 'Answered by the app.' });
        assert.equal(asked.length, 1);
        assert.match(JSON.stringify(asked[0]), /Ask the app/, "the app got the server's request");
        assert.equal(dialogs, 0);
        assert.equal(llm.requests.length, llmCalls, "Sluice's model was not asked");
      } finally {
        stop();
        await client.close();
      }
    });

    it("an app that did not declare sampling (and a 2026-07-28 app, which cannot be asked) gets Sluice's answer", async () => {
      for (const client of [
        await connectV1(host, token.token, 'Claude Desktop'),
        await connectV2(host, token.token, { name: 'modern-app', modern: true }),
      ]) {
        try {
          const result = JSON.parse(
            textOf((await client.callTool({ name: 'passthru__ask_model', arguments: { prompt: 'Nobody to ask' } })) as Result),
          ) as { content: unknown };
          assert.deepEqual(result.content, { type: 'text', text: 'Answered in Sluice.' });
        } finally {
          await client.close();
        }
      }
    });
  });

  it('a server that crashes under a call gives the app an error at once; while it restarts, calls say so; then calls work again', async () => {
    const client = await connectV1(host, token.token, 'patient-app');
    try {
      const started = Date.now();
      await assert.rejects(client.callTool({ name: 'gw__crash', arguments: {} }), (error: { code?: number; message: string }) => {
        assert.equal(error.code, -32603);
        assert.match(error.message, /Server "gw" closed its connection during the request/);
        return true;
      });
      assert.ok(Date.now() - started < 10_000, 'no hang');
      await assert.rejects(client.callTool({ name: 'gw__work', arguments: {} }), (error: { code?: number; message: string }) => {
        assert.equal(error.code, -32603);
        assert.match(error.message, /Server "gw" is (restarting|starting) in Sluice/);
        return true;
      });
      await waitForState(host, 'gw', 'connected');
      assert.equal(textOf((await client.callTool({ name: 'gw__work', arguments: {} })) as Result), 'done');
    } finally {
      await client.close();
    }
  });

  it('list_changed goes only to the app whose view changed (two tokens, one hides a server)', async () => {
    await host.invoke('servers:save', { definition: stdioFixture('rich', RICH) });
    await waitForState(host, 'rich', 'connected');
    const other = await host.invoke('gateway:createToken', { label: 'Other' });
    const first = await connectV1(host, token.token, 'first-app');
    const second = await connectV1(host, other.token, 'second-app');
    const heard = { first: 0, second: 0 };
    first.setNotificationHandler(ToolListChangedNotificationSchema, () => void (heard.first += 1));
    second.setNotificationHandler(ToolListChangedNotificationSchema, () => void (heard.second += 1));
    try {
      await standaloneStreamOpen();
      await host.invoke('toolCalls:setExposure', { tokenId: other.id, exposure: { hiddenServers: ['rich'], hiddenTools: {} } });
      await eventually('list_changed at the second app', () => heard.second > 0);
      assert.ok(!(await second.listTools()).tools.some((tool) => tool.name.startsWith('rich__')));
      // Give a wrong notification to the first app every chance to arrive before checking it did not.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(heard.first, 0, "the first app's view did not change");
      assert.ok((await first.listTools()).tools.some((tool) => tool.name === 'rich__echo'));

      // The same change for the first app's token: now it hears, and the second does not again.
      const secondBefore = heard.second;
      await host.invoke('toolCalls:setExposure', { tokenId: token.id, exposure: { hiddenServers: ['rich'], hiddenTools: {} } });
      await eventually('list_changed at the first app', () => heard.first > 0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(heard.second, secondBefore);
    } finally {
      await host.invoke('toolCalls:setExposure', { tokenId: token.id, exposure: { hiddenServers: [], hiddenTools: {} } });
      await first.close();
      await second.close();
    }
  });
});
