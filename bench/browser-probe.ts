/**
 * In-page instrumentation for the browser benchmarks: records when a sampling dialog appears,
 * at the first animation frame after it enters the DOM (the frame it is painted in).
 */
import type { Page } from 'playwright-core';

export async function watchDialogs(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __dialogShown: number[] };
    w.__dialogShown = [];
    let present = false;
    new MutationObserver(() => {
      const now = Boolean(document.querySelector('[role="dialog"][aria-label^="Sampling request"]'));
      if (now && !present) {
        requestAnimationFrame(() => w.__dialogShown.push(performance.timeOrigin + performance.now()));
      }
      present = now;
    }).observe(document.body, { childList: true, subtree: true });
  });
}

export async function dialogsShown(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __dialogShown: number[] }).__dialogShown);
}
