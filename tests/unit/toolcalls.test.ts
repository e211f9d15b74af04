import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Tool } from '@modelcontextprotocol/client';
import { ToolCallBroker } from '../../electron/core/toolcalls/broker.js';
import { canonicalJson, describeChanges, describeValueChanges, fingerprint, snapshot } from '../../electron/core/toolcalls/definition.js';
import { ToolCallGateway } from '../../electron/core/toolcalls/gate.js';
import { decideToolCall, effectiveRule } from '../../electron/core/toolcalls/policy.js';
import { ToolCallStore } from '../../electron/core/toolcalls/store.js';
import type { GatewayApp, GatewayCallRecord, ToolCallRequest } from '../../electron/core/gateway/seams.js';
import type { ServerToolPolicy, ToolCallHistoryEntry } from '../../shared/toolcalls.js';
import { tempDir } from '../helpers/test-host.js';

const readFile: Tool = {
  name: 'read_file',
  description: 'Reads a file',
  inputSchema: { type: 'object', properties: { path: { type: 'string', minLength: 1 } }, required: ['path'] },
  annotations: { readOnlyHint: true },
};
const writeFile: Tool = {
  name: 'write_file',
  description: 'Writes a file',
  inputSchema: { type: 'object', properties: { path: { type: 'string' }, text: { type: 'string' } }, required: ['path', 'text'] },
  annotations: { destructiveHint: true },
};

const policy = (preset: ServerToolPolicy['preset'], tools: ServerToolPolicy['tools'] = {}): ServerToolPolicy => ({ preset, tools });

describe('tool definitions: fingerprint and changes', () => {
  it('ignores key order but not content', () => {
    const reordered = {
      ...readFile,
      annotations: { readOnlyHint: true },
      inputSchema: { required: ['path'], properties: { path: { minLength: 1, type: 'string' } }, type: 'object' },
    };
    assert.equal(fingerprint(reordered as Tool), fingerprint(readFile));
    assert.notEqual(fingerprint({ ...readFile, description: 'Reads a file and uploads it' }), fingerprint(readFile));
    assert.equal(canonicalJson({ b: 1, a: { d: 2, c: undefined } }), '{"a":{"d":2},"b":1}');
  });

  it('lists what changed in description, schema and annotations', () => {
    const allowed = snapshot(readFile);
    const changed: Tool = {
      ...readFile,
      description: 'Reads a file and uploads it',
      inputSchema: { type: 'object', properties: { path: { type: 'string', minLength: 1 }, url: { type: 'string' } }, required: ['path'] },
      annotations: { readOnlyHint: false },
    };
    assert.deepEqual(describeChanges(allowed, changed), [
      'annotations.readOnlyHint: true → false',
      'description: "Reads a file" → "Reads a file and uploads it"',
      'inputSchema.properties.url: added {"type":"string"}',
    ]);
    assert.deepEqual(describeChanges(allowed, readFile), []);
  });

  it('keeps no copy of a huge definition but still detects the change', () => {
    const huge: Tool = { ...readFile, description: 'x'.repeat(100_000) };
    const allowed = snapshot(huge);
    assert.equal(allowed.kept, false);
    assert.equal(allowed.description, undefined);
    assert.match(describeChanges(allowed, readFile)[0] ?? '', /too large/);
  });

  it('describes argument edits as paths', () => {
    assert.deepEqual(describeValueChanges({ path: '/a', n: 1 }, { path: '/b', n: 1, extra: true }), [
      'extra: added true',
      'path: "/a" → "/b"',
    ]);
  });
});

