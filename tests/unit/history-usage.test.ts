/** History: durable across restarts (even after a torn write), usage totals, cost and answer diffs. */
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { lineDiff } from '../../electron/core/sampling/text-diff.js';
import { DailyTokens, estimateCost, localDay, usageByServerAndDay } from '../../electron/core/sampling/usage.js';
import { HistoryStore } from '../../electron/core/storage/history-store.js';
import type { SamplingHistoryEntry as HistoryEntry } from '../../shared/domain.js';
import { tempDir } from '../helpers/test-host.js';

function entry(id: string, serverName: string, decidedAt: number, usage?: HistoryEntry['usage'], costUsd?: number): HistoryEntry {
  return {
    id,
    serverName,
    route: 'push',
    receivedAt: decidedAt - 1000,
    decidedAt,
    outcome: 'sent',
    originalParams: { messages: [{ role: 'user', content: { type: 'text', text: `question ${id}` } }], maxTokens: 10 },
    edits: [],
    answerEdited: false,
    usage,
    costUsd,
  };
}

describe('history store', () => {
  it('survives a restart and a crash mid-write', async () => {
    const dir = tempDir();
    const first = new HistoryStore(dir);
    await first.load();
    await first.append(entry('1', 'files', Date.now()));
    await first.append(entry('2', 'files', Date.now()));
    await first.flush();
    // A crash while writing the third entry leaves half a line.
    appendFileSync(first.file, JSON.stringify(entry('3', 'files', Date.now())).slice(0, 40));
    const second = new HistoryStore(dir);
    const notice = await second.load();
    assert.match(notice ?? '', /1 unreadable line/);
    assert.deepEqual(second.list().map((e) => e.id), ['2', '1']);
    await second.append(entry('4', 'files', Date.now()));
    const third = new HistoryStore(dir);
    await third.load();
    assert.deepEqual(third.list().map((e) => e.id), ['4', '2', '1'], 'the next append starts on a new line');
  });
});

describe('usage and cost', () => {
  const day1 = new Date(2025, 4, 1, 10).getTime();
  const day2 = new Date(2025, 4, 2, 10).getTime();
  const entries = [
    entry('a', 'files', day1, { inputTokens: 100, outputTokens: 20 }, 0.01),
    entry('b', 'files', day1 + 1000, { inputTokens: 50, outputTokens: 5 }, 0.002),
    entry('c', 'web', day1, { inputTokens: 7 }),
    entry('d', 'files', day2, { inputTokens: 1, outputTokens: 1 }),
  ];

  it('totals per server per day, newest first', () => {
    const rows = usageByServerAndDay(entries);
    assert.deepEqual(rows.map((row) => [row.day, row.serverName, row.requests, row.inputTokens, row.outputTokens]), [
      [localDay(day2), 'files', 1, 1, 1],
      [localDay(day1), 'files', 2, 150, 25],
      [localDay(day1), 'web', 1, 7, 0],
    ]);
    assert.equal(Math.round(rows[1]!.costUsd * 1000) / 1000, 0.012);
  });

  it('counts today\'s tokens for the budget', () => {
    const daily = new DailyTokens();
    entries.forEach((e) => daily.add(e));
    assert.equal(daily.usedOn('files', day1 + 5000), 175);
    assert.equal(daily.usedOn('web', day2), 0);
  });

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
