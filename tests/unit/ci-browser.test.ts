/** With CI set, a missing Chromium fails the e2e layer instead of skipping it. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/web-mode.js';

function probe(env: Record<string, string | undefined>) {
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', "require('./tests/helpers/web-mode.ts').browserSkipReason()"], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

describe('browser tests in CI', () => {
  it('a missing Chromium skips locally, with the reason printed', () => {
    const run = probe({ CI: '', CHROMIUM_PATH: '/nonexistent/chromium' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /skipping browser tests: no chromium at \/nonexistent\/chromium/);
  });

  it('with CI set, a missing Chromium is an error', () => {
    const run = probe({ CI: 'true', CHROMIUM_PATH: '/nonexistent/chromium' });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /CI is set, so the end-to-end UI tests must run, but no chromium at \/nonexistent\/chromium/);
  });
});
