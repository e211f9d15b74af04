/**
 * Elicitation and roots end to end through the real core: real MCP servers of both eras (v1 SDK
 * pushing elicitation/create and roots/list; v2 SDK returning them as input_required) ask the
 * user; the "user" (this test, through the renderer's invoke channels) answers. We assert what the
 * server received.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { SluiceHost } from '../../electron/core/host.js';
import { DEFAULT_ELICIT_URL, EVERY_FIELD_ANSWER } from '../fixtures/elicit-common.js';
import { readFixtureLog } from '../fixtures/fixture-common.js';
import { FIXTURES_DIR, tempLogFile } from '../fixtures/harness.js';
import { nextEvent, startTestHost, stdioFixture, tempDir, textOf, waitForState } from '../helpers/test-host.js';

const SCRIPTS = {
  legacy: path.join(FIXTURES_DIR, 'elicit-legacy-server.ts'),
  modern: path.join(FIXTURES_DIR, 'elicit-modern-server.ts'),
} as const;

const VALID = EVERY_FIELD_ANSWER;

type ToolResult = {
  content: Array<{ type: string; [key: string]: unknown }>;
  isError?: boolean;
  urlElicitationCompleted?: { message: string; urls: string[] };
};

for (const era of ['legacy', 'modern'] as const) {
  const route = era === 'legacy' ? 'push' : 'input_required';

  describe(`elicitation with a ${era} server`, () => {
    let host: SluiceHost;
    const log = tempLogFile();
    const call = (tool: string, args: Record<string, unknown> = {}) =>
      host.invoke('servers:callTool', { name: era, tool, arguments: args }) as Promise<ToolResult>;

    before(async () => {
      host = await startTestHost();
      await host.invoke('servers:save', { definition: stdioFixture(era, SCRIPTS[era], { FIXTURE_LOG: log }) });
      await waitForState(host, era, 'connected');
    });
    after(async () => {
      await host.close();
    });

    it('lands in the right era', async () => {
      const [status] = await host.invoke('servers:list', {});
      assert.equal(status?.era, era);
    });

    it('form: a bad answer is refused and kept; a valid one reaches the server', async () => {
      const result = call('ask_form');
      const request = await nextEvent(host, 'elicitation:added', (r) => r.serverName === era);
      assert.equal(request.mode, 'form');
      assert.equal(request.route, route);
      assert.equal(request.message, 'Tell us about your order');
      assert.equal(request.toolCall?.name, 'ask_form');
      assert.deepEqual(Object.keys((request.requestedSchema as { properties: object }).properties), Object.keys(VALID));

      // Missing required fields, out-of-range age, too many toppings, a field the form does not have.
      await assert.rejects(
        host.invoke('elicitation:respond', {
          id: request.id,
          action: 'accept',
          content: { name: 'A', age: 12, toppings: ['cheese', 'ham', 'olives'], extra: 'x' },
        }),
        (error: Error) =>
          /email: Required/.test(error.message) &&
          /age: Must be at least 18/.test(error.message) &&
          /toppings: Pick at most 2/.test(error.message) &&
          /extra/.test(error.message) &&
          /name: At least 2 characters/.test(error.message),
      );
      assert.deepEqual(
        (await host.invoke('elicitation:list', {})).map((r) => r.id),
        [request.id],
        'the request is still pending',
      );

      const removed = nextEvent(host, 'elicitation:removed', (r) => r.id === request.id);
      await host.invoke('elicitation:respond', { id: request.id, action: 'accept', content: VALID });
      assert.equal((await removed).reason, 'accepted');
      const answer = JSON.parse(textOf(await result)) as { action: string; content: unknown };
      assert.equal(answer.action, 'accept');
      assert.deepEqual(answer.content, VALID);
      const logged = readFixtureLog(log)
        .filter((e) => e.tool === 'ask_form')
        .at(-1);
      assert.ok(logged?.ok);
      assert.deepEqual((logged.result as { content: unknown }).content, VALID);
    });

    it('form: fields the answer leaves out get the schema defaults in the host (applyDefaults)', async () => {
      const result = call('ask_form');
      const request = await nextEvent(host, 'elicitation:added', (r) => r.serverName === era);
      // No rating, subscribe, color (required, with a default) or days: what a renderer that sends only what was typed would send.
      const typed = { name: 'Ada Lovelace', email: 'ada@example.com', age: 36, toppings: ['ham'] };
      await host.invoke('elicitation:respond', { id: request.id, action: 'accept', content: typed });
      const answer = JSON.parse(textOf(await result)) as { action: string; content: unknown };
      assert.equal(answer.action, 'accept');
      assert.deepEqual(answer.content, { ...typed, rating: 2.5, subscribe: false, color: 'green', days: ['mon'] });
    });

    if (era === 'legacy') {
      it("declining the URL a -32042 asks for fails the call with the server's error", async () => {
        const result = call('needs_url');
        const request = await nextEvent(host, 'elicitation:added', (r) => r.serverName === era);
        await host.invoke('elicitation:respond', { id: request.id, action: 'decline' });
        await assert.rejects(result, /Connect your account first/);
      });

      it('a tool call answered -32042 (URL elicitation required) shows the URL request, and offers a retry once the step is done', async () => {
        const result = call('needs_url');
        const request = await nextEvent(host, 'elicitation:added', (r) => r.serverName === era);
        assert.equal(request.mode, 'url');
        assert.equal(request.url, DEFAULT_ELICIT_URL);
        assert.equal(request.toolCall?.name, 'needs_url');
        const opened = nextEvent(host, 'elicitation:updated', (r) => r.id === request.id);
        await host.invoke('elicitation:respond', { id: request.id, action: 'accept' });
        await opened;
        // The server reports the browser step done (here through another tool): the call answers
        // that it did not run and can be retried; it is not run again behind the user's back.
        await call('complete_url');
        const offered = await result;
        assert.equal(offered.isError, true);
        assert.deepEqual(offered.urlElicitationCompleted, { message: 'Connect your account first', urls: [DEFAULT_ELICIT_URL] });
        assert.match(textOf(offered), /Connect your account first \(the call did not run; you completed the step, so it can be retried\)/);
        // The user's Retry: the same call again, and now the server answers it.
        assert.equal(textOf(await call('needs_url')), 'the account is connected');
      });
    }

    for (const action of ['decline', 'cancel'] as const) {
      it(`form: ${action} reaches the server as action "${action}" without content`, async () => {
        const result = call('ask_form');
        const request = await nextEvent(host, 'elicitation:added', (r) => r.serverName === era);
        await host.invoke('elicitation:respond', { id: request.id, action });
        const answer = JSON.parse(textOf(await result)) as { action: string; content?: unknown };
        assert.equal(answer.action, action);
        assert.equal(answer.content, undefined);
      });
    }

    it('url: shows the URL, accept is consent, nothing is opened by the host in web mode', async () => {
      const result = call('ask_url', { url: 'https://accounts.example.com/connect?flow=1' });
      const request = await nextEvent(host, 'elicitation:added', (r) => r.serverName === era);
      assert.equal(request.mode, 'url');
      assert.equal(request.url, 'https://accounts.example.com/connect?flow=1');
      assert.equal(request.message, 'Connect your Example account');
      if (era === 'legacy') {
        assert.ok(request.elicitationId);
        const opened = nextEvent(host, 'elicitation:updated', (r) => r.id === request.id);
        await host.invoke('elicitation:respond', { id: request.id, action: 'accept' });
        assert.equal((await opened).status, 'opened');
        const answer = JSON.parse(textOf(await result)) as { action: string };
        assert.equal(answer.action, 'accept');
        // The server's completion notice closes the request.
        const removed = nextEvent(host, 'elicitation:removed', (r) => r.id === request.id);
        await call('complete_url');
        assert.equal((await removed).reason, 'completed');
      } else {
        const removed = nextEvent(host, 'elicitation:removed', (r) => r.id === request.id);
        await host.invoke('elicitation:respond', { id: request.id, action: 'accept' });
        assert.equal((await removed).reason, 'accepted');
        assert.equal((JSON.parse(textOf(await result)) as { action: string }).action, 'accept');
      }
      assert.deepEqual(await host.invoke('elicitation:list', {}), []);
    });

    if (era === 'legacy') {
      it('url: restarting a server whose opened request was never confirmed ends it quietly, not as a failure', async () => {
        const result = call('ask_url', { url: 'https://accounts.example.com/connect?flow=2' });
        const request = await nextEvent(host, 'elicitation:added', (r) => r.serverName === era);
        const opened = nextEvent(host, 'elicitation:updated', (r) => r.id === request.id);
        await host.invoke('elicitation:respond', { id: request.id, action: 'accept' });
        assert.ok((await opened).confirmBy, 'the opened request says until when Sluice waits');
        await result;
        const removed = nextEvent(host, 'elicitation:removed', (r) => r.id === request.id);
        await host.invoke('servers:restart', { name: era });
        // 'failed' would show the user an error toast for a request they already answered.
        assert.equal((await removed).reason, 'accepted');
        await waitForState(host, era, 'connected');
        assert.deepEqual(await host.invoke('elicitation:list', {}), []);
      });
    }

    for (const [what, url] of [
      ['credentials', 'https://user:secret@accounts.example.com/'],
      ['a non-http scheme', 'ftp://files.example.com/x'],
    ] as const) {
      it(`url: refuses to accept a URL with ${what}; decline still works`, async () => {
        const result = call('ask_url', { url });
        const request = await nextEvent(host, 'elicitation:added', (r) => r.serverName === era);
        await assert.rejects(host.invoke('elicitation:respond', { id: request.id, action: 'accept' }), /refuses|only opens/);
        await host.invoke('elicitation:respond', { id: request.id, action: 'decline' });
        assert.equal((JSON.parse(textOf(await result)) as { action: string }).action, 'decline');
      });
    }

    it('roots: roots/list answers with the global and per-server folders', async () => {
      const globalDir = tempDir('sluice-root-global-');
      await host.invoke('roots:setGlobal', { roots: [{ path: globalDir, name: 'Shared' }] });
      const ownDir = tempDir('sluice-root-own-');
      await host.invoke('roots:setServer', { name: era, roots: [{ path: ownDir }] });
      await waitForState(host, era, 'connected');
      const listed = JSON.parse(textOf(await call('list_roots'))) as Array<{ uri: string; name?: string }>;
      assert.deepEqual(listed, [
        { uri: pathToFileURL(globalDir).href, name: 'Shared' },
        { uri: pathToFileURL(ownDir).href, name: path.basename(ownDir) },
      ]);
      const stored = await host.invoke('roots:get', {});
      assert.deepEqual(stored.global, [{ path: globalDir, name: 'Shared' }]);
      assert.deepEqual(stored.servers[era], [{ path: ownDir }]);
    });

    it('roots: a folder that does not exist is refused and nothing is lost', async () => {
      const before = await host.invoke('roots:get', {});
      await assert.rejects(host.invoke('roots:setGlobal', { roots: [{ path: '/definitely/not/here' }] }), /No such folder/);
      assert.deepEqual((await host.invoke('roots:get', {})).global, before.global);
      const file = path.join(tempDir(), 'a-file');
      writeFileSync(file, 'not a folder');
      assert.deepEqual(await host.invoke('roots:checkFolder', { path: file }), {
        ok: false,
        path: file,
        message: 'This is a file, not a folder',
      });
      assert.equal((await host.invoke('roots:checkFolder', { path: 'relative/path' })).ok, false);
    });

    if (era === 'legacy') {
      it('roots: changing the global list notifies the server, which lists again', async () => {
        const next = tempDir('sluice-root-next-');
        const before = readFixtureLog(log).filter((e) => e.tool === 'roots_changed').length;
        await host.invoke('roots:setGlobal', { roots: [{ path: next }] });
        const deadline = Date.now() + 20_000;
        let changed: unknown;
        while (Date.now() < deadline) {
          changed = readFixtureLog(log).filter((e) => e.tool === 'roots_changed')[before];
          if (changed) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        assert.ok(changed, 'the server got notifications/roots/list_changed');
        const roots = (changed as { result: Array<{ uri: string }> }).result;
        assert.equal(roots[0]?.uri, pathToFileURL(next).href);
      });
    }

    it('a pending request is cancelled when the server goes away', async () => {
      void call('ask_form').catch(() => undefined);
      const request = await nextEvent(host, 'elicitation:added', (r) => r.serverName === era);
      const removed = nextEvent(host, 'elicitation:removed', (r) => r.id === request.id);
      await host.invoke('servers:restart', { name: era });
      assert.notEqual((await removed).reason, 'accepted');
      await assert.rejects(host.invoke('elicitation:respond', { id: request.id, action: 'accept', content: VALID }), /No pending/);
    });
  });
}
