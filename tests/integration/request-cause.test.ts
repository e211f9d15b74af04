/**
 * "Caused by tool call" (issue 11, item 4): a server's second request, made for a second tool
 * call while the first call's request still waits for the user, names the second call, in both
 * protocol eras. Real fixture servers over stdio, through the host's own channels.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SluiceHost } from '../../electron/core/host.js';
import { LEGACY_SERVER, MODERN_SERVER } from '../fixtures/harness.js';
import { nextEvent, startTestHost, stdioFixture, waitForState } from '../helpers/test-host.js';

for (const [era, script] of [
  ['legacy', LEGACY_SERVER],
  ['modern', MODERN_SERVER],
] as const) {
  describe(`the tool call behind each request (${era} server)`, () => {
    let host: SluiceHost;

    before(async () => {
      host = await startTestHost();
      await host.invoke('servers:save', { definition: stdioFixture(era, script) });
      await waitForState(host, era, 'connected');
    });
    after(async () => {
      await host.close();
    });

    it("the second call's request, made while the first one waits for the user, names the second call", async () => {
      const ask = (prompt: string) =>
        host.invoke('servers:callTool', { name: era, tool: 'ask_model', arguments: { prompt } }).catch(() => undefined);
      const firstAdded = nextEvent(host, 'sampling:added');
      const firstCall = ask('one');
      const first = await firstAdded;
      const secondAdded = nextEvent(host, 'sampling:added');
      const secondCall = ask('two');
      const second = await secondAdded;

      assert.deepEqual(first.toolCall, { name: 'ask_model', arguments: { prompt: 'one' } });
      assert.deepEqual(second.toolCall, { name: 'ask_model', arguments: { prompt: 'two' } });

      // Once the first is answered, a third call's request is named too (the first call is done).
      await host.invoke('sampling:reject', { id: first.id });
      await firstCall;
      const thirdAdded = nextEvent(host, 'sampling:added');
      const thirdCall = ask('three');
      assert.deepEqual((await thirdAdded).toolCall, { name: 'ask_model', arguments: { prompt: 'three' } });

      for (const pending of await host.invoke('sampling:list', {})) await host.invoke('sampling:reject', { id: pending.id });
      await Promise.all([secondCall, thirdCall]);
    });
  });
}
