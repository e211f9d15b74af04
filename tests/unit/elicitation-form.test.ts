/**
 * Elicitation forms and URLs (shared/elicitation.ts), the broker's answers, and the spec's error for
 * an elicitation mode Sluice did not declare.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Client, InMemoryTransport, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { ElicitationBroker } from '../../electron/core/elicitation/broker.js';
import { registerUserRequestHandlers } from '../../electron/core/elicitation/user-requests.js';
import { RootsService } from '../../electron/core/roots/roots-service.js';
import {
  buildContent,
  checkElicitationUrl,
  initialDraft,
  parseRequestedSchema,
  validateContent,
  type FormField,
} from '../../shared/elicitation.js';
import { EVERY_FIELD_SCHEMA } from '../fixtures/elicit-common.js';
import { tempDir } from '../helpers/test-host.js';

function fields(): FormField[] {
  const parsed = parseRequestedSchema(EVERY_FIELD_SCHEMA);
  assert.ok('fields' in parsed, JSON.stringify(parsed));
  return parsed.fields;
}

describe('requested schema', () => {
  it('turns every field type into a labelled field, options with their titles, defaults kept', () => {
    const byName = Object.fromEntries(fields().map((f) => [f.name, f]));
    assert.equal(byName.name?.label, 'Full name');
    assert.equal(byName.name?.required, true);
    assert.deepEqual(byName.size?.kind === 'enum' && byName.size.options.map((o) => o.label), ['Small', 'Medium', 'Large']);
    assert.deepEqual(byName.days?.kind === 'multi-enum' && byName.days.options.map((o) => o.value), ['mon', 'tue', 'wed']);
    assert.equal(byName.age?.kind === 'number' && byName.age.integer, true);
    const draft = initialDraft(fields());
    assert.equal(draft.rating, '2.5');
    assert.equal(draft.color, 'green');
    assert.deepEqual(draft.days, ['mon']);
    assert.equal(draft.subscribe, false);
  });

  it('supports the legacy enumNames titles', () => {
    const parsed = parseRequestedSchema({
      type: 'object',
      properties: { c: { type: 'string', enum: ['r', 'g'], enumNames: ['Red', 'Green'] } },
    });
    assert.ok('fields' in parsed);
    assert.deepEqual(parsed.fields[0]?.kind === 'enum' && parsed.fields[0].options, [
      { value: 'r', label: 'Red' },
      { value: 'g', label: 'Green' },
    ]);
  });

  it('refuses what is not a flat form, with a reason', () => {
    assert.match(JSON.stringify(parseRequestedSchema({ type: 'object', properties: { o: { type: 'object' } } })), /cannot be shown/);
    assert.match(JSON.stringify(parseRequestedSchema({ type: 'string' })), /object schema/);
    assert.match(
      JSON.stringify(parseRequestedSchema({ type: 'object', properties: { s: { type: 'string', format: 'ipv4' } } })),
      /unsupported format/,
    );
  });
});

describe('validation', () => {
  it('says what is wrong with each field', () => {
    const errors = validateContent(fields(), {
      name: 'A',
      email: 'not-an-email',
      website: 'nope',
      birthday: '2023-02-30',
      age: 17.5,
      rating: 9,
      color: 'purple',
      toppings: [],
      extra: 1,
    });
    assert.deepEqual(errors, {
      extra: '"extra" is not a field of this form',
      name: 'At least 2 characters',
      email: 'Enter an email address, e.g. name@example.com',
      website: 'Enter a full URI, e.g. https://example.com/page',
      birthday: 'Enter a date as YYYY-MM-DD',
      age: 'Must be a whole number',
      rating: 'Must be at most 5',
      color: 'Pick one of the options',
      toppings: 'Pick at least 1',
    });
  });

  it('builds typed content from the draft: numbers parsed, empty optional fields left out, a required boolean is false', () => {
    const schema = {
      type: 'object',
      properties: { n: { type: 'number' }, note: { type: 'string' }, ok: { type: 'boolean' } },
      required: ['n', 'ok'],
    };
    const parsed = parseRequestedSchema(schema);
    assert.ok('fields' in parsed);
    assert.deepEqual(buildContent(parsed.fields, { n: '4.25', note: '', ok: undefined }), { content: { n: 4.25, ok: false }, errors: {} });
    assert.deepEqual(buildContent(parsed.fields, { n: 'abc', note: '', ok: true }).errors, { n: 'Enter a number' });
    assert.deepEqual(buildContent(parsed.fields, { n: '', note: '', ok: true }).errors, { n: 'Required' });
  });

  it("checks date-times; a server's pattern is left to the server, so a catastrophic one cannot hang", () => {
    const parsed = parseRequestedSchema({
      type: 'object',
      properties: {
        code: { type: 'string', pattern: '^(a|a)*$', default: `${'a'.repeat(40)}!` },
        at: { type: 'string', format: 'date-time' },
      },
    });
    assert.ok('fields' in parsed);
    const started = performance.now();
    // On a backtracking engine this check takes longer than the age of the universe.
    assert.deepEqual(validateContent(parsed.fields, { code: `${'a'.repeat(40)}!`, at: '2025-06-30 14:00' }), {
      at: 'Enter a date and time with a time zone, e.g. 2025-06-30T14:00:00Z',
    });
    assert.ok(performance.now() - started < 1000);
    assert.deepEqual(validateContent(parsed.fields, { code: 'ABC', at: '2025-06-30T14:00:00+02:00' }), {});
  });
});

describe('URL mode', () => {
  it('splits the URL so the host can be highlighted', () => {
    const checked = checkElicitationUrl('https://accounts.example.com:8443/connect?x=1#y');
    assert.ok(checked.ok);
    assert.deepEqual(checked.url.parts, { before: 'https://', host: 'accounts.example.com:8443', after: '/connect?x=1#y' });
    assert.deepEqual(checked.url.warnings, []);
  });

  it('refuses non-http(s) schemes and embedded credentials; warns about punycode and plain http', () => {
    for (const bad of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,hi',
      'https://user:pw@example.com/',
      'https://user@example.com/',
    ]) {
      assert.equal(checkElicitationUrl(bad).ok, false, bad);
    }
    const puny = checkElicitationUrl('https://xn--pple-43d.com/');
    assert.ok(puny.ok && puny.url.warnings.some((w) => /punycode/.test(w)));
    const plain = checkElicitationUrl('http://example.com/');
    assert.ok(plain.ok && plain.url.warnings.some((w) => /not encrypted/.test(w)));
  });
});

describe('broker', () => {
  const origin = { serverName: 's', route: 'push' as const };

  it('opens an accepted URL through the desktop opener before answering, and never a refused one', async () => {
    const opened: string[] = [];
    const broker = new ElicitationBroker(async (url) => {
      opened.push(url);
    });
    const good = broker.enqueue(origin, { mode: 'url', message: 'm', url: 'https://example.com/a b' });
    const bad = broker.enqueue(origin, { mode: 'url', message: 'm', url: 'https://u:p@example.com/' });
    const [goodView, badView] = broker.list();
    assert.ok(goodView && badView);
    assert.deepEqual(opened, [], 'nothing is opened before consent');
    await assert.rejects(broker.respond(badView.id, 'accept'), /credentials/);
    await broker.respond(goodView.id, 'accept');
    assert.deepEqual(await good, { action: 'accept' });
    assert.deepEqual(opened, ['https://example.com/a%20b']);
    await broker.respond(badView.id, 'decline');
    assert.deepEqual(await bad, { action: 'decline' });
  });

  it('a cancelled server request leaves the queue', async () => {
    const broker = new ElicitationBroker();
    const controller = new AbortController();
    const answer = broker.enqueue(origin, { message: 'm', requestedSchema: { type: 'object', properties: {} } }, controller.signal);
    controller.abort(new Error('timed out'));
    await assert.rejects(answer, /cancelled/);
    assert.deepEqual(broker.list(), []);
  });

  it('rejects a schema it cannot show with -32602', async () => {
    const broker = new ElicitationBroker();
    await assert.rejects(
      broker.enqueue(origin, { message: 'm', requestedSchema: { type: 'object', properties: { x: { type: 'object' } } } }),
      (e: Error & { code?: number }) => e.code === -32602,
    );
  });
});

describe('declared modes', () => {
  it('a client declaring only form mode answers a URL request with -32602 (the spec error)', { timeout: 20_000 }, async () => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 't', version: '1' }, { capabilities: { elicitation: { form: {} }, roots: { listChanged: true } } });
    const broker = new ElicitationBroker();
    registerUserRequestHandlers(client, {
      serverName: 'raw',
      services: { elicitation: broker, roots: new RootsService(tempDir(), () => []) },
    });
    const received: JSONRPCMessage[] = [];
    let onMessage: (message: JSONRPCMessage) => void = () => undefined;
    serverSide.onmessage = (message) => {
      received.push(message);
      onMessage(message);
    };
    await serverSide.start();
    // A minimal 2025 server: answer initialize, then push a URL-mode elicitation.
    onMessage = (message) => {
      if ('method' in message && message.method === 'initialize' && 'id' in message) {
        void serverSide.send({
          jsonrpc: '2.0',
          id: message.id,
          result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'raw', version: '1' } },
        });
      }
    };
    await client.connect(clientSide);
    const reply = new Promise<JSONRPCMessage>((resolve) => {
      onMessage = (message) => {
        if ('id' in message && message.id === 'elicit-1') resolve(message);
      };
    });
    await serverSide.send({
      jsonrpc: '2.0',
      id: 'elicit-1',
      method: 'elicitation/create',
      params: { mode: 'url', message: 'Open this', url: 'https://example.com/', elicitationId: 'e1' },
    });
    const answer = (await reply) as { error?: { code: number; message: string } };
    assert.equal(answer.error?.code, -32602);
    assert.deepEqual(broker.list(), [], 'the user never sees it');
    await client.close();
  });
});
