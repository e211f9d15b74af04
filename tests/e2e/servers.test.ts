/**
 * Server management end to end, as a user in the browser (web mode, real host, real servers):
 * add a stdio server through the form (with a validation error first), see it connect, open its
 * tools, run one through the schema form and see the result; browse its resources and logs; and
 * import a Claude Desktop config file.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { FIXTURES_DIR, childEnv, fixtureCommand } from '../fixtures/harness.js';
import { tempDir } from '../helpers/test-host.js';
import { eventually } from '../helpers/eventually.js';
import { REPO_ROOT, browserSkipReason, launchChromium, startWebHost, type WebHost } from '../helpers/web-mode.js';

const skip = browserSkipReason();
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');
const RICH_SERVER = path.join(FIXTURES_DIR, 'rich-server.ts');

describe('managing servers in the browser (web mode)', { skip }, () => {
  let web: WebHost;
  let browser: Browser;
  let page: Page;
  const claudeConfig = path.join(tempDir('sluice-e2e-claude-'), 'claude_desktop_config.json');
  const dataDir = tempDir('sluice-e2e-servers-');

  before(async () => {
    const { command, args } = fixtureCommand(RICH_SERVER);
    writeFileSync(claudeConfig, JSON.stringify({ mcpServers: { 'from-claude': { command, args, env: childEnv() } } }));
    // The web host passes its environment on; the fixture needs tsx from it (see helpers/test-host.ts).
    web = await startWebHost(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('add a server through the form, see it connect, run a tool from the schema form', async () => {
    const { command, args } = fixtureCommand(RICH_SERVER);
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Add server' }).click();
    await page.getByLabel('Name').fill('rich');
    // Saving without a command says what is missing.
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('A stdio server needs a command').waitFor();
    await page.getByLabel('Command').fill(command);
    await page.getByLabel('Arguments').fill(args.join('\n'));
    await page.getByRole('button', { name: 'Add variable' }).click();
    await page.getByLabel('Environment variable name 1').fill('API_TOKEN');
    const secret = page.getByLabel('Environment variable value 1');
    await secret.fill('s3cret');
    assert.equal(await secret.getAttribute('type'), 'password', 'a secret-looking value is masked');
    await page.getByRole('button', { name: 'Add variable' }).click();
    // The fixture runs with tsx from node_modules; give the child the PATH and NODE_OPTIONS-free env it needs.
    await page.getByLabel('Environment variable name 2').fill('PATH');
    await page.getByLabel('Environment variable value 2').fill(process.env.PATH ?? '');
    await page.getByRole('button', { name: 'Save' }).click();

    const card = page.getByTestId('server-rich');
    await card.getByText('Connected').waitFor({ timeout: 30_000 });
    await card.click();
    const toolRow = page.getByTestId('tool-describe_order');
    await toolRow.getByRole('button', { name: 'Run' }).click();
    // Required fields are checked before anything is sent.
    await toolRow.getByRole('button', { name: 'Call tool' }).click();
    await toolRow.getByText('2 fields need attention').waitFor();
    await toolRow.getByLabel('customer').fill('Ada');
    await toolRow.getByLabel('size').selectOption('large');
    await toolRow.getByLabel('quantity').fill('3');
    await toolRow.getByRole('button', { name: 'Add tags item' }).click();
    await toolRow.getByRole('textbox', { name: 'tags 1', exact: true }).fill('gift');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-servers-tool-form.png') });
    await toolRow.getByRole('button', { name: 'Call tool' }).click();
    const result = toolRow.getByTestId('tool-result');
    await result.getByText('"customer":"Ada"', { exact: false }).waitFor();
    assert.deepEqual(JSON.parse(await result.locator('pre').first().innerText()), {
      customer: 'Ada',
      quantity: 3,
      size: 'large',
      tags: ['gift'],
    });

    // The JSON tab shows the same arguments the form produced.
    await toolRow.getByRole('tab', { name: 'JSON' }).click();
    assert.deepEqual(JSON.parse(await toolRow.getByLabel('Arguments (JSON)').inputValue()), {
      customer: 'Ada',
      quantity: 3,
      size: 'large',
      tags: ['gift'],
    });
  });

  it('browse resources and see the log', async () => {
    await page.getByRole('tab', { name: 'Resources' }).click();
    const readme = page.getByTestId('resource-note://readme');
    await readme.getByRole('button', { name: 'Read' }).click();
    await readme.getByText('Hello from the rich fixture.').waitFor();
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByTestId('server-log').getByText('serving on stdio', { exact: false }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-servers-logs.png') });
  });

  it('the chosen log level is stored, and editing the server keeps it', async () => {
    await page.getByLabel('Server log level').selectOption('warning');
    await page.getByText('The server now sends warning and above.').waitFor();
    const stored = () =>
      (
        JSON.parse(readFileSync(path.join(dataDir, 'servers.json'), 'utf8')) as {
          mcpServers: Record<string, { logLevel?: string; era?: string }>;
        }
      ).mcpServers.rich;
    assert.equal(stored()?.logLevel, 'warning');
    // Edit something else in the form: the level (which the form does not show) survives the save.
    await page.getByTestId('server-rich').getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Protocol era').selectOption('legacy');
    await page.getByRole('button', { name: 'Save' }).click();
    // (It was connected before the save too: wait for the file, not only for the status.)
    await eventually('the edited era in servers.json', () => stored()?.era === 'legacy');
    await page.getByTestId('server-rich').getByText('Connected').waitFor({ timeout: 30_000 });
    assert.equal(stored()?.logLevel, 'warning');
    await page.getByTestId('server-rich').click();
    await page.getByRole('tab', { name: 'Logs' }).click();
    assert.equal(await page.getByLabel('Server log level').inputValue(), 'warning');
  });

  it('import a Claude Desktop config file', async () => {
    const { command } = fixtureCommand(RICH_SERVER);
    await page.getByRole('button', { name: 'Import…' }).click();
    await page.getByLabel('Config file path').fill(claudeConfig);
    await page.getByRole('button', { name: 'Preview' }).last().click();
    const row = page.getByTestId('import-from-claude');
    await row.waitFor();
    // It runs the same command as "rich", added above: flagged, and left unchecked until the user opts in.
    await row.getByText('Same server as “rich”').waitFor();
    const checkbox = row.getByLabel('Import from-claude');
    assert.equal(await checkbox.isChecked(), false);
    await checkbox.check();
    // The preview shows exactly what will run: the command and each argument of the converted definition.
    await row.getByText('Runs this command on your computer').waitFor();
    await row
      .locator('dt', { hasText: /^Command$/ })
      .first()
      .waitFor();
    await row.locator('dd code', { hasText: command }).first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'e2e-servers-import.png') });
    await page.getByRole('button', { name: 'Import 1 server' }).click();
    // A command from another program's file is added switched off: it starts when the user enables it.
    const imported = page.getByTestId('server-from-claude');
    await imported.getByText('Disabled').waitFor();
    await imported.getByRole('button', { name: 'Enable' }).click();
    await imported.getByText('Connected').waitFor({ timeout: 30_000 });
  });
});
