/** Cost estimates and answer diffs (the history's usage table itself is tested in history-store.test.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineDiff } from '../../shared/text-diff.js';
import { estimateCost } from '../../electron/core/sampling/usage.js';

describe('cost', () => {
  it('estimates cost from prices per 1M tokens', () => {
    assert.equal(estimateCost({ inputTokens: 1_000_000, outputTokens: 500_000 }, { inputPricePerMTok: 3, outputPricePerMTok: 15 }), 10.5);
    assert.equal(estimateCost({ inputTokens: 10 }, { cost: 0.5 }), undefined, 'no prices, no estimate');
  });
});

describe('answer diff', () => {
  it('marks removed and added lines', () => {
    assert.deepEqual(lineDiff('a\nb\nc', 'a\nB\nc\nd'), ['  a', '- b', '+ B', '  c', '+ d']);
  });
});
