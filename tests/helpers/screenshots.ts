/** Screenshots of the real UI in both themes, for a person to look at (test-results/). */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './web-mode.js';

export const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

/** `<name>-light.png` and `<name>-dark.png` (the system theme, which Sluice follows by default); leaves the page light. */
export async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
