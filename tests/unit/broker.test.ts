import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ProtocolError } from '@modelcontextprotocol/client';
import { ProviderRegistry } from '../../electron/core/providers/registry.js';
import { SamplingBroker } from '../../electron/core/sampling/broker.js';
import { FileSecretStore } from '../../electron/core/storage/secret-store.js';
import type { SamplingHistoryEntry as HistoryEntry } from '../../shared/domain.js';
import { tempDir } from '../helpers/test-host.js';

async function makeBroker() {
  const dir = tempDir();
  const providers = new ProviderRegistry(dir, new FileSecretStore(path.join(dir, 's.json')));
  await providers.load();
  const history: HistoryEntry[] = [];
  const broker = new SamplingBroker(providers, async (entry) => {
    history.push(entry);
  });
  return { broker, history };
}

const origin = { serverName: 'srv', route: 'push' as const };
const params = { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 10 };

describe('sampling broker', () => {
  it('rejects malformed requests with invalid params (-32602) and queues nothing', async () => {
    const { broker } = await makeBroker();
    for (const bad of [
      { messages: [] },
      { messages: [{ role: 'system', content: { type: 'text', text: 'x' } }], maxTokens: 5 },
      { messages: 'nope', maxTokens: 5 },
    ]) {
      await assert.rejects(broker.enqueue(origin, bad), (error: unknown) => {
        assert.ok(error instanceof ProtocolError);
        assert.equal(error.code, -32602);
        assert.match(error.message, /Invalid sampling request/);
        return true;
      });
    }
    assert.equal(broker.size, 0);
  });

  it('a rejection settles the server request with code -1 and is recorded', async () => {
    const { broker, history } = await makeBroker();
    const answer = broker.enqueue(origin, params);
    const [pending] = broker.list();
    assert.ok(pending);
    broker.reject(pending.id);
    await assert.rejects(
      answer,
      (error: unknown) => error instanceof ProtocolError && error.code === -1 && error.message === 'User rejected sampling request',
    );
    assert.equal(history[0]?.outcome, 'rejected');
    assert.throws(() => broker.reject(pending.id), /No pending sampling request/);
  });

  it('the manual provider starts an empty draft; send returns exactly what the user wrote', async () => {
    const { broker, history } = await makeBroker();
    const answer = broker.enqueue(origin, params);
    const [pending] = broker.list();
    assert.ok(pending);
    assert.equal(pending.suggestedModel.providerId, 'manual');
    const generation = await broker.generate(pending.id, pending.params, { providerId: 'manual', model: 'manual' });
    assert.deepEqual(generation.result.content, { type: 'text', text: '' });
    const result = {
      role: 'assistant' as const,
      content: { type: 'text' as const, text: 'typed by hand' },
      model: 'manual',
      stopReason: 'endTurn',
    };
    broker.send(pending.id, result);
    assert.deepEqual(await answer, result);
    assert.equal(history[0]?.answerEdited, true);
  });

  it('cancellation by the server removes the request and fails its promise', async () => {
    const { broker, history } = await makeBroker();
    const controller = new AbortController();
    const removed = new Promise((resolve) => broker.on('removed', resolve));
    const answer = broker.enqueue(origin, params, controller.signal);
    const id = broker.list()[0]?.id;
    controller.abort(new Error('Request timed out'));
    assert.deepEqual(await removed, {
      id,
      reason: 'cancelled',
      message: 'The server cancelled the request: Request timed out',
    });
    await assert.rejects(answer);
    assert.equal(broker.size, 0);
    assert.equal(history[0]?.outcome, 'cancelled');
  });

  it('a server that goes away fails only its own requests', async () => {
    const { broker } = await makeBroker();
    const mine = broker.enqueue(origin, params);
    const other = broker.enqueue({ ...origin, serverName: 'other' }, params);
    broker.failServer('srv', 'The server closed the connection');
    await assert.rejects(mine, /The server closed the connection/);
    assert.deepEqual(
      broker.list().map((p) => p.serverName),
      ['other'],
    );
    broker.failAll('bye');
    await assert.rejects(other, /bye/);
  });
});
