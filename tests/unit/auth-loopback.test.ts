/**
 * The loopback redirect listener: one answer, only with this attempt's state, clear pages for the
 * browser, and an end (timeout, cancel) that never leaves a port open.
 */
import assert from 'node:assert/strict';
import { createConnection, createServer } from 'node:net';
import { describe, it } from 'node:test';
import { SignInCallbackError, startLoopbackListener, type LoopbackListener } from '../../electron/core/auth/loopback-listener.js';

const STATE = 'the-state-of-this-attempt-0123456789abcdef';

function listener(overrides: Partial<Parameters<typeof startLoopbackListener>[0]> = {}): Promise<LoopbackListener> {
  return startLoopbackListener({ expectedState: STATE, serverName: 'remote', port: 0, timeoutMs: 20_000, ...overrides });
}

async function failureOf(promise: Promise<unknown>): Promise<SignInCallbackError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SignInCallbackError, `expected a SignInCallbackError, got ${String(error)}`);
    return error;
  }
  throw new Error('expected the response to fail');
}

describe('loopback redirect listener', () => {
  it('listens on 127.0.0.1 and hands over the code (and iss) that came with the right state', async () => {
    const l = await listener();
    assert.match(l.redirectUrl, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const page = fetch(`${l.redirectUrl}?code=abc&state=${STATE}&iss=${encodeURIComponent('https://as.example')}`);
    const response = await l.response;
    assert.equal(response.code, 'abc');
    assert.equal(response.iss, 'https://as.example');
    // The browser waits until Sluice has exchanged the code, then sees the outcome.
    response.finish({ ok: true, message: 'You are signed in to remote.' });
    const res = await page;
    assert.equal(res.status, 200);
    assert.match(await res.text(), /You are signed in to remote\./);
    await l.close();
  });

  it('refuses a wrong or missing state with a page saying so, and keeps waiting for the real answer (any local page can reach the port)', async () => {
    const l = await listener();
    for (const query of ['code=abc&state=someone-elses-state', 'code=abc', 'error=access_denied&state=forged']) {
      const res = await fetch(`${l.redirectUrl}?${query}`);
      assert.equal(res.status, 400);
      assert.match(await res.text(), /Sign-in refused/);
    }
    const page = fetch(`${l.redirectUrl}?code=real&state=${STATE}`);
    const response = await l.response;
    assert.equal(response.code, 'real', 'the forged answers did not end the attempt');
    response.finish({ ok: true, message: 'Signed in.' });
    assert.equal((await page).status, 200);
    await l.close();
  });

  it('after one answer it accepts no other, even with the right state', async () => {
    const l = await listener();
    const first = fetch(`${l.redirectUrl}?code=abc&state=${STATE}`);
    (await l.response).finish({ ok: true, message: 'Signed in.' });
    assert.equal((await first).status, 200);
    // The port is closed now: a late redirect cannot reach anything.
    await assert.rejects(fetch(`${l.redirectUrl}?code=abc&state=${STATE}`));
  });

  it("an error answer names the OAuth error code but never echoes the server's description", async () => {
    const l = await listener();
    const res = await fetch(`${l.redirectUrl}?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=${STATE}`);
    const body = await res.text();
    assert.equal(res.status, 400);
    assert.match(body, /access_denied/);
    assert.ok(!body.includes('<script>') && !body.includes('alert(1)'));
    const failure = await failureOf(l.response);
    assert.equal(failure.reason, 'denied');
  });

  it('other paths and foreign Host headers get 404 and change nothing', async () => {
    const l = await listener();
    assert.equal((await fetch(`http://127.0.0.1:${l.port}/favicon.ico`)).status, 404);
    const rebound = await new Promise<number>((resolve, reject) => {
      // fetch() will not let us set Host; a raw request can.
      const socket = createConnection(l.port, '127.0.0.1', () => {
        socket.write(`GET /callback?code=x&state=${STATE} HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
      });
      let data = '';
      socket.on('data', (chunk) => (data += String(chunk)));
      socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1])));
      socket.on('error', reject);
    });
    assert.equal(rebound, 404);
    // Still waiting for the real answer.
    const page = fetch(`${l.redirectUrl}?code=ok&state=${STATE}`);
    const response = await l.response;
    assert.equal(response.code, 'ok');
    response.finish({ ok: true, message: 'done' });
    await page;
    await l.close();
  });

  it('escapes the server name on its pages', async () => {
    const l = await listener({ serverName: '<img src=x onerror=alert(1)>' });
    const body = await (await fetch(`${l.redirectUrl}?code=abc&state=nope`)).text();
    assert.ok(!body.includes('<img'));
    assert.match(body, /&#60;img/);
    await failureOf(l.response);
  });

  it('gives up after the timeout, and close() cancels', async () => {
    const timedOut = await listener({ timeoutMs: 50 });
    const failure = await failureOf(timedOut.response);
    assert.equal(failure.reason, 'timeout');
    assert.match(failure.message, /took too long/);

    const cancelled = await listener();
    await cancelled.close();
    assert.equal((await failureOf(cancelled.response)).reason, 'cancelled');
  });

  it('a fixed port that is taken: a clear error, or any free port when allowed', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const taken = (blocker.address() as { port: number }).port;
    try {
      await assert.rejects(listener({ port: taken }), new RegExp(`Port ${taken} on 127.0.0.1 is in use`));
      const fallback = await listener({ port: taken, fallbackToRandomPort: true });
      assert.notEqual(fallback.port, taken);
      await fallback.close();
    } finally {
      blocker.close();
    }
  });
});
