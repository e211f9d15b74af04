/**
 * "Choose file…" in the import panel: the host answers `import:pickFile` with what the desktop
 * app's native file picker (a `pickFile` option from electron/main.ts, faked here) returned, and
 * web mode, which has no picker, gets a clear error.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { INVOKE_CHANNEL_NAMES } from '../../shared/channels.js';
import { SluiceHost } from '../../electron/core/host.js';
import { FileSecretStore } from '../../electron/core/storage/secret-store.js';
import { tempDir } from '../helpers/test-host.js';

function startHost(mode: 'desktop' | 'web', pickFile?: () => Promise<string | undefined>): Promise<SluiceHost> {
  const dataDir = tempDir();
  return SluiceHost.start({ dataDir, secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')), mode, pickFile });
}

describe('import: choosing a config file', () => {
  const hosts: SluiceHost[] = [];
  after(async () => {
    await Promise.all(hosts.map((host) => host.close()));
  });

  it('is a contract channel the preload exposes', () => {
    assert.ok((INVOKE_CHANNEL_NAMES as readonly string[]).includes('import:pickFile'));
  });

  it('answers the path the desktop picker returned, and that file previews', async () => {
    const file = path.join(tempDir(), 'claude_desktop_config.json');
    writeFileSync(file, JSON.stringify({ mcpServers: { files: { command: 'npx', args: ['-y', 'server-filesystem', '/tmp'] } } }));
    let opened = 0;
    const host = await startHost('desktop', async () => {
      opened += 1;
      return file;
    });
    hosts.push(host);
    const picked = await host.invoke('import:pickFile', {});
    assert.equal(opened, 1, 'the picker was opened once');
    assert.deepEqual(picked, { path: file });
    const preview = await host.invoke('import:preview', { path: picked.path });
    assert.deepEqual(
      preview.candidates.map((c) => c.sourceName),
      ['files'],
    );
  });

  it('answers no path when the user cancels the picker', async () => {
    const host = await startHost('desktop', async () => undefined);
    hosts.push(host);
    assert.deepEqual(await host.invoke('import:pickFile', {}), { path: undefined });
  });

  it('refuses in web mode with a message that says what to do instead', async () => {
    const host = await startHost('web');
    hosts.push(host);
    await assert.rejects(host.invoke('import:pickFile', {}), /no file picker in web mode: type the path/);
  });

  it('refuses a payload the contract does not allow', async () => {
    const host = await startHost('desktop', async () => '/never/asked');
    hosts.push(host);
    await assert.rejects(host.invoke('import:pickFile', { path: '/etc/passwd' }));
  });
});
