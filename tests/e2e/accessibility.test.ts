/**
 * Accessibility: axe-core (through @axe-core/playwright, on playwright-core) audits every screen
 * and dialog of the web UI, in the light theme and in the dark theme chosen in the sidebar, and
 * fails on any critical or serious violation (WCAG 2.1 A/AA rules). Each screen is also saved as
 * a screenshot in test-results/ (a11y-<theme>-<screen>.png) to be looked at.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { FIXTURES_DIR, LEGACY_SERVER } from '../fixtures/harness.js';
import { startFakeLlm, type FakeLlm } from '../fixtures/fake-llm.js';
import { stdioFixture, tempDir, writeFakeProvider, writeServersFile } from '../helpers/test-host.js';
import { REPO_ROOT, browserSkipReason, launchChromium, openBridgeClient, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

type Bridge = Awaited<ReturnType<typeof openBridgeClient>>;

describe('accessibility of every screen and dialog, both themes (axe-core)', { skip }, () => {
  let llm: FakeLlm;
  let web: WebHost;
  let browser: Browser;
  let bridge: Bridge;
  const problems: string[] = [];

  before(async () => {
    llm = await startFakeLlm({ reply: { text: 'A short, readable answer.' } });
    const dataDir = tempDir('sluice-e2e-a11y-');
    writeServersFile(dataDir, [
      stdioFixture('legacy', LEGACY_SERVER),
      stdioFixture('asker', path.join(FIXTURES_DIR, 'elicit-legacy-server.ts')),
    ]);
    writeFakeProvider(dataDir, llm.url);
    web = await startWebHost(dataDir);
    bridge = await openBridgeClient(web);
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    bridge?.close();
    await browser?.close();
    await web?.stop();
    await llm?.close();
  });

  /** Audits what the page shows now; records critical and serious violations, saves a screenshot. */
  async function audit(page: Page, theme: string, screen: string): Promise<void> {
    await page.screenshot({ path: path.join(SCREENSHOTS, `a11y-${theme}-${screen}.png`) });
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    for (const violation of results.violations) {
      if (violation.impact !== 'critical' && violation.impact !== 'serious') continue;
      const targets = violation.nodes
        .slice(0, 4)
        .map(
          (node) =>
            `${node.target.join(' ')}${node.failureSummary ? ` — ${node.failureSummary.split('\n').slice(1, 2).join(' ').trim()}` : ''}`,
        );
      problems.push(
        `[${theme}] ${screen}: ${violation.id} (${violation.impact}, ${violation.nodes.length}×) ${violation.help}\n      ${targets.join('\n      ')}`,
      );
    }
    // Kept on disk as it grows, so a slow machine's partial run still says what it found.
    writeFileSync(path.join(SCREENSHOTS, 'a11y-violations.txt'), problems.join('\n'));
  }

  async function walk(theme: 'light' | 'dark'): Promise<void> {
    // axe needs a page of an explicit context.
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    const page = await context.newPage();
    try {
      await page.goto(web.url);
      if (theme === 'dark') {
        // The manual choice wins over the OS's (the context says light).
        await page.getByLabel('Theme').selectOption('dark');
        assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
      }
      const legacy = page.getByTestId('server-legacy');
      await legacy.getByText('Connected').waitFor({ timeout: 30_000 });
      await page.getByTestId('server-asker').getByText('Connected').waitFor({ timeout: 30_000 });
      await audit(page, theme, 'servers');

      await legacy.click();
      await page.getByTestId('tool-ask_model').waitFor({ timeout: 20_000 });
      await audit(page, theme, 'server-tools');
      await page.getByTestId('tool-ask_model').getByRole('button', { name: 'Run' }).click();
      await audit(page, theme, 'server-tool-runner');
      for (const tab of ['Logs', 'Sampling', 'Roots']) {
        await page.getByRole('tab', { name: tab }).click();
        await audit(page, theme, `server-tab-${tab.toLowerCase()}`);
      }
      await page.getByRole('tab', { name: 'Tools' }).click();

      await page.getByRole('button', { name: 'Add server' }).click();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('A stdio server needs a command').waitFor();
      await audit(page, theme, 'server-form-errors');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Import…' }).click();
      await audit(page, theme, 'import');

      await page.getByRole('button', { name: /^Providers/ }).click();
      await audit(page, theme, 'providers');
      await page.getByRole('button', { name: 'Add provider' }).click();
      await audit(page, theme, 'provider-form');

      await page.getByRole('button', { name: /^Requests/ }).click();
      await audit(page, theme, 'requests-empty');

      // A sampling request: the dialog while editing, with the answer, then the Requests view with it put aside.
      void bridge
        .invoke('servers:callTool', { name: 'legacy', tool: 'ask_model', arguments: { prompt: `Accessible in ${theme}?` } })
        .catch(() => undefined);
      const sampling = page.getByRole('dialog', { name: 'Sampling request from legacy' });
      await sampling.waitFor({ timeout: 20_000 });
      await audit(page, theme, 'sampling-dialog');
      await sampling.getByRole('button', { name: 'Later' }).click();
      await page.getByRole('button', { name: 'Open' }).first().waitFor();
      await audit(page, theme, 'requests-waiting');
      await page.getByRole('button', { name: 'Open' }).first().click();
      await sampling.getByRole('button', { name: 'Approve and generate' }).click();
      await sampling.getByLabel('Answer').waitFor({ timeout: 20_000 });
      await audit(page, theme, 'sampling-answer');
      await sampling.getByRole('button', { name: 'Send' }).click();
      await sampling.waitFor({ state: 'detached' });

      // An elicitation form.
      void bridge.invoke('servers:callTool', { name: 'asker', tool: 'ask_form', arguments: {} }).catch(() => undefined);
      const elicitation = page.getByRole('dialog', { name: /^(Information requested by|Open a page for) asker$/ });
      await elicitation.waitFor({ timeout: 20_000 });
      await audit(page, theme, 'elicitation-form');
      await elicitation.getByRole('button', { name: 'Accept' }).click();
      await elicitation.getByRole('alert').first().waitFor();
      await audit(page, theme, 'elicitation-form-errors');
      await elicitation.getByRole('button', { name: 'Decline' }).click();
      await elicitation.waitFor({ state: 'detached' });

      await page.getByRole('button', { name: /^History/ }).click();
      const first = page.locator('.history-item').first();
      await first.waitFor();
      // The row opens its entry in the detail pane (the audit covers both).
      await first.click();
      await page.getByTestId('history-detail').getByText('Decided', { exact: true }).waitFor();
      await audit(page, theme, 'history');
    } finally {
      await context.close();
    }
  }

  it('light theme: no critical or serious violation', async () => {
    await walk('light');
  });

  it('dark theme (chosen in the sidebar): no critical or serious violation', async () => {
    await walk('dark');
  });

  /** The structure rules axe rates "moderate" (so `audit` does not fail on them): asserted here. */
  async function structureViolations(page: Page, screen: string): Promise<string[]> {
    const results = await new AxeBuilder({ page }).withRules(['landmark-one-main', 'page-has-heading-one', 'heading-order']).analyze();
    return results.violations.map((v) => `${screen}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }

  it('one main landmark, ordered headings, live announcements and fields linked to their errors', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    const page = await context.newPage();
    try {
      await page.goto(web.url);
      await page.getByTestId('server-legacy').getByText('Connected').waitFor({ timeout: 30_000 });
      // Every announcement the polite live region makes, in order (some last only a moment).
      await page.evaluate(() => {
        const region = document.querySelector('[data-testid="live-announcer"]');
        const said: string[] = [];
        (window as unknown as { announced: string[] }).announced = said;
        if (region)
          new MutationObserver(() => said.push(region.textContent ?? '')).observe(region, {
            childList: true,
            characterData: true,
            subtree: true,
          });
      });
      const announced = () => page.evaluate(() => (window as unknown as { announced?: string[] }).announced ?? []);
      const live = page.getByTestId('live-announcer');
      assert.equal(await live.getAttribute('aria-live'), 'polite');

      const structure: string[] = [];
      for (const view of ['Servers', 'Requests', 'Providers', 'History', 'Connect apps']) {
        await page.getByRole('button', { name: new RegExp(`^${view}`) }).click();
        await page.getByRole('heading', { level: 1, name: view }).waitFor();
        assert.equal(await page.getByRole('main').count(), 1, `${view}: one main landmark`);
        structure.push(...(await structureViolations(page, view)));
      }

      await page.getByRole('button', { name: /^Servers/ }).click();
      await page.getByTestId('server-legacy').click();
      await page.getByTestId('tool-ask_model').waitFor({ timeout: 20_000 });
      structure.push(...(await structureViolations(page, 'server tools')));
      for (const tab of ['Logs', 'Sampling', 'Roots']) {
        await page.getByRole('tab', { name: tab }).click();
        structure.push(...(await structureViolations(page, `server tab ${tab}`)));
      }
      await page.getByRole('tab', { name: 'Tools' }).click();
      await page.getByRole('button', { name: 'Import…' }).click();
      structure.push(...(await structureViolations(page, 'import')));

      /** A field marked invalid, and the text its `aria-describedby` points at. */
      const errorOf = async (field: ReturnType<Page['getByLabel']>) => {
        assert.equal(await field.getAttribute('aria-invalid'), 'true');
        const id = await field.getAttribute('aria-describedby');
        assert.ok(id, 'the invalid field points at its error');
        return page.locator(`[id="${id}"]`).textContent();
      };
      // The import path, left empty.
      await page.getByRole('button', { name: 'Preview' }).click();
      assert.equal(await errorOf(page.getByLabel('Config file path')), 'Give the path of a config file.');
      // The provider form, saved without a name or models.
      await page.getByRole('button', { name: /^Providers/ }).click();
      await page.getByRole('button', { name: 'Add provider' }).click();
      await page.getByRole('button', { name: 'Save provider' }).click();
      assert.equal(await errorOf(page.getByLabel('Provider name')), 'A provider needs a name');
      assert.equal(await errorOf(page.getByLabel('Models', { exact: true })), 'List at least one model');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'a11y-provider-form-field-errors.png') });
      await page.getByLabel('Provider name').fill('Typed');
      assert.equal(await page.getByLabel('Provider name').getAttribute('aria-invalid'), null, 'edited: no longer marked invalid');
      structure.push(...(await structureViolations(page, 'provider form')));

      // Two requests arrive: each is announced with how many wait.
      for (const n of [1, 2]) {
        void bridge
          .invoke('servers:callTool', { name: 'legacy', tool: 'ask_model', arguments: { prompt: `Announced ${n}?` } })
          .catch(() => undefined);
        await page.waitForFunction(
          (text) => document.querySelector('[data-testid="live-announcer"]')?.textContent === text,
          `New request (${n} waiting)`,
          { timeout: 20_000 },
        );
      }
      const sampling = page.getByRole('dialog', { name: 'Sampling request from legacy' });
      await sampling.waitFor();
      // The dialog is named by its visible title.
      const titleId = await sampling.getAttribute('aria-labelledby');
      assert.ok(titleId, 'the dialog is labelled by its title');
      assert.equal(await page.locator(`[id="${titleId}"]`).textContent(), 'Sampling request from legacy');
      structure.push(...(await structureViolations(page, 'sampling dialog')));

      // An invalid max tokens: the field says it is invalid and points at the sentence saying why.
      const maxTokens = sampling.getByLabel('Max tokens');
      await maxTokens.fill('0');
      await sampling.getByRole('button', { name: 'Approve and generate' }).click();
      assert.equal(await maxTokens.getAttribute('aria-invalid'), 'true');
      const describedBy = await maxTokens.getAttribute('aria-describedby');
      assert.ok(describedBy, 'max tokens points at its error');
      assert.equal(await page.locator(`[id="${describedBy}"]`).textContent(), 'Max tokens must be a whole number greater than 0.');
      await maxTokens.fill('200');
      assert.equal(await maxTokens.getAttribute('aria-invalid'), null, 'fixed: no longer invalid');

      await sampling.getByRole('button', { name: 'Approve and generate' }).click();
      await sampling.getByLabel('Answer').waitFor({ timeout: 20_000 });
      await page.waitForFunction(() => document.querySelector('[data-testid="live-announcer"]')?.textContent === 'Answer ready');
      const said = (await announced()).filter((text, i, all) => text !== all[i - 1]);
      assert.deepEqual(said.slice(-2), ['Generating…', 'Answer ready']);
      assert.equal(await page.locator('[aria-busy="true"]').count(), 0, 'nothing is left busy once the answer is there');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'a11y-announced-answer.png') });
      await sampling.getByRole('button', { name: 'Send' }).click();
      await sampling.getByRole('button', { name: 'Later' }).click();

      // An elicitation form: its headings are in order too.
      void bridge.invoke('servers:callTool', { name: 'asker', tool: 'ask_form', arguments: {} }).catch(() => undefined);
      const elicitation = page.getByRole('dialog', { name: /^(Information requested by|Open a page for) asker$/ });
      await elicitation.waitFor({ timeout: 20_000 });
      structure.push(...(await structureViolations(page, 'elicitation dialog')));
      await elicitation.getByRole('button', { name: 'Decline' }).click();
      await elicitation.waitFor({ state: 'detached' });

      // History: a table whose column headers a screen reader reads with each cell.
      await page.getByRole('button', { name: /^History/ }).click();
      const table = page.getByRole('table', { name: 'History entries' });
      await table.getByRole('row').nth(1).waitFor();
      assert.deepEqual(await table.getByRole('columnheader').allTextContents(), [
        'Time',
        'Server',
        'Outcome',
        'Model / tool',
        'Edits',
        'Tokens',
        'Latency',
        'Summary',
      ]);
      const firstEntry = table.getByRole('row').nth(1);
      assert.equal(await firstEntry.getByRole('cell').nth(1).textContent(), 'legacy');
      await firstEntry.focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('history-detail').getByText('Decided', { exact: true }).waitFor();
      const tableRules = await new AxeBuilder({ page })
        .withRules(['aria-required-children', 'aria-required-parent', 'nested-interactive'])
        .analyze();
      structure.push(...tableRules.violations.map((v) => `history: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
      structure.push(...(await structureViolations(page, 'history')));
      await page.screenshot({ path: path.join(SCREENSHOTS, 'a11y-history-table.png') });

      assert.deepEqual(structure, [], `structure problems:\n${structure.join('\n')}`);
    } finally {
      await context.close();
    }
  });

  it('reports every violation found', () => {
    assert.deepEqual(problems, [], `axe found ${problems.length} critical/serious problem(s):\n${problems.join('\n')}`);
  });
});
