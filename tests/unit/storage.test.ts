import assert from 'node:assert/strict';
import { chmodSync, existsSync, promises as fsPromises, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { readJsonFile, securePrivateDir, writeFileAtomic } from '../../electron/core/storage/atomic-file.js';
import { FileSecretStore } from '../../electron/core/storage/secret-store.js';
import { ServersStore } from '../../electron/core/storage/servers-store.js';
import { tempDir } from '../helpers/test-host.js';

describe('atomic JSON files', () => {
  it('replaces the whole file and leaves no temp files behind', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'doc.json');
    await writeFileAtomic(file, '{"a":1}');
    await writeFileAtomic(file, '{"a":2}');
    assert.equal(readFileSync(file, 'utf8'), '{"a":2}');
    assert.deepEqual(readdirSync(dir), ['doc.json']);
  });

  it('moves a corrupt file aside with a notice instead of overwriting it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'doc.json');
    writeFileSync(file, '{"a": 1,,,');
    const loaded = await readJsonFile(file, z.object({ a: z.number() }), () => ({ a: 0 }));
    assert.deepEqual(loaded.value, { a: 0 });
    assert.match(loaded.notice ?? '', /doc\.json could not be read \(not valid JSON/);
    const aside = readdirSync(dir).find((name) => name.startsWith('doc.json.corrupt-'));
    assert.ok(aside, 'the corrupt file was kept');
    assert.equal(readFileSync(path.join(dir, aside), 'utf8'), '{"a": 1,,,');
    assert.equal(existsSync(file), false);
  });

  it('treats valid JSON of the wrong shape as corrupt, naming the field', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'doc.json');
    writeFileSync(file, '{"a":"nope"}');
    const loaded = await readJsonFile(file, z.object({ a: z.number() }), () => ({ a: 7 }));
    assert.deepEqual(loaded.value, { a: 7 });
    assert.match(loaded.notice ?? '', /a: Invalid input: expected number/);
  });
});

describe('the data folder', () => {
  it('is made 0700 and the files in it 0600 (older versions wrote 0644)', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, 'servers.json'), '{}', { mode: 0o644 });
    await securePrivateDir(dir);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(path.join(dir, 'servers.json')).mode & 0o777, 0o600);
  });

  it('skips a file that disappears while it is being secured, and still secures the rest', async (t) => {
    // SQLite removes history.db-wal and -shm whenever libsql's closed connection is collected,
    // which can fall between listing the folder and looking at a file (a CI run hit exactly that).
    const dir = tempDir();
    writeFileSync(path.join(dir, 'history.db-shm'), '', { mode: 0o644 });
    writeFileSync(path.join(dir, 'servers.json'), '{}', { mode: 0o644 });
    const realStat = fsPromises.stat.bind(fsPromises);
    t.mock.method(fsPromises, 'stat', async (file: string) => {
      if (file.endsWith('history.db-shm')) await fsPromises.rm(file);
      return realStat(file);
    });
    await securePrivateDir(dir);
    assert.deepEqual(readdirSync(dir), ['servers.json']);
    assert.equal(statSync(path.join(dir, 'servers.json')).mode & 0o777, 0o600);
  });
});

describe('servers.json', () => {
  it('reads the Claude Desktop mcpServers shape and writes it back', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'servers.json'),
      JSON.stringify({
        globalShortcut: 'Ctrl+Space',
        mcpServers: {
          files: {
            command: 'npx',
            args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'],
            env: { A: 'b' },
            disabledTools: ['rm'],
          },
          remote: { url: 'https://example.com/mcp', headers: { Authorization: 'Bearer x' } },
          old: { type: 'sse', url: 'http://127.0.0.1:9/sse', enabled: false },
          broken: { type: 'stdio' },
          wrongShape: { command: 'x', args: 'not a list' },
        },
      }),
    );
    const store = new ServersStore(dir);
    const loaded = await store.load();
    assert.deepEqual(
      loaded.value.map((s) => [s.name, s.type, s.enabled]),
      [
        ['files', 'stdio', true],
        ['remote', 'http', true],
        ['old', 'sse', false],
      ],
    );
    assert.match(loaded.notice ?? '', /server "broken" .* is invalid and was not loaded .* kept in the file/);
    assert.match(loaded.notice ?? '', /server "wrongShape" .* is invalid/);
    // Removing one server rewrites the file: nothing the user wrote may be lost with it.
    await store.save(loaded.value.filter((server) => server.name !== 'old'));
    const written = JSON.parse(readFileSync(path.join(dir, 'servers.json'), 'utf8'));
    assert.deepEqual(written.mcpServers.files.args, ['-y', '@modelcontextprotocol/server-filesystem', '/tmp']);
    assert.equal(written.mcpServers.remote.url, 'https://example.com/mcp');
    assert.deepEqual(written.mcpServers.broken, { type: 'stdio' }, 'an invalid entry is kept verbatim');
    assert.deepEqual(written.mcpServers.wrongShape, { command: 'x', args: 'not a list' });
    assert.deepEqual(written.mcpServers.files.disabledTools, ['rm'], 'unknown fields of an entry are kept');
    assert.equal(written.globalShortcut, 'Ctrl+Space', 'unknown top-level keys are kept');
    assert.equal(written.mcpServers.old, undefined, 'the removed server is gone');
    // An invalid entry is replaced once a server of that name is saved.
    await store.save([...loaded.value, { name: 'broken', type: 'stdio', command: 'fixed', args: [], env: {}, enabled: true, era: 'auto' }]);
    const rewritten = JSON.parse(readFileSync(path.join(dir, 'servers.json'), 'utf8'));
    assert.equal(rewritten.mcpServers.broken.command, 'fixed');
  });
});

describe('file secret store', () => {
  it('keeps secrets in a 0600 file and applies the codec', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'secrets.json');
    const store = new FileSecretStore(file, { encode: (p) => `enc:${p}`, decode: (s) => s.slice(4) });
    await store.set('k', 'sk-123');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { k: 'enc:sk-123' });
    assert.equal(await new FileSecretStore(file, { encode: (p) => p, decode: (s) => s.slice(4) }).get('k'), 'sk-123');
    await store.delete('k');
    assert.equal(await store.get('k'), undefined);
  });
});
