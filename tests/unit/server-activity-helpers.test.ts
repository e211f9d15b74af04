/**
 * The bounded helpers behind issue 17: list walking (page, item and repeated-cursor bounds),
 * task poll clamping, progress coalescing, annotation badges, data:-only icons and text-blob decoding.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { walkPages } from '../../electron/core/servers/pages.js';
import { clampPoll, MAX_POLL_MS, MIN_POLL_MS } from '../../electron/core/servers/task-tracker.js';
import { InFlightCalls, PROGRESS_INTERVAL_MS } from '../../electron/core/servers/in-flight.js';
import type { ProgressEvent } from '../../shared/server-activity.js';
import { toolBadges } from '../../renderer/src/components/common/ToolBadges.js';
import { pickIcon } from '../../renderer/src/components/common/SafeIcon.js';
import { decodeTextBlob, isMarkdown, isTextMime } from '../../renderer/src/components/servers/ResourceContents.js';

describe('walkPages', () => {
  it('follows nextCursor to the end', async () => {
    const pages: Record<string, { items: number[]; nextCursor?: string }> = {
      '': { items: [1, 2], nextCursor: 'b' },
      b: { items: [3], nextCursor: 'c' },
      c: { items: [4] },
    };
    const asked: Array<string | undefined> = [];
    const walked = await walkPages((cursor) => {
      asked.push(cursor);
      return Promise.resolve(pages[cursor ?? ''] ?? { items: [] });
    });
    assert.deepEqual(walked, { items: [1, 2, 3, 4], pages: 3 });
    assert.deepEqual(asked, [undefined, 'b', 'c']);
  });

  it('stops an endless cursor at the page bound and keeps what it got', async () => {
    let n = 0;
    const walked = await walkPages(() => Promise.resolve({ items: [n], nextCursor: `c${++n}` }), { maxPages: 7 });
    assert.equal(walked.items.length, 7);
    assert.match(walked.truncated ?? '', /after 7 pages/);
  });

  it('stops at a repeated cursor and at the item bound', async () => {
    const looped = await walkPages(() => Promise.resolve({ items: ['x'], nextCursor: 'same' }));
    assert.equal(looped.pages, 2);
    assert.match(looped.truncated ?? '', /same cursor twice/);
    let page = 0;
    const big = await walkPages(() => Promise.resolve({ items: Array.from({ length: 40 }, (_, i) => i), nextCursor: `more-${++page}` }), {
      maxItems: 100,
    });
    assert.equal(big.items.length, 100);
    assert.match(big.truncated ?? '', /100 items/);
  });
});

describe('task poll interval', () => {
  it('is clamped between the bounds, with a default', () => {
    assert.equal(clampPoll(1), MIN_POLL_MS);
    assert.equal(clampPoll(10 * 60_000), MAX_POLL_MS);
    assert.equal(clampPoll(2_000), 2_000);
    assert.equal(clampPoll(undefined), 1_000);
    assert.equal(clampPoll(Number.NaN), 1_000);
  });
});

describe('progress coalescing', () => {
  it('sends the first report at once and only the latest of a flood', async () => {
    const sent: ProgressEvent[] = [];
    const calls = new InFlightCalls((event) => sent.push(event));
    await calls.run('s', 'c', async (control) => {
      for (let i = 1; i <= 1_000; i++) control.onprogress({ progress: i, total: 1_000, message: 'x'.repeat(2_000) });
      await new Promise((resolve) => setTimeout(resolve, PROGRESS_INTERVAL_MS * 2));
    });
    assert.equal(sent.length, 2);
    assert.equal(sent[0]?.progress, 1);
    assert.equal(sent[1]?.progress, 1_000);
    assert.equal(sent[1]?.message?.length, 500);
  });
});

describe('tool badges', () => {
  it('shows only the hints a server states', () => {
    assert.deepEqual(
      toolBadges({}).map((b) => b.label),
      [],
    );
    assert.deepEqual(
      toolBadges({
        annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
        execution: { taskSupport: 'optional' },
      }).map((b) => b.label),
      ['read-only', 'idempotent', 'task optional'],
    );
    assert.deepEqual(
      toolBadges({ annotations: { destructiveHint: true, openWorldHint: true } }).map((b) => b.label),
      ['destructive', 'open-world'],
    );
  });
});

describe('icons and text blobs', () => {
  it('picks only a raster data: icon', () => {
    assert.equal(pickIcon([{ src: 'https://example.com/i.png' }, { src: 'data:image/svg+xml;base64,PHN2Zz4=' }]), undefined);
    assert.equal(pickIcon([{ src: 'https://example.com/i.png' }, { src: 'data:image/png;base64,AAAA' }]), 'data:image/png;base64,AAAA');
  });

  it('decodes UTF-8 text blobs and refuses binary', () => {
    assert.equal(decodeTextBlob(Buffer.from('héllo').toString('base64')), 'héllo');
    assert.equal(decodeTextBlob(Buffer.from([0xff, 0xfe, 0x00]).toString('base64')), undefined);
    assert.ok(isTextMime('application/json') && isTextMime('text/csv; charset=utf-8') && !isTextMime('application/gzip'));
    assert.ok(isMarkdown('text/markdown') && isMarkdown(undefined, 'file:///a/README.md') && !isMarkdown('text/plain'));
  });
});
