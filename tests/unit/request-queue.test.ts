/**
 * The one request queue (renderer/src/state/requests/) under plain Node with a fake host: one
 * order over sampling, elicitation and tool calls, which dialog is open, Later (issue 11, item 4),
 * drafts per kind, and what happens when a request ends (answered, cancelled, timed out, removed
 * while its dialog is open), including events that race the user.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { resetState, startSluice } from '../../renderer/src/state/index.js';
import { setView, useApp } from '../../renderer/src/state/app.js';
import {
  closeEnded,
  openRequest,
  putAside,
  selectOpenRequest,
  selectWaiting,
  selectWaitingCount,
  useRequests,
} from '../../renderer/src/state/requests/queue.js';
import { generate, patchDraft, sendAnswer } from '../../renderer/src/state/requests/sampling.js';
import {
  approveDraft,
  approveToolCall,
  checkToolCallArguments,
  editToolCallForm,
  editToolCallJson,
  setRejectReason,
  setRejecting,
  switchToolCallMode,
} from '../../renderer/src/state/requests/toolcalls.js';
import { fakeHost, settled, type FakeHost } from '../helpers/fake-sluice-api.js';
import { formElicitation, samplingRequest, toolCall, urlElicitation } from '../helpers/pending-requests.js';

/** What the user sees: the open dialog's kind and request id, or "none". */
function openDialog(): string {
  const item = selectOpenRequest(useRequests.getState());
  return item ? `${item.kind} ${item.request.id}` : 'none';
}

const toasts = () => useApp.getState().toasts.map((t) => `${t.kind}: ${t.text}`);

