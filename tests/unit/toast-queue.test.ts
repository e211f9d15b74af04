/** Toasts: identical ones merge with a count, at most five show, errors stay until closed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Toast } from '../../renderer/src/lib/toast-queue.js';
import { MAX_TOASTS, pushToast, toastLifetime } from '../../renderer/src/lib/toast-queue.js';

let id = 0;
const newId = () => ++id;

describe('pushToast', () => {
  it('merges an identical toast into the one showing, counting it and moving it last', () => {
    let toasts: Toast[] = [];
    ({ toasts } = pushToast(toasts, { kind: 'error', text: 'Could not save' }, newId));
    ({ toasts } = pushToast(toasts, { kind: 'info', text: 'Saved' }, newId));
    const merged = pushToast(toasts, { kind: 'error', text: 'Could not save' }, newId);
    assert.deepEqual(
      merged.toasts.map((t) => [t.text, t.count ?? 1]),
      [
        ['Saved', 1],
        ['Could not save', 2],
      ],
    );
    assert.equal(merged.shown.id, toasts[0]?.id, 'the same toast, not a new one');
    assert.equal(pushToast(merged.toasts, { kind: 'error', text: 'Could not save' }, newId).shown.count, 3);
  });

  it('keeps toasts of another kind or text apart', () => {
    let toasts: Toast[] = [];
    ({ toasts } = pushToast(toasts, { kind: 'error', text: 'A' }, newId));
    ({ toasts } = pushToast(toasts, { kind: 'warning', text: 'A' }, newId));
    ({ toasts } = pushToast(toasts, { kind: 'error', text: 'B' }, newId));
    assert.equal(toasts.length, 3);
  });

  it(`shows at most ${MAX_TOASTS}, dropping the oldest`, () => {
    let toasts: Toast[] = [];
    for (let i = 1; i <= 7; i++) ({ toasts } = pushToast(toasts, { kind: 'error', text: `error ${i}` }, newId));
    assert.deepEqual(
      toasts.map((t) => t.text),
      ['error 3', 'error 4', 'error 5', 'error 6', 'error 7'],
    );
  });
});

describe('toastLifetime', () => {
  it('info, success and warning go away by themselves; an offered action gets longer; errors stay', () => {
    assert.equal(toastLifetime({ kind: 'info' }), 5_000);
    assert.equal(toastLifetime({ kind: 'success' }), 5_000);
    assert.equal(toastLifetime({ kind: 'warning' }), 8_000);
    assert.equal(toastLifetime({ kind: 'info', action: { label: 'Undo', run: () => undefined } }), 10_000);
    assert.equal(toastLifetime({ kind: 'error' }), undefined);
    assert.equal(toastLifetime({ kind: 'error', action: { label: 'Add a key', run: () => undefined } }), undefined);
  });
});
