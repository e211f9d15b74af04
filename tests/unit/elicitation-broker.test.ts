/**
 * The elicitation broker's URL lifecycle (issue 11, item 5): an accepted URL request waits for the
 * server's completion notice, but only for a bounded time, and a server that goes away while it
 * waits ends it quietly (it was answered; nothing failed).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ElicitationBroker } from '../../electron/core/elicitation/broker.js';
import type { PendingElicitation } from '../../shared/domain.js';

const origin = { serverName: 'alpha', route: 'push' as const };
const params = { mode: 'url' as const, message: 'Connect', url: 'https://accounts.example.com/connect', elicitationId: 'e-1' };

function nextRemoval(broker: ElicitationBroker) {
  return new Promise<{ id: string; reason: string; message: string }>((resolve) => {
    const stop = broker.on('removed', (removal) => {
      stop();
      resolve(removal);
    });
  });
}

async function acceptedUrl(broker: ElicitationBroker): Promise<PendingElicitation> {
  const added = new Promise<PendingElicitation>((resolve) => broker.on('added', resolve));
  const answer = broker.enqueue(origin, params);
  const request = await added;
  await broker.respond(request.id, 'accept');
  assert.deepEqual(await answer, { action: 'accept' });
  const [opened] = broker.list();
  assert.equal(opened?.status, 'opened');
  return opened;
}

describe('elicitation broker: opened URL requests', () => {
  it('stop waiting for the server after the confirm timeout, and say until when they wait', async () => {
    const broker = new ElicitationBroker(undefined, 30);
    const before = Date.now();
    const opened = await acceptedUrl(broker);
    assert.ok(opened.confirmBy !== undefined && opened.confirmBy >= before + 30, 'the view says when Sluice stops waiting');
    // The broker's timer is unref'd (it never keeps Sluice running): hold the test's loop open meanwhile.
    const keepAlive = setInterval(() => undefined, 1000);
    const removal = await nextRemoval(broker).finally(() => clearInterval(keepAlive));
    assert.equal(removal.id, opened.id);
    assert.equal(removal.reason, 'accepted');
    assert.match(removal.message, /alpha did not confirm/);
    assert.deepEqual(broker.list(), []);
  });

  it('end as accepted, not failed, when their server disconnects', async () => {
    const broker = new ElicitationBroker();
    const opened = await acceptedUrl(broker);
    const removal = nextRemoval(broker);
    broker.failServer('alpha', 'The server is no longer connected');
    assert.deepEqual(await removal, { id: opened.id, reason: 'accepted', message: 'The server is no longer connected' });
    assert.deepEqual(broker.list(), []);
  });

  it('a request still waiting for the user fails with its server', async () => {
    const broker = new ElicitationBroker();
    const answer = broker.enqueue(origin, params);
    const removal = nextRemoval(broker);
    broker.failServer('alpha', 'gone');
    assert.equal((await removal).reason, 'failed');
    await assert.rejects(answer, /gone/);
  });
});
