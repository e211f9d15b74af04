/**
 * "Add Sluice to <app>" on temp homes with real-looking config files: the entry each app expects,
 * everything else in the file kept (comments and trailing commas in VS Code's JSONC), a backup
 * first, an existing `sluice` entry replaced only when asked, and unreadable files refused with
 * nothing written.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'jsonc-parser';
import { AppConfigs } from '../../electron/core/gateway/app-configs.js';
import type { GatewayStatus } from '../../shared/gateway.js';
import { tempDir } from '../helpers/test-host.js';

const TOKEN = 'sluice_test-token';
const status: GatewayStatus = {
  settings: { enabled: true, port: 47_820 },
  listening: true,
  url: 'http://127.0.0.1:47820/mcp',
  apps: [],
  tokens: [],
  relay: { command: '/opt/Sluice/sluice', args: ['--mcp-stdio'] },
};

function setUp(files: Record<string, string> = {}) {
  const home = tempDir('sluice-home-');
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(home, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return { home, configs: new AppConfigs({ home, platform: 'linux', relay: status.relay }) };
}

const backupsOf = (file: string) =>
  readdirSync(path.dirname(file)).filter((name) => name.startsWith(`${path.basename(file)}.sluice-backup-`));

describe('app config writers', () => {
  it('Claude Desktop: creates the file with the stdio relay entry', async () => {
    const { home, configs } = setUp();
    const preview = await configs.preview('claude-desktop', status);
    assert.equal(preview.exists, false);
    assert.ok(preview.diff.some((line) => line.includes('--mcp-stdio')));
    const written = await configs.write('claude-desktop', status, undefined, false);
    assert.equal(written.path, path.join(home, '.config', 'Claude', 'claude_desktop_config.json'));
    assert.equal(written.backup, undefined);
    assert.deepEqual(JSON.parse(readFileSync(written.path, 'utf8')), {
      mcpServers: { sluice: { command: '/opt/Sluice/sluice', args: ['--mcp-stdio'] } },
    });
  });

  it('Cursor: adds the URL entry beside the other servers and backs the file up first', async () => {
    const original = JSON.stringify(
      { mcpServers: { github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'] } } },
      null,
      2,
    );
    const { configs } = setUp({ '.cursor/mcp.json': original });
    const { path: file, backup } = await configs.write('cursor', status, TOKEN, false);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(written.mcpServers.github, { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'] });
    assert.deepEqual(written.mcpServers.sluice, { url: 'http://127.0.0.1:47820/mcp', headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(readFileSync(backup!, 'utf8'), original);
  });

  it('VS Code: keeps comments and trailing commas (JSONC) and uses "servers" with type http', async () => {
    const original = [
      '{',
      '  // My servers',
      '  "servers": {',
      '    "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"], }, // trailing comma',
      '  },',
      '  "inputs": [],',
      '}',
      '',
    ].join('\n');
    const { home, configs } = setUp({ '.config/Code/User/mcp.json': original });
    const preview = await configs.preview('vscode', status, TOKEN);
    assert.ok(
      preview.diff.some((line) => line.startsWith('+ ') && line.includes('"sluice"')),
      preview.diff.join('\n'),
    );
    const { path: file } = await configs.write('vscode', status, TOKEN, false);
    assert.equal(file, path.join(home, '.config', 'Code', 'User', 'mcp.json'));
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes('// My servers') && text.includes('// trailing comma'), text);
    const parsed = parse(text, [], { allowTrailingComma: true }) as { servers: Record<string, unknown>; inputs: unknown[] };
    assert.deepEqual(parsed.servers.sluice, {
      type: 'http',
      url: 'http://127.0.0.1:47820/mcp',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    assert.ok(parsed.servers.memory);
    assert.deepEqual(parsed.inputs, []);
  });

  it('Claude Code: changes only mcpServers.sluice in a ~/.claude.json full of other state', async () => {
    const original = JSON.stringify({ numStartups: 42, projects: { '/work': { allowedTools: ['Bash'] } }, mcpServers: {} }, null, 2);
    const { configs } = setUp({ '.claude.json': original });
    const { path: file } = await configs.write('claude-code', status, TOKEN, false);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(written.numStartups, 42);
    assert.deepEqual(written.projects, { '/work': { allowedTools: ['Bash'] } });
    assert.deepEqual(written.mcpServers.sluice, {
      type: 'http',
      url: 'http://127.0.0.1:47820/mcp',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
  });

  it('Windsurf: serverUrl, and keeps the file mode', async () => {
    const { home, configs } = setUp({ '.codeium/windsurf/mcp_config.json': '{ "mcpServers": {} }\n' });
    const file = path.join(home, '.codeium', 'windsurf', 'mcp_config.json');
    chmodSync(file, 0o640);
    await configs.write('windsurf', status, TOKEN, false);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).mcpServers.sluice, {
      serverUrl: 'http://127.0.0.1:47820/mcp',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(statSync(file).mode & 0o777, 0o640);
  });

  it('an existing "sluice" entry is replaced only when asked', async () => {
    const original = JSON.stringify({ mcpServers: { sluice: { url: 'http://old' } } }, null, 2);
    const { configs } = setUp({ '.cursor/mcp.json': original });
    const preview = await configs.preview('cursor', status, TOKEN);
    assert.equal(preview.hasEntry, true);
    await assert.rejects(configs.write('cursor', status, TOKEN, false), /already has a server named "sluice"/);
    const file = configs.pathOf('cursor');
    assert.equal(readFileSync(file, 'utf8'), original, 'nothing written');
    assert.deepEqual(backupsOf(file), []);
    await configs.write('cursor', status, TOKEN, true);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).mcpServers.sluice.url, 'http://127.0.0.1:47820/mcp');
  });

  it('a file that is not valid JSON is refused with the reason, nothing written', async () => {
    const original = '{ "mcpServers": { "a": { "command": "x" } '; // cut off
    const { configs } = setUp({ '.cursor/mcp.json': original });
    await assert.rejects(configs.write('cursor', status, TOKEN, false), /is not valid JSON .*nothing was changed/);
    assert.equal(readFileSync(configs.pathOf('cursor'), 'utf8'), original);
  });

  it('an unreadable path (a folder where the file should be) is refused, nothing written', async () => {
    const { home, configs } = setUp();
    mkdirSync(path.join(home, '.cursor', 'mcp.json'), { recursive: true });
    await assert.rejects(configs.write('cursor', status, TOKEN, false), /is not a file; nothing was changed/);
  });

  it('an HTTP app needs a token', async () => {
    const { configs } = setUp();
    await assert.rejects(configs.write('vscode', status, undefined, false), /needs an app token/);
  });

  it('gives every app a snippet with a token placeholder, never a real token', () => {
    const { configs } = setUp();
    const targets = configs.targets(status);
    assert.deepEqual(
      targets.map((target) => target.app),
      ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf'],
    );
    for (const target of targets) {
      if (target.transport === 'http') assert.ok(target.snippet.includes('Bearer <token>'), target.snippet);
      else assert.ok(target.snippet.includes('--mcp-stdio'));
    }
  });
});
