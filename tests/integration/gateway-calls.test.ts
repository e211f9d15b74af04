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
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  CreateMessageRequestSchema,
  ElicitationCompleteNotificationSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ToolListChangedNotificationSchema,
  type LoggingMessageNotification,
} from '@modelcontextprotocol/sdk/types.js';
import type { SluiceHost } from '../../electron/core/host.js';
import { isToolCallEntry } from '../../shared/domain.js';
import type { ToolCallHistoryEntry } from '../../shared/toolcalls.js';
import { EVERY_FIELD_ANSWER, FORM_MESSAGE, URL_MESSAGE } from '../fixtures/elicit-common.js';
import { startFakeLlm, type FakeLlm } from '../fixtures/fake-llm.js';
import { readFixtureLog } from '../fixtures/fixture-common.js';
import { FIXTURES_DIR, LEGACY_SERVER, tempLogFile } from '../fixtures/harness.js';
import { eventually } from '../helpers/eventually.js';
import { connectV1, connectV1Via, connectV2 } from '../helpers/gateway-clients.js';
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
  const dataDir = tempDir();
  /** A v1 app over HTTP with the token, or launched through the stdio relay (tool calls answered by relay-calls.ts). */
  const connectVia = (via: 'http' | 'relay', name: string) => connectV1Via(via, host, dataDir, token.token, name);

  before(async () => {
    llm = await startFakeLlm({ reply: { text: 'Answered in Sluice.' } });
    host = await startTestHost(dataDir);
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

  /** The newest history entry of a gateway call to `serverName`'s `tool` (by `app` when given); it is written just after the answer. */
  async function toolCallEntry(serverName: string, tool: string, app?: string): Promise<ToolCallHistoryEntry> {
    let found: ToolCallHistoryEntry | undefined;
    await eventually(`the history entry of ${serverName}/${tool}`, async () => {
      const page = await host.invoke('history:page', { filter: { kind: 'toolCall', serverName, tool }, limit: 20 });
      for (const row of page.rows) {
        const detail = await host.invoke('history:get', { id: row.id });
        const entry = detail?.entry;
        if (entry && isToolCallEntry(entry) && (app === undefined || entry.app.name === app)) {
          found = entry;
          return true;
        }
      }
      return false;
    });
    return found!;
  }

  describe('server logs', () => {
    for (const via of ['http', 'relay'] as const)
      it(`reach the app during its call, at the level the app set with logging/setLevel, named after the server (${via})`, async () => {
        const picky = await connectVia(via, 'picky-app');
        const curious = await connectVia(via, 'curious-app');
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

  for (const via of ['http', 'relay'] as const)
    it(`a server's JSON-RPC error on tools/call reaches the app with its code, message and data (-32042, URL required; ${via})`, async () => {
      const client = await connectVia(via, 'error-app');
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
        const entry = await toolCallEntry('passthru', 'ask_model', 'VS Code');
        assert.deepEqual(entry.answeredByApp, [{ method: 'sampling/createMessage', outcome: 'answered (vscode-model)' }]);
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

  describe('pass-through of elicitation and roots (servers set to be answered by the calling app)', () => {
    const passLog = tempLogFile('sluice-gateway-pass-');
    const ERAS = ['legacy', 'modern'] as const;
    const APP_ROOT = { uri: 'file:///home/ada/vscode-workspace', name: 'VS Code workspace' };
    /** What the server received for `tool`, the last time it was called (the fixtures log every answer and error). */
    const received = (era: string, tool: string) =>
      readFixtureLog(passLog)
        .filter((line) => line.tool === tool && line.era === era)
        .at(-1);
    const callJson = async <T>(
      client: { callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown> },
      name: string,
      args = {},
    ) => JSON.parse(textOf((await client.callTool({ name, arguments: args })) as Result)) as T;
    let dialogs = 0;
    let stopCounting = () => undefined as void;

    before(async () => {
      for (const era of ERAS) {
        await host.invoke('servers:save', { definition: stdioFixture(`pass-${era}`, ELICIT[era], { FIXTURE_LOG: passLog }) });
        await waitForState(host, `pass-${era}`, 'connected');
        await host.invoke('gateway:setServer', { name: `pass-${era}`, answer: 'app' });
      }
      stopCounting = host.events.on('elicitation:added', () => void (dialogs += 1));
    });
    after(() => stopCounting());

    for (const era of ERAS) {
      it(`a 2025 app that declared form and URL elicitation and roots answers a ${era} server's requests itself; no dialog in Sluice; the history names the app`, async () => {
        const client = await connectV1(host, token.token, 'VS Code', { elicitation: { form: {}, url: {} }, roots: {} });
        const asked: Array<{ mode?: string; message: string; url?: string }> = [];
        client.setRequestHandler(ElicitRequestSchema, (request) => {
          asked.push(request.params);
          return request.params.mode === 'url' ? { action: 'accept' } : { action: 'accept', content: EVERY_FIELD_ANSWER };
        });
        client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [APP_ROOT] }));
        const dialogsBefore = dialogs;
        try {
          const form = await callJson<{ action: string; content: unknown }>(client, `pass-${era}__ask_form`);
          assert.deepEqual(form, { action: 'accept', content: EVERY_FIELD_ANSWER });
          const log = received(era, 'ask_form');
          assert.ok(log?.ok, 'the server got an answer');
          assert.deepEqual(log.result, { action: 'accept', content: EVERY_FIELD_ANSWER }, "the server got the app's form");

          const url = await callJson<{ action: string }>(client, `pass-${era}__ask_url`, { url: 'https://example.com/connect' });
          assert.equal(url.action, 'accept');

          assert.deepEqual(
            asked.map((params) => [params.mode ?? 'form', params.message]),
            [
              ['form', FORM_MESSAGE],
              ['url', URL_MESSAGE],
            ],
          );
          assert.equal(asked[1]?.url, 'https://example.com/connect');

          assert.deepEqual(await callJson(client, `pass-${era}__list_roots`), [APP_ROOT], "the server got the app's roots, not Sluice's");
          assert.equal(dialogs, dialogsBefore, 'Sluice asked nobody');

          const entry = await toolCallEntry(`pass-${era}`, 'ask_form');
          assert.equal(entry.app.name, 'VS Code');
          assert.deepEqual(entry.answeredByApp, [{ method: 'elicitation/create', mode: 'form', outcome: 'accept' }]);
          assert.deepEqual((await toolCallEntry(`pass-${era}`, 'list_roots')).answeredByApp, [{ method: 'roots/list', outcome: '1 root' }]);
        } finally {
          await client.close();
        }
      });
    }

    it("a URL-mode request passed to the app: the server's completion notice reaches that app, even after the call ended", async () => {
      const client = await connectV1(host, token.token, 'VS Code', { elicitation: { url: {} } });
      client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept' }));
      const completed: string[] = [];
      client.setNotificationHandler(
        ElicitationCompleteNotificationSchema,
        (notification) => void completed.push(notification.params.elicitationId),
      );
      try {
        await standaloneStreamOpen();
        const { action, elicitationId } = await callJson<{ action: string; elicitationId: string }>(client, 'pass-legacy__ask_url');
        assert.equal(action, 'accept');
        await client.callTool({ name: 'pass-legacy__complete_url', arguments: {} });
        await eventually('the completion notice at the app', () => completed.length > 0);
        assert.deepEqual(completed, [elicitationId]);
      } finally {
        await client.close();
      }
    });

    it('a mode or capability the app did not declare is answered in Sluice (URL mode for a form-only app; its roots)', async () => {
      const folder = tempDir('sluice-gateway-pass-root-');
      await host.invoke('roots:setServer', { name: 'pass-legacy', roots: [{ path: folder, name: 'Sluice root' }] });
      // `elicitation: {}` is form mode only (the spec's reading of an empty capability); no roots.
      const client = await connectV1(host, token.token, 'Form-only app', { elicitation: {} });
      const asked: string[] = [];
      client.setRequestHandler(ElicitRequestSchema, (request) => {
        asked.push(request.params.mode ?? 'form');
        return { action: 'accept', content: EVERY_FIELD_ANSWER };
      });
      try {
        assert.equal((await callJson<{ action: string }>(client, 'pass-legacy__ask_form')).action, 'accept');
        assert.deepEqual(asked, ['form']);

        const dialog = nextEvent(host, 'elicitation:added', (request) => request.serverName === 'pass-legacy');
        const call = callJson<{ action: string }>(client, 'pass-legacy__ask_url');
        const request = await dialog;
        assert.deepEqual(request.toolCall?.app, { name: 'Form-only app', version: '1.2.3' }, "Sluice's dialog names the app");
        await host.invoke('elicitation:respond', { id: request.id, action: 'decline' });
        assert.equal((await call).action, 'decline');
        assert.deepEqual(asked, ['form'], 'the app was not asked in a mode it cannot answer');

        const roots = await callJson<Array<{ uri: string; name?: string }>>(client, 'pass-legacy__list_roots');
        assert.deepEqual(
          roots.map((root) => [root.uri.replace(/\/$/, ''), root.name]),
          [[pathToFileURL(path.resolve(folder)).href.replace(/\/$/, ''), 'Sluice root']],
        );
      } finally {
        await client.close();
        await host.invoke('roots:setServer', { name: 'pass-legacy', roots: [] });
      }
    });

    it('a 2026-07-28 app (no session, no server push) gets Sluice answering, though it declared elicitation', async () => {
      const client = await connectV2(host, token.token, { name: 'modern-app', modern: true, capabilities: { elicitation: { form: {} } } });
      let askedTheApp = 0;
      client.setRequestHandler('elicitation/create', () => {
        askedTheApp += 1;
        return { action: 'accept', content: EVERY_FIELD_ANSWER };
      });
      try {
        const dialog = nextEvent(host, 'elicitation:added', (request) => request.serverName === 'pass-legacy');
        const call = callJson<{ action: string }>(client, 'pass-legacy__ask_form');
        await host.invoke('elicitation:respond', { id: (await dialog).id, action: 'decline' });
        assert.equal((await call).action, 'decline');
        assert.equal(askedTheApp, 0);
      } finally {
        await client.close();
      }
    });

    it("an answer from the app that breaks the spec's schema never reaches the server as an answer: the server gets an error", async () => {
      const client = await connectV1(host, token.token, 'Broken app', { elicitation: { form: {} }, roots: {} });
      // A buggy app: its answers go out as they are (the fallback handler skips the v1 client's own
      // checks), with an action the spec does not have, and a root that is not a file:// URI.
      client.fallbackRequestHandler = (request) =>
        Promise.resolve(
          request.method === 'elicitation/create'
            ? { action: 'maybe', content: { name: 'x' } }
            : { roots: [{ uri: 'https://example.com/not-a-folder', name: 'web' }] },
        );
      try {
        const result = (await client.callTool({ name: 'pass-legacy__ask_form', arguments: {} })) as Result;
        assert.equal(result.isError, true);
        const log = received('legacy', 'ask_form');
        assert.ok(log && !log.ok, 'the server got an error, not the invalid answer');
        // A JSON-RPC error response from Sluice (the server's own check of an answer would fail without a code).
        assert.equal(log.error.code, -32603);
        assert.match(
          log.error.message,
          /^The calling app \(Broken app\).*did not answer it properly: Invalid result for elicitation\/create.*action/s,
        );
        const entry = await toolCallEntry('pass-legacy', 'ask_form', 'Broken app');
        assert.match(entry.answeredByApp?.[0]?.outcome ?? '', /^failed: /);

        assert.equal(((await client.callTool({ name: 'pass-legacy__list_roots', arguments: {} })) as Result).isError, true);
        const roots = received('legacy', 'list_roots');
        assert.ok(roots && !roots.ok, 'the server got an error, not a web address as a root');
        assert.match(roots.error.message, /^The calling app \(Broken app\).*roots\/list.*file:\/\//s);
      } finally {
        await client.close();
      }
    });

    for (const generation of ['v1', 'v2'] as const)
      it(`the app cancelling its call cancels the request forwarded to it, and the server gets an error (${generation} client)`, async () => {
        // The forwarded request is the first this session's server sends the app but for the ping
        // Sluice sends first: a v1 client drops a cancellation of request id 0 (`if (!requestId)`).
        const name = `Cancelling ${generation} app`;
        const capabilities = { elicitation: { form: {} } };
        let asked = false;
        let cancelledAtApp = false;
        const waitForCancel = (signal: AbortSignal) =>
          new Promise<never>((_resolve, reject) => {
            asked = true;
            signal.addEventListener('abort', () => {
              cancelledAtApp = true;
              reject(new Error('cancelled'));
            });
          });
        const controller = new AbortController();
        const logBefore = readFixtureLog(passLog).length;
        let call: Promise<unknown>;
        let close: () => Promise<void>;
        if (generation === 'v1') {
          const client = await connectV1(host, token.token, name, capabilities);
          client.setRequestHandler(ElicitRequestSchema, (_request, extra) => waitForCancel(extra.signal));
          call = client.callTool({ name: 'pass-legacy__ask_form', arguments: {} }, undefined, { signal: controller.signal });
          close = () => client.close();
        } else {
          const client = await connectV2(host, token.token, { name, capabilities });
          client.setRequestHandler('elicitation/create', (_request, ctx) => waitForCancel(ctx.mcpReq.signal));
          call = client.callTool({ name: 'pass-legacy__ask_form', arguments: {} }, { signal: controller.signal });
          close = () => client.close();
        }
        try {
          await eventually('the app was asked', () => asked);
          controller.abort('the user stopped it');
          await assert.rejects(call);
          await eventually('the forwarded request was cancelled at the app', () => cancelledAtApp);
          await eventually('the server got an error for its elicitation', () =>
            readFixtureLog(passLog)
              .slice(logBefore)
              .some((line) => line.tool === 'ask_form' && line.era === 'legacy' && line.ok === false),
          );
          assert.equal((await toolCallEntry('pass-legacy', 'ask_form', name)).answeredByApp?.[0]?.outcome, 'cancelled');
        } finally {
          await close();
        }
      });

    it('an app that goes away while a request forwarded to it is open: the server gets an error, nothing hangs', async () => {
      const client = await connectV1(host, token.token, 'Vanishing app', { elicitation: { form: {} } });
      let asked = false;
      client.setRequestHandler(ElicitRequestSchema, () => {
        asked = true;
        return new Promise<never>(() => undefined);
      });
      const logBefore = readFixtureLog(passLog).length;
      const call = client.callTool({ name: 'pass-legacy__ask_form', arguments: {} }).catch((error: unknown) => error);
      await eventually('the app was asked', () => asked);
      await client.close();
      await call;
      await eventually('the server got an error for its elicitation', () =>
        readFixtureLog(passLog)
          .slice(logBefore)
          .some((line) => line.tool === 'ask_form' && line.era === 'legacy' && line.ok === false),
      );
    });

    /** Two 2025 apps that declared form elicitation; each answers with its own name, and can hold its answer. */
    async function twoApps() {
      const apps = await Promise.all(
        ['Ada', 'Bob'].map(async (name) => {
          const client = await connectV1(host, token.token, `${name}'s editor`, { elicitation: { form: {} } });
          let release = () => undefined as void;
          const released = new Promise<void>((resolve) => (release = resolve));
          const app = { client, asked: 0, release, hold: false };
          client.setRequestHandler(ElicitRequestSchema, async () => {
            app.asked += 1;
            if (app.hold) await released;
            return { action: 'accept', content: { ...EVERY_FIELD_ANSWER, name: `${name} Lovelace` } };
          });
          return app;
        }),
      );
      return apps as [(typeof apps)[number], (typeof apps)[number]];
    }
    const askForm = (app: { client: Parameters<typeof callJson>[0] }, era: string) =>
      callJson<{ action: string; content?: { name: string } }>(app.client, `pass-${era}__ask_form`);

    it('two apps calling a 2026-07-28 server at once: each request goes to the app whose call caused it', async () => {
      const [ada, bob] = await twoApps();
      const dialogsBefore = dialogs;
      try {
        const answers = await Promise.all([askForm(ada, 'modern'), askForm(bob, 'modern')]);
        assert.deepEqual(
          answers.map((answer) => answer.content?.name),
          ['Ada Lovelace', 'Bob Lovelace'],
        );
        // Ada's request still open at Ada while Bob's call asks: Bob's still goes to Bob.
        ada.hold = true;
        const adaCall = askForm(ada, 'modern');
        await eventually('Ada was asked', () => ada.asked === 2);
        assert.equal((await askForm(bob, 'modern')).content?.name, 'Bob Lovelace');
        ada.release();
        assert.equal((await adaCall).content?.name, 'Ada Lovelace');
        assert.deepEqual([ada.asked, bob.asked, dialogs - dialogsBefore], [2, 2, 0]);
      } finally {
        ada.release();
        await ada.client.close();
        await bob.client.close();
      }
    });

    it("two apps calling a 2025 server at once: each app is asked only what its own call caused; a request that could be either app's is answered in Sluice", async () => {
      const [ada, bob] = await twoApps();
      try {
        // One at a time, each app answers its own call's request.
        assert.equal((await askForm(ada, 'legacy')).content?.name, 'Ada Lovelace');
        assert.equal((await askForm(bob, 'legacy')).content?.name, 'Bob Lovelace');

        // Ada's request is still open at Ada when Bob's call asks. A 2025 server's request names no call,
        // so with two in flight it could be either's: Bob's goes to Sluice's dialog, never to Ada.
        ada.hold = true;
        const adaCall = askForm(ada, 'legacy');
        await eventually('Ada was asked', () => ada.asked === 2);
        const dialog = nextEvent(host, 'elicitation:added', (request) => request.serverName === 'pass-legacy');
        const bobCall = askForm(bob, 'legacy');
        await host.invoke('elicitation:respond', { id: (await dialog).id, action: 'decline' });
        assert.equal((await bobCall).action, 'decline');
        assert.deepEqual([ada.asked, bob.asked], [2, 1], 'neither app was asked what it cannot be sure is its own');

        ada.release();
        assert.equal((await adaCall).content?.name, 'Ada Lovelace', "Ada's answer went to Ada's call");
      } finally {
        ada.release();
        await ada.client.close();
        await bob.client.close();
      }
    });
  });

  for (const via of ['http', 'relay'] as const)
    it(`a server that crashes under a call gives the app an error at once; while it restarts, calls say so; then calls work again (${via})`, async () => {
      const client = await connectVia(via, 'patient-app');
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

  it('keeps nothing of a forwarded call once it has ended: its arguments can be collected', async () => {
    // A call forwarded to a 2025-era server settles on the transport (transport-calls.ts); the
    // per-call scope of the SDK's path once remembered each such request until 10,000 had gone by.
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const connection = host.servers.get('gw');
    // Each call in a function of its own, so this test's frame holds no arguments.
    const callOnce = async (i: number) => {
      const args = { payload: `${'x'.repeat(1000)}${i}` };
      const result = await connection.callToolForApp('work', args, {
        app: { name: 'Leak check', version: '1' },
        signal: new AbortController().signal,
      });
      assert.equal(textOf(result), 'done');
      return new WeakRef(args);
    };
    const sent: WeakRef<object>[] = [];
    for (let i = 0; i < 20; i++) sent.push(await callOnce(i));
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    const kept = sent.map((ref) => (ref.deref() ? 'kept' : 'collected'));
    assert.deepEqual(kept, Array<string>(20).fill('collected'));
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
