/**
 * Secret env values and headers of servers live in the secret store, not in servers.json: the
 * file and the renderer see a reference, the transport gets the value, and plain values in an
 * older file are moved on start.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { eventually } from '../helpers/eventually.js';
import { startTestHost, tempDir, writeServersFile } from '../helpers/test-host.js';

const servers = (dir: string) => readFileSync(path.join(dir, 'servers.json'), 'utf8');
const secrets = (dir: string) => readFileSync(path.join(dir, 'secrets.json'), 'utf8');

describe('server secrets', () => {
  it("a stdio server's secret env value goes to the secret store and still reaches the process", async () => {
    const dir = tempDir();
    const out = path.join(tempDir(), 'seen.txt');
    const host = await startTestHost(dir);
    try {
      const script = "require('fs').writeFileSync(process.env.OUT, process.env.API_TOKEN + '|' + process.env.MODE)";
      await host.invoke('servers:save', {
        definition: {
          name: 'leaky',
          type: 'stdio',
          command: process.execPath,
          args: ['-e', script],
          env: { API_TOKEN: 'sk-live-123', MODE: 'plain', OUT: out },
        },
      });
      assert.doesNotMatch(servers(dir), /sk-live-123/);
      assert.match(servers(dir), /"API_TOKEN": "\$\{sluice-secret:[0-9a-f-]{36}\}"/);
      assert.match(servers(dir), /"MODE": "plain"/);
      assert.match(secrets(dir), /sk-live-123/);
      const listed = JSON.stringify(await host.invoke('servers:list', {}));
      assert.doesNotMatch(listed, /sk-live-123/, 'the renderer sees only the reference');
      assert.equal(
        await eventually('the process to write what it got', () => {
          try {
            return readFileSync(out, 'utf8');
          } catch {
            return undefined;
          }
        }),
        'sk-live-123|plain',
      );
      // Saving the definition back unchanged (as the form does) keeps the stored value.
      const [status] = await host.invoke('servers:list', {});
      await host.invoke('servers:save', { definition: { ...status!.definition, enabled: false }, previousName: 'leaky' });
      assert.match(secrets(dir), /sk-live-123/);
      await host.invoke('servers:remove', { name: 'leaky' });
      assert.doesNotMatch(secrets(dir), /sk-live-123/, 'removing the server forgets its secrets');
    } finally {
      await host.close();
    }
  });

  it('plain Authorization headers in an older servers.json are moved on start and still sent', async () => {
    const seen: string[] = [];
    const http = createServer((request, response) => {
      seen.push(String(request.headers.authorization));
      response.writeHead(500).end();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const dir = tempDir();
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
    writeServersFile(dir, [{ name: 'remote', type: 'http', url, headers: { Authorization: 'Bearer old-plain', 'X-Team': 'a' } }]);
    const host = await startTestHost(dir);
    try {
      assert.doesNotMatch(servers(dir), /old-plain/);
      assert.match(servers(dir), /"X-Team": "a"/);
      await eventually('a request with the header', () => seen.includes('Bearer old-plain'));
    } finally {
      await host.close();
      http.close();
    }
  });
});