describe('tool-call policy decisions', () => {
  it('the three presets (and deny-all) against annotated tools', () => {
    assert.deepEqual(decideToolCall('s', policy('allow-all'), writeFile), { kind: 'allow', by: 'preset' });
    assert.deepEqual(decideToolCall('s', policy('ask-unless-read-only'), readFile), { kind: 'allow', by: 'preset' });
    assert.deepEqual(decideToolCall('s', policy('ask-unless-read-only'), writeFile), { kind: 'ask', reason: 'preset' });
    // A tool without annotations is not read-only (the spec's default).
    assert.equal(decideToolCall('s', policy('ask-unless-read-only'), { ...readFile, annotations: undefined }).kind, 'ask');
    assert.deepEqual(decideToolCall('s', policy('ask-all'), readFile), { kind: 'ask', reason: 'preset' });
    assert.equal(decideToolCall('s', policy('deny-all'), readFile).kind, 'deny');
  });

  it("a tool's own rule wins over the preset", () => {
    assert.equal(
      decideToolCall('s', policy('ask-all', { read_file: { rule: 'allow', allowed: snapshot(readFile) } }), readFile).kind,
      'allow',
    );
    assert.equal(decideToolCall('s', policy('allow-all', { write_file: { rule: 'deny' } }), writeFile).kind, 'deny');
    assert.equal(decideToolCall('s', policy('allow-all', { write_file: { rule: 'ask' } }), writeFile).kind, 'ask');
    assert.equal(effectiveRule(policy('ask-unless-read-only'), readFile), 'allow');
    assert.equal(effectiveRule(policy('ask-unless-read-only'), writeFile), 'ask');
  });

  it('an allowed tool whose definition changed is asked about, with the changes', () => {
    const rules = policy('allow-all', { read_file: { rule: 'allow', allowed: snapshot(readFile) } });
    const verdict = decideToolCall('s', rules, { ...readFile, annotations: { readOnlyHint: false, destructiveHint: true } });
    assert.equal(verdict.kind, 'ask');
    assert.ok(verdict.kind === 'ask' && verdict.reason === 'changed');
    assert.deepEqual(verdict.kind === 'ask' && verdict.changes, [
      'annotations.destructiveHint: added true',
      'annotations.readOnlyHint: true → false',
    ]);
  });
});

describe('tool-call settings store', () => {
  it('persists presets, rules and exposure in a 0600 file, in order', async () => {
    const dir = tempDir();
    const store = new ToolCallStore(dir);
    await store.load();
    // Started together: each change applies to the result of the one before.
    await Promise.all([
      store.setPreset('files', 'ask-all'),
      store.setToolRule('files', readFile, 'allow'),
      store.setToolRule('files', writeFile, 'deny'),
      store.setExposure('tok-1', { hiddenServers: ['secret'], hiddenTools: { files: ['write_file'] } }),
    ]);
    if (process.platform !== 'win32') assert.equal(statSync(store.file).mode & 0o777, 0o600);
    const again = new ToolCallStore(dir);
    await again.load();
    const files = again.policyFor('files');
    assert.equal(files.preset, 'ask-all');
    assert.equal(files.tools.read_file?.rule, 'allow');
    assert.equal(files.tools.read_file?.allowed?.fingerprint, fingerprint(readFile));
    assert.equal(files.tools.write_file?.rule, 'deny');
    assert.deepEqual(again.exposureFor('tok-1').hiddenServers, ['secret']);
    assert.deepEqual(again.exposureFor('tok-2'), { hiddenServers: [], hiddenTools: {} });
  });

  it('follows renames and removals, and drops settings that are back to the default', async () => {
    const dir = tempDir();
    const store = new ToolCallStore(dir);
    await store.load();
    await store.setPreset('old', 'ask-all');
    await store.setExposure('tok', { hiddenServers: ['old'], hiddenTools: { old: ['x'] } });
    await store.onServerRenamed('old', 'new');
    assert.equal(store.policyFor('new').preset, 'ask-all');
    assert.equal(store.policyFor('old').preset, 'allow-all');
    assert.deepEqual(store.exposureFor('tok'), { hiddenServers: ['new'], hiddenTools: { new: ['x'] } });
    await store.onServerRemoved('new');
    assert.deepEqual(store.exposureFor('tok').hiddenServers, []);
    await store.setPreset('s', 'allow-all');
    assert.deepEqual(JSON.parse(readFileSync(store.file, 'utf8')).servers, {});
  });

  it('moves a corrupt file aside with a notice', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'toolcalls.json'), '{"servers": 5}');
    const notice = await new ToolCallStore(dir).load();
    assert.match(notice ?? '', /toolcalls\.json could not be read/);
  });
});

const app: GatewayApp = {
  sessionId: 'sess-1',
  tokenId: 'tok-1',
  tokenLabel: 'Laptop',
  clientInfo: { name: 'claude-code', version: '2.1.0' },
  capabilities: {},
  via: 'http',
  connectedAt: 0,
};

async function makeGate(timeoutMs = 60_000) {
  const store = new ToolCallStore(tempDir());
  await store.load();
  const broker = new ToolCallBroker(timeoutMs);
  const history: ToolCallHistoryEntry[] = [];
  const gate = new ToolCallGateway(store, broker, (entry) => history.push(entry));
  let calls = 0;
  const call = (
    tool: Tool,
    args: Record<string, unknown>,
    signal = new AbortController().signal,
    caller: GatewayApp = app,
  ): ToolCallRequest => ({
    callId: `call-${++calls}`,
    app: caller,
    serverName: 'files',
    tool,
    arguments: args,
    signal,
  });
  /** What the gateway would report after running (or refusing) the call. */
  const complete = (
    request: ToolCallRequest,
    decisionArgs: Record<string, unknown>,
    outcome: GatewayCallRecord['outcome'],
    resultBytes = 10,
  ) =>
    gate.record({
      callId: request.callId,
      app: request.app,
      serverName: 'files',
      tool: request.tool.name,
      arguments: decisionArgs,
      outcome,
      startedAt: 1000,
      durationMs: 5,
      resultBytes,
    });
  return { store, broker, gate, history, call, complete };
}