describe('the request queue', () => {
  let host: FakeHost;
  let stop: () => void;

  beforeEach(async () => {
    // Toasts dismiss themselves on a timer; the tests read them before that.
    mock.timers.enable({ apis: ['setTimeout'] });
    resetState();
    host = fakeHost();
    stop = startSluice(host.api);
    await settled();
  });

  afterEach(() => {
    stop();
    mock.timers.reset();
  });

  it('orders every kind by when it was received; the oldest waiting one is open', () => {
    host.emit('toolCalls:added', toolCall('t1', 'Claude Code', 3_000));
    host.emit('sampling:added', samplingRequest('s1', 'alpha', 2_000));
    host.emit('elicitation:added', formElicitation('e1', 'beta', 1_000));
    const state = useRequests.getState();
    assert.deepEqual(
      selectWaiting(state).map((item) => `${item.kind} ${item.request.id}`),
      ['elicitation e1', 'sampling s1', 'toolCall t1'],
    );
    assert.equal(selectWaitingCount(state), 3);
    assert.equal(openDialog(), 'elicitation e1');
  });

  it('creates each kind its draft: messages to edit, form fields, the arguments to edit for a tool call', () => {
    host.emit('sampling:added', samplingRequest('s1', 'alpha', 1_000));
    host.emit('elicitation:added', formElicitation('e1', 'beta', 2_000));
    host.emit('toolCalls:added', toolCall('t1', 'Cursor', 3_000));
    const { drafts } = useRequests.getState();
    assert.equal(drafts.sampling.s1?.phase, 'editing');
    assert.deepEqual(drafts.sampling.s1?.messages[0]?.blocks, [{ type: 'text', text: 'Question s1' }]);
    assert.deepEqual(
      drafts.elicitation.e1?.fields.map((f) => f.name),
      ['name'],
    );
    assert.equal(drafts.toolCall.t1?.mode, 'form');
    assert.deepEqual(drafts.toolCall.t1?.form, { text: 'hello' });
    assert.deepEqual(JSON.parse(drafts.toolCall.t1?.json ?? ''), { text: 'hello' });
  });

  it("a tool call's edits survive Later, ‹ › to another request and another view, and are what Approve sends", async () => {
    host.answers['toolCalls:respond'] = () => ({ ok: true });
    host.emit('toolCalls:added', toolCall('t1', 'Cursor', 1_000));
    host.emit('sampling:added', samplingRequest('s1', 'alpha', 2_000));
    assert.equal(openDialog(), 'toolCall t1');
    editToolCallForm('t1', { text: 'hello, edited' });
    setRejecting('t1', true);
    setRejectReason('t1', 'not now');

    putAside();
    assert.equal(openDialog(), 'none');
    openRequest('sampling', 's1');
    setView('history');
    openRequest('toolCall', 't1');
    assert.equal(openDialog(), 'toolCall t1');
    const kept = useRequests.getState().drafts.toolCall.t1;
    assert.deepEqual(kept?.form, { text: 'hello, edited' });
    assert.equal(kept?.rejecting, true);
    assert.equal(kept?.reason, 'not now');

    // Form → JSON carries the edit across; the JSON tab's text is kept as typed too.
    setRejecting('t1', false);
    switchToolCallMode('t1', 'json');
    assert.deepEqual(JSON.parse(useRequests.getState().drafts.toolCall.t1?.json ?? ''), { text: 'hello, edited' });
    editToolCallJson('t1', '{"text": "from JSON"}');
    putAside();
    openRequest('toolCall', 't1');
    assert.equal(useRequests.getState().drafts.toolCall.t1?.mode, 'json');
    assert.equal(useRequests.getState().drafts.toolCall.t1?.json, '{"text": "from JSON"}');

    await approveDraft('t1', false);
    assert.deepEqual(host.calls.at(-1), {
      channel: 'toolCalls:respond',
      request: { id: 't1', action: 'approve', arguments: { text: 'from JSON' }, always: false },
    });
    assert.deepEqual(useRequests.getState().drafts.toolCall, {}, 'the draft goes with the call');
    assert.equal(useRequests.getState().drafts.sampling.s1?.phase, 'editing', "the other request's draft stays");
  });

  it("a tool call's JSON that is not an object stays in the JSON tab with the reason, and is not sent", async () => {
    host.emit('toolCalls:added', toolCall('t1', 'Cursor', 1_000));
    switchToolCallMode('t1', 'json');
    editToolCallJson('t1', '[1, 2]');
    switchToolCallMode('t1', 'form');
    const draft = useRequests.getState().drafts.toolCall.t1;
    assert.equal(draft?.mode, 'json');
    assert.equal(draft?.actionError, 'The arguments must be a JSON object');
    await approveDraft('t1', false);
    assert.equal(host.calls.filter((c) => c.channel === 'toolCalls:respond').length, 0);
    assert.equal(openDialog(), 'toolCall t1');
  });

  it("a tool call's draft goes when the app cancels it, and a failed send keeps the edits with the error", async () => {
    host.emit('toolCalls:added', toolCall('t1', 'Cursor', 1_000));
    host.emit('toolCalls:added', toolCall('t2', 'Cursor', 2_000));
    host.answers['toolCalls:respond'] = () => {
      throw new Error('the call is no longer pending');
    };
    editToolCallForm('t1', { text: 'edited' });
    await approveDraft('t1', false);
    const failed = useRequests.getState().drafts.toolCall.t1;
    assert.equal(failed?.busy, false);
    assert.equal(failed?.actionError, 'the call is no longer pending');
    assert.deepEqual(failed?.form, { text: 'edited' });

    host.emit('toolCalls:removed', { id: 't1', reason: 'cancelled', message: '' });
    assert.deepEqual(Object.keys(useRequests.getState().drafts.toolCall), ['t2']);
  });

  it("the host's schema check lands in the tool call's draft, unless the user edited since", async () => {
    const checked: unknown[] = [];
    host.answers['toolCalls:validate'] = ({ arguments: args }) => {
      checked.push(args);
      return { problems: ['text: must be longer'] };
    };
    host.emit('toolCalls:added', toolCall('t1', 'Cursor', 1_000));
    const checking = checkToolCallArguments('t1');
    editToolCallForm('t1', { text: 'typed on' });
    await checking;
    assert.deepEqual(checked, [{ text: 'hello' }]);
    assert.deepEqual(useRequests.getState().drafts.toolCall.t1?.problems, [], 'an answer for older arguments is dropped');
    await checkToolCallArguments('t1');
    assert.deepEqual(useRequests.getState().drafts.toolCall.t1?.problems, ['text: must be longer']);
  });

  it('a request put aside with Later stays aside when another server asks (the dialog opens on the new one)', () => {
    host.emit('sampling:added', samplingRequest('s1', 'alpha', 1_000));
    assert.equal(openDialog(), 'sampling s1');
    putAside();
    assert.equal(openDialog(), 'none');

    host.emit('sampling:added', samplingRequest('s2', 'beta', 2_000));
    assert.equal(openDialog(), 'sampling s2', 'the new request, not the one put aside');
    host.emit('elicitation:added', formElicitation('e1', 'gamma', 3_000));
    assert.equal(openDialog(), 'sampling s2', 'a newer request does not take the dialog from the one showing');

    host.emit('sampling:removed', { id: 's2', reason: 'sent', message: '' });
    assert.equal(openDialog(), 'elicitation e1', 'the next one that was not put aside');
    host.emit('elicitation:removed', { id: 'e1', reason: 'accepted', message: '' });
    assert.equal(openDialog(), 'none', 'the put-aside request waits in the Requests view');
    assert.equal(selectWaitingCount(useRequests.getState()), 1);

    openRequest('sampling', 's1');
    assert.equal(openDialog(), 'sampling s1', 'opening it from the Requests view brings it back');
  });

  it('navigating away puts the waiting requests aside; a request arriving afterwards shows', () => {
    host.emit('toolCalls:added', toolCall('t1', 'Cursor', 1_000));
    assert.equal(openDialog(), 'toolCall t1');
    setView('history');
    assert.equal(openDialog(), 'none');
    host.emit('sampling:added', samplingRequest('s1', 'alpha', 2_000));
    assert.equal(openDialog(), 'sampling s1');
  });

  it('opens the request the user picks, and after it the oldest one again', () => {
    host.emit('sampling:added', samplingRequest('s1', 'alpha', 1_000));
    host.emit('toolCalls:added', toolCall('t1', 'Cursor', 2_000));
    host.emit('elicitation:added', formElicitation('e1', 'beta', 3_000));
    openRequest('elicitation', 'e1');
    assert.equal(openDialog(), 'elicitation e1');
    host.emit('elicitation:removed', { id: 'e1', reason: 'accepted', message: '' });
    assert.equal(openDialog(), 'sampling s1');
  });

  it('an accepted URL request waits for the server, not the user: no dialog, not counted', () => {
    host.emit('elicitation:added', urlElicitation('u1', 'alpha', 1_000, 'waiting'));
    assert.equal(openDialog(), 'elicitation u1');
    host.emit('elicitation:updated', urlElicitation('u1', 'alpha', 1_000, 'opened'));
    assert.equal(openDialog(), 'none');
    assert.equal(selectWaitingCount(useRequests.getState()), 0);
    assert.equal(useRequests.getState().items.length, 1, 'still listed (Dismiss) until the server completes it');
    host.emit('elicitation:removed', { id: 'u1', reason: 'completed', message: '' });
    assert.deepEqual(toasts(), ['success: alpha reports the browser step is done.']);
  });

  it('a sampling request the server cancels while its dialog is open stays open with the edits, until closed', () => {
    host.emit('sampling:added', samplingRequest('s1', 'alpha', 1_000));
    host.emit('sampling:added', samplingRequest('s2', 'beta', 2_000));
    patchDraft('s1', { systemPrompt: 'Be brief, edited by hand' });
    host.emit('sampling:removed', { id: 's1', reason: 'cancelled', message: 'Request timed out' });

    const { ended } = useRequests.getState();
    assert.equal(openDialog(), 'sampling s1', 'the dialog stays on it');
    assert.equal(ended?.kind === 'sampling' && ended.draft.systemPrompt, 'Be brief, edited by hand');
    assert.deepEqual(toasts(), [], 'the dialog says it; no toast on top');
    assert.equal(selectWaitingCount(useRequests.getState()), 1, 'it no longer waits');
    closeEnded();
    assert.equal(openDialog(), 'sampling s2');
  });

  it('a request that ends while not shown goes with a toast saying why', () => {
    host.emit('sampling:added', samplingRequest('s1', 'alpha', 1_000));
    host.emit('toolCalls:added', toolCall('t1', 'Cursor', 2_000));
    host.emit('toolCalls:removed', { id: 't1', reason: 'timed-out', message: 'nobody answered within 60 s' });
    assert.deepEqual(toasts(), ['error: The call to write_note from Cursor ended: nobody answered within 60 s']);
    host.emit('elicitation:added', formElicitation('e1', 'beta', 3_000));
    host.emit('elicitation:removed', { id: 'e1', reason: 'cancelled', message: '' });
    assert.equal(toasts()[1], 'warning: The request from beta was cancelled by the server.');
    assert.equal(openDialog(), 'sampling s1');
    assert.equal(useRequests.getState().ended, null);
  });

  it('an elicitation or tool call removed while its dialog is open closes it, and the next one shows', () => {
    host.emit('elicitation:added', formElicitation('e1', 'alpha', 1_000));
    host.emit('toolCalls:added', toolCall('t1', 'Cursor', 2_000));
    host.emit('elicitation:removed', { id: 'e1', reason: 'cancelled', message: 'the server restarted' });
    assert.equal(openDialog(), 'toolCall t1');
    host.emit('toolCalls:removed', { id: 't1', reason: 'cancelled', message: '' });
    assert.equal(openDialog(), 'none');
  });

  it('streams into the draft, sends, and ignores a delta that arrives after the send', async () => {
    let finish!: () => void;
    host.answers['sampling:generate'] = () =>
      new Promise((resolve) => {
        finish = () =>
          resolve({
            result: { role: 'assistant', content: { type: 'text', text: 'Hello there' }, model: 'manual' },
            usage: {},
            elapsedMs: 5,
          });
      });
    host.answers['sampling:send'] = () => ({ ok: true });
    host.emit('sampling:added', samplingRequest('s1', 'alpha', 1_000));
    const generating = generate('s1');
    await settled();
    assert.equal(useRequests.getState().drafts.sampling.s1?.phase, 'generating');
    host.emit('sampling:delta', { id: 's1', text: 'Hello ' });
    host.emit('sampling:delta', { id: 's1', text: 'there' });
    assert.equal(useRequests.getState().drafts.sampling.s1?.streamed, 'Hello there');
    finish();
    await generating;
    assert.equal(useRequests.getState().drafts.sampling.s1?.phase, 'answer');
    await sendAnswer('s1');
    assert.deepEqual(host.calls.at(-1), {
      channel: 'sampling:send',
      request: { id: 's1', result: { role: 'assistant', content: { type: 'text', text: 'Hello there' }, model: 'manual' } },
    });
    assert.equal(openDialog(), 'none');
    host.emit('sampling:delta', { id: 's1', text: ' late' });
    host.emit('sampling:removed', { id: 's1', reason: 'sent', message: '' });
    assert.deepEqual(useRequests.getState().drafts.sampling, {});
    assert.deepEqual(toasts(), ['success: Answer sent to alpha.']);
  });

  it('a generation that returns after the server gave up changes nothing', async () => {
    let finish!: () => void;
    host.answers['sampling:generate'] = () =>
      new Promise((resolve) => {
        finish = () =>
          resolve({ result: { role: 'assistant', content: { type: 'text', text: 'Too late' }, model: 'manual' }, usage: {}, elapsedMs: 5 });
      });
    host.emit('sampling:added', samplingRequest('s1', 'alpha', 1_000));
    putAside();
    const generating = generate('s1');
    await settled();
    host.emit('sampling:removed', { id: 's1', reason: 'cancelled', message: '' });
    finish();
    await generating;
    assert.deepEqual(useRequests.getState().drafts.sampling, {});
    assert.equal(openDialog(), 'none');
    assert.deepEqual(toasts(), ['warning: Request from alpha was cancelled by the server.']);
  });

  it('approving a tool call removes it from the queue', async () => {
    host.answers['toolCalls:respond'] = () => ({ ok: true });
    host.emit('toolCalls:added', toolCall('t1', 'Cursor', 1_000));
    const call = useRequests.getState().items[0];
    assert.ok(call?.kind === 'toolCall');
    await approveToolCall(call.request, { text: 'edited' }, false);
    assert.deepEqual(host.calls.at(-1), {
      channel: 'toolCalls:respond',
      request: { id: 't1', action: 'approve', arguments: { text: 'edited' }, always: false },
    });
    assert.equal(useRequests.getState().items.length, 0);
  });

  it("after a reconnect the host's lists replace the queue; edits and Later marks of known requests stay", async () => {
    const s1 = samplingRequest('s1', 'alpha', 1_000);
    host.emit('sampling:added', s1);
    patchDraft('s1', { systemPrompt: 'kept' });
    putAside();
    // Meanwhile (socket down) a tool call arrived and an elicitation went.
    host.emit('elicitation:added', formElicitation('e1', 'beta', 500));
    host.answers['sampling:list'] = () => [s1];
    host.answers['toolCalls:list'] = () => [toolCall('t1', 'Cursor', 2_000)];
    host.answers['elicitation:list'] = () => [];
    host.reconnect();
    await settled();
    const state = useRequests.getState();
    assert.deepEqual(
      state.items.map((item) => item.key),
      ['sampling:s1', 'toolCall:t1'],
    );
    assert.equal(state.drafts.sampling.s1?.systemPrompt, 'kept');
    assert.equal(openDialog(), 'toolCall t1', 'the one put aside stays aside; the new one shows');
  });

  it('keeps the "Caused by tool call" of every request, the second from the same call too', () => {
    const cause = { name: 'ask_model', arguments: { prompt: 'hi' } };
    host.emit('sampling:added', samplingRequest('s1', 'alpha', 1_000, cause));
    putAside();
    host.emit('sampling:added', samplingRequest('s2', 'alpha', 2_000, cause));
    const open = selectOpenRequest(useRequests.getState());
    assert.equal(open?.kind === 'sampling' && open.request.toolCall?.name, 'ask_model');
  });

  it('disconnecting unsubscribes everything it subscribed', () => {
    assert.ok(host.listenerCount() > 0);
    stop();
    assert.equal(host.listenerCount(), 0);
    stop = () => undefined;
  });
});
