/**
 * Stdio servers start the same way on every OS: through `npx` (a `.cmd` shim on Windows, run by
 * cross-spawn without `shell: true`), with arguments that a shell would mangle arriving intact,
 * with the PATH of the launch environment (the login shell's on the desktop), and with the PATH
 * used shown in the server's status. CI runs this on Linux, macOS and Windows.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { SluiceHost } from '../../electron/core/host.js';
import { FileSecretStore } from '../../electron/core/storage/secret-store.js';
import type { ServerStatus } from '../../shared/domain.js';
import { childEnv } from '../fixtures/harness.js';
import { tempDir, waitForState } from '../helpers/test-host.js';
import { REPO_ROOT } from '../helpers/web-mode.js';

const LAUNCH_INFO_SERVER = path.join(REPO_ROOT, 'tests', 'fixtures', 'launch-info-server.ts');
/** What cmd.exe (and sh) would expand, split or run if an argument ever reached a shell line. */
const HOSTILE_ARGS = ['two words', '&echo pwned', '"quoted"', '%PATH%', '^caret|pipe', '$HOME', "it's"];

async function hostWith(launchPath: string) {
  const dataDir = tempDir('sluice-launch-');
  const host = await SluiceHost.start({
    dataDir,
    secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')),
    mode: 'desktop',
    // Stands in for the login shell's environment: our PATH with one directory only the "shell" knows.
    launchEnvironment: () => Promise.resolve({ env: { ...childEnv(), PATH: launchPath }, source: 'login-shell' }),
  });
  return host;
}

async function status(host: SluiceHost, name: string): Promise<ServerStatus> {
  const found = (await host.invoke('servers:list', {})).find((server) => server.definition.name === name);
  assert.ok(found, `server ${name} listed`);
  return found;
}

describe('starting stdio servers', { timeout: 120_000 }, () => {
  const hosts: SluiceHost[] = [];
  after(async () => {
    await Promise.all(hosts.map((host) => host.close()));
  });

  it('runs a server through npx with hostile arguments intact and the launch PATH', async () => {
    const fromShell = path.join(tempDir('sluice-shell-bin-'), 'bin');
    const launchPath = [fromShell, process.env.PATH ?? process.env.Path ?? ''].join(path.delimiter);
    const host = await hostWith(launchPath);
    hosts.push(host);
    await host.invoke('servers:save', {
      definition: {
        name: 'via-npx',
        type: 'stdio',
        command: 'npx',
        args: ['--no', '--', 'tsx', LAUNCH_INFO_SERVER, ...HOSTILE_ARGS],
        cwd: REPO_ROOT,
      },
    });
    await waitForState(host, 'via-npx', 'connected', 60_000);
    const result = await host.invoke('servers:callTool', { name: 'via-npx', tool: 'launch_info', arguments: {} });
    const first = result.content[0] as { type: string; text?: string };
    const info = JSON.parse(first.text ?? '{}') as { argv: string[]; path: string };
    assert.deepEqual(info.argv, HOSTILE_ARGS);
    // npx puts node_modules/.bin in front; the rest is the launch environment's PATH, not ours.
    assert.ok(info.path.split(path.delimiter).includes(fromShell), `the server got the launch environment PATH: ${info.path}`);

    const launch = (await status(host, 'via-npx')).launch;
    assert.equal(launch?.source, 'login-shell');
    assert.equal(launch?.path, launchPath);
    assert.match(path.basename(launch?.resolvedCommand ?? ''), /^npx(\.cmd)?$/i);
  });

  it('names a command that is not on PATH instead of spawning it', async () => {
    const host = await hostWith(process.env.PATH ?? '');
    hosts.push(host);
    await host.invoke('servers:save', { definition: { name: 'typo', type: 'stdio', command: 'nodee-does-not-exist', args: [] } });
    await waitForState(host, 'typo', 'error');
    const typo = await status(host, 'typo');
    assert.match(typo.error ?? '', /'nodee-does-not-exist' was not found on PATH/);
    assert.equal(typo.launch?.path, process.env.PATH);
  });
});