describe('tool-call gate', () => {
  it('allow forwards a copy of the arguments; the record says a policy decided', async () => {
    const { gate, history, call, complete } = await makeGate();
    const args = { path: '/a', text: 'hi' };
    const request = call(writeFile, args);
    const decision = await gate.decide(request);
    assert.equal(decision.action, 'forward');
    assert.ok(decision.action === 'forward');
    assert.deepEqual(decision.arguments, args);
    complete(request, decision.arguments, 'result');
    assert.equal(history[0]?.outcome, 'sent');
    assert.equal(history[0]?.decision, 'policy');
    assert.deepEqual(history[0]?.app, { tokenId: 'tok-1', label: 'Laptop', name: 'claude-code', version: '2.1.0' });
  });

  it('deny answers with an isError result that says why', async () => {
    const { store, gate, history, call, complete } = await makeGate();
    await store.setToolRule('files', writeFile, 'deny');
    const args = { path: '/a', text: 'x' };
    const request = call(writeFile, args);
    const decision = await gate.decide(request);
    assert.ok(decision.action === 'refuse');
    assert.equal(decision.result.isError, true);
    assert.match(JSON.stringify(decision.result.content), /do not allow calling the tool \\"write_file\\"/);
    complete(request, args, 'refused', 0);
    assert.equal(history[0]?.outcome, 'denied');
  });

  it('ask → approved with edited arguments: validated, forwarded, recorded with the diff', async () => {
    const { store, broker, gate, history, call, complete } = await makeGate();
    await store.setPreset('files', 'ask-all');
    const args = { path: '/tmp/a', text: 'hello' };
    const request = call(writeFile, args);
    const pending = gate.decide(request);
    const [asked] = broker.list();
    assert.ok(asked);
    assert.equal(asked.reason, 'preset');
    assert.equal(asked.app.name, 'claude-code');
    assert.deepEqual(broker.validate(asked.id, { path: 3 }), ["arguments must have required property 'text'", 'path: must be string']);
    assert.throws(() => broker.approve(asked.id, { path: '/tmp/b' }), /do not match the tool's input schema/);
    assert.equal(broker.size, 1, 'an invalid approval leaves the call pending');
    broker.approve(asked.id, { path: '/tmp/b', text: 'hello' });
    const decision = await pending;
    assert.ok(decision.action === 'forward');
    assert.deepEqual(decision.arguments, { path: '/tmp/b', text: 'hello' });
    complete(request, decision.arguments, 'result');
    assert.equal(history[0]?.decision, 'user');
    assert.deepEqual(history[0]?.edits, ['path: "/tmp/a" → "/tmp/b"']);
    assert.deepEqual(history[0]?.originalArguments, args);
    assert.deepEqual(history[0]?.arguments, { path: '/tmp/b', text: 'hello' });
  });

  it('ask → rejected: isError with the decline text and the reason', async () => {
    const { store, broker, gate, history, call, complete } = await makeGate();
    await store.setPreset('files', 'ask-unless-read-only');
    const args = { path: '/a', text: 'x' };
    const request = call(writeFile, args);
    const pending = gate.decide(request);
    broker.reject(broker.list()[0]!.id, 'not now');
    const decision = await pending;
    assert.ok(decision.action === 'refuse');
    assert.equal(decision.result.isError, true);
    assert.match(
      JSON.stringify(decision.result.content),
      /The user declined this call to \\"write_file\\" in Sluice; it was not run\. Their reason: not now/,
    );
    complete(request, args, 'refused', 0);
    assert.equal(history[0]?.outcome, 'rejected');
    assert.equal(history[0]?.decision, 'user');
  });

  it("approve and always allow remembers the tool; the app's cancel and a timeout close the dialog", async () => {
    const { store, broker, gate, call } = await makeGate(200);
    await store.setPreset('files', 'ask-all');
    const first = gate.decide(call(writeFile, { path: '/a', text: 'x' }));
    broker.approve(broker.list()[0]!.id, { path: '/a', text: 'x' }, true);
    assert.equal((await first).action, 'forward');
    assert.equal(store.policyFor('files').tools.write_file?.rule, 'allow');
    assert.equal((await gate.decide(call(writeFile, { path: '/a', text: 'y' }))).action, 'forward', 'no dialog the second time');

    const abort = new AbortController();
    const removed: string[] = [];
    broker.on('removed', (removal) => removed.push(removal.reason));
    const cancelled = gate.decide(call(readFile, { path: '/a' }, abort.signal));
    assert.equal(broker.size, 1);
    abort.abort();
    const decision = await cancelled;
    assert.ok(decision.action === 'refuse');
    assert.match(JSON.stringify(decision.result), /app cancelled/);
    const timedOut = await gate.decide(call(readFile, { path: '/b' }));
    assert.ok(timedOut.action === 'refuse');
    assert.match(JSON.stringify(timedOut.result), /waited for the user's approval/);
    assert.deepEqual(removed, ['cancelled', 'timed-out']);
    assert.equal(broker.size, 0);
  });

  it('a changed definition asks once; approving re-allows the new one', async () => {
    const { store, broker, gate, call } = await makeGate();
    await store.setToolRule('files', readFile, 'allow');
    const changed: Tool = { ...readFile, description: 'Reads a file and sends it to example.com' };
    const pending = gate.decide(call(changed, { path: '/a' }));
    const [asked] = broker.list();
    assert.equal(asked?.reason, 'changed');
    assert.deepEqual(asked?.changes, ['description: "Reads a file" → "Reads a file and sends it to example.com"']);
    broker.approve(asked.id, { path: '/a' });
    assert.equal((await pending).action, 'forward');
    assert.equal((await gate.decide(call(changed, { path: '/b' }))).action, 'forward', 'the new definition is allowed now');
  });

  it('two identical calls from two apps at once are decided and recorded each on its own (by call id)', async () => {
    const { store, broker, gate, history, call, complete } = await makeGate();
    await store.setPreset('files', 'ask-all');
    const cursor: GatewayApp = {
      ...app,
      sessionId: 'sess-2',
      tokenId: 'tok-2',
      tokenLabel: 'Cursor',
      clientInfo: { name: 'cursor', version: '1.0' },
    };
    // Identical arguments, even the same object: nothing but the call id tells the two apart.
    const args = { path: '/a', text: 'same' };
    const fromLaptop = call(writeFile, args);
    const fromCursor = call(writeFile, args, undefined, cursor);
    const laptopDecision = gate.decide(fromLaptop);
    const cursorDecision = gate.decide(fromCursor);
    const queued = broker.list();
    assert.deepEqual(
      queued.map((pending) => [pending.id, pending.app.label]),
      [
        [fromLaptop.callId, 'Laptop'],
        [fromCursor.callId, 'Cursor'],
      ],
      'each dialog carries its call id and its own app',
    );
    // Answer the second first: each answer settles its own call only.
    broker.reject(fromCursor.callId, 'not from Cursor');
    broker.approve(fromLaptop.callId, { path: '/a', text: 'edited' });
    const cursorResult = await cursorDecision;
    const laptopResult = await laptopDecision;
    assert.ok(cursorResult.action === 'refuse');
    assert.match(JSON.stringify(cursorResult.result.content), /Their reason: not from Cursor/);
    assert.ok(laptopResult.action === 'forward');
    assert.deepEqual(laptopResult.arguments, { path: '/a', text: 'edited' });

    // The gateway reports them in the other order, with the arguments it was given.
    complete(fromLaptop, laptopResult.arguments, 'result');
    complete(fromCursor, args, 'refused', 0);
    assert.deepEqual(
      history.map((entry) => [entry.id, entry.app.label, entry.outcome, entry.decision, entry.edits]),
      [
        [fromLaptop.callId, 'Laptop', 'sent', 'user', ['text: "same" → "edited"']],
        [fromCursor.callId, 'Cursor', 'rejected', 'user', []],
      ],
    );
    assert.equal(
      history[1]?.detail,
      'The user declined this call to "write_file" in Sluice; it was not run. Their reason: not from Cursor',
    );
  });

  it('per-app exposure hides servers and tools for one token only', async () => {
    const { store, gate } = await makeGate();
    await store.setExposure('tok-1', { hiddenServers: ['secret'], hiddenTools: { files: ['write_file'] } });
    const other = { ...app, tokenId: 'tok-2' };
    assert.equal(gate.isExposed(app, 'secret'), false);
    assert.equal(gate.isExposed(app, 'files'), true);
    assert.equal(gate.isExposed(app, 'files', 'write_file'), false);
    assert.equal(gate.isExposed(app, 'files', 'read_file'), true);
    assert.equal(gate.isExposed(other, 'secret'), true);
    assert.equal(gate.isExposed(other, 'files', 'write_file'), true);
  });
});
