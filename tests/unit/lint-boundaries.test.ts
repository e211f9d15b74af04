/**
 * The layering rules in eslint.config.mjs, proven on small source strings: the real config is
 * loaded, with only type-aware parsing switched off (the strings are not files in a tsconfig), so
 * the same `no-restricted-imports` rules `npm run lint` applies decide here.
 *
 * And no import cycles in the renderer: no maintained ESLint plugin for cycles is installed
 * (eslint-plugin-import's `no-cycle` would be the one), so this file reads every renderer module's
 * imports with TypeScript's own pre-processor and fails on any cycle, naming it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint, type Linter } from 'eslint';
import ts from 'typescript';
import tseslint from 'typescript-eslint';
import { REPO_ROOT } from '../helpers/web-mode.js';

async function lintAs(file: string, source: string): Promise<string[]> {
  const { default: config } = (await import(path.join(REPO_ROOT, 'eslint.config.mjs'))) as { default: Linter.Config[] };
  const eslint = new ESLint({
    cwd: REPO_ROOT,
    overrideConfigFile: true,
    overrideConfig: [...config, { files: ['**/*.{ts,tsx}'], ...tseslint.configs.disableTypeChecked }],
  });
  const [result] = await eslint.lintText(source, { filePath: path.join(REPO_ROOT, file) });
  assert.ok(result);
  return result.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

const restricted = (messages: string[]) => messages.filter((m) => m.startsWith('no-restricted-imports'));

describe('lint boundaries', () => {
  it('rejects Node built-ins, Electron and host code in the renderer', async () => {
    const file = 'renderer/src/components/Probe.tsx';
    const nodeFs = await lintAs(file, "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n");
    assert.equal(restricted(nodeFs).length, 1, nodeFs.join('\n'));
    assert.match(nodeFs[0]!, /no Node built-ins/);
    assert.equal(restricted(await lintAs(file, "import fs from 'fs';\nexport const x = fs;\n")).length, 1);
    assert.equal(restricted(await lintAs(file, "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n")).length, 1);
    const host = await lintAs(file, "import { SluiceHost } from '../../../electron/core/host';\nexport const x = SluiceHost;\n");
    assert.match(restricted(host)[0] ?? '', /only through the contract/);
  });

  it('lets components and state reach the host only through the slices, not the api module', async () => {
    const planted = "import { getApi } from '../../api';\nexport const x = () => getApi().invoke('gateway:status', {});\n";
    const component = restricted(await lintAs('renderer/src/components/gateway/Probe.tsx', planted));
    assert.equal(component.length, 1, component.join('\n'));
    assert.match(component[0]!, /through the state slices/);
    assert.equal(
      restricted(await lintAs('renderer/src/components/Probe.tsx', "import { getApi } from '../api/index';\nexport const x = getApi;\n"))
        .length,
      1,
    );
    assert.equal(
      restricted(await lintAs('renderer/src/state/probe.ts', "import { getApi } from '../api';\nexport const x = getApi;\n")).length,
      1,
    );
    assert.equal(
      restricted(await lintAs('renderer/src/lib/probe.ts', "import { getApi } from '../api';\nexport const x = getApi;\n")).length,
      1,
    );
    // The bridge's own entry point may, and a component may use a slice.
    assert.deepEqual(restricted(await lintAs('renderer/src/main.tsx', "import { getApi } from './api';\nexport const x = getApi;\n")), []);
    const slice = "import { useGateway } from '../../state/gateway';\nexport const x = useGateway;\n";
    assert.deepEqual(restricted(await lintAs('renderer/src/components/gateway/Probe.tsx', slice)), []);
  });

  it('lets the renderer import shared/ (a module named like a Node built-in is not one)', async () => {
    const messages = await lintAs(
      'renderer/src/components/Probe.tsx',
      "import type { ServerStatus } from '../../../shared/domain';\nimport { z } from 'zod';\nexport type X = ServerStatus;\nexport const y = z;\n",
    );
    assert.deepEqual(restricted(messages), []);
  });

  it('keeps electron/core and electron/web free of Electron, and core free of the adapters', async () => {
    const electronImport = "import { app } from 'electron';\nexport const x = app;\n";
    assert.equal(restricted(await lintAs('electron/core/servers/probe.ts', electronImport)).length, 1);
    assert.equal(restricted(await lintAs('electron/web/probe.ts', electronImport)).length, 1);
    assert.deepEqual(restricted(await lintAs('electron/desktop/probe.ts', electronImport)), []);
    const desktop = "import { wireIpc } from '../../desktop/ipc.js';\nexport const x = wireIpc;\n";
    assert.equal(restricted(await lintAs('electron/core/servers/probe.ts', desktop)).length, 1);
  });

  it('keeps shared/ free of Node, Electron, the host and the renderer', async () => {
    assert.equal(restricted(await lintAs('shared/probe.ts', "import path from 'node:path';\nexport const x = path;\n")).length, 1);
    assert.equal(
      restricted(await lintAs('shared/probe.ts', "import { getApi } from '../renderer/src/api';\nexport const x = getApi;\n")).length,
      1,
    );
    assert.equal(
      restricted(await lintAs('shared/probe.ts', "import { SluiceHost } from '../electron/core/host.js';\nexport const x = SluiceHost;\n"))
        .length,
      1,
    );
    assert.deepEqual(restricted(await lintAs('shared/probe.ts', "import { z } from 'zod';\nexport const x = z;\n")), []);
  });
});

/** Every .ts/.tsx file under `dir`, by path relative to the repository, with its source. */
function readSources(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(REPO_ROOT, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
  }
  return files;
}

/** The import cycles among `files` (relative imports only; `import type` counts too), each as a path that returns to its start. */
function importCycles(files: Map<string, string>): string[][] {
  const resolve = (from: string, specifier: string): string | undefined => {
    const base = path.posix.join(path.posix.dirname(from), specifier);
    return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find((candidate) => files.has(candidate));
  };
  const edges = new Map<string, string[]>();
  for (const [file, source] of files) {
    const imported = ts.preProcessFile(source, true, true).importedFiles.map((ref) => ref.fileName);
    edges.set(
      file,
      imported.filter((specifier) => specifier.startsWith('.')).flatMap((specifier) => resolve(file, specifier) ?? []),
    );
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...files.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('no import cycles in the renderer', () => {
  it('finds none in renderer/src', () => {
    const cycles = importCycles(readSources('renderer/src'));
    assert.deepEqual(
      cycles.map((cycle) => cycle.join(' -> ')),
      [],
    );
  });

  it('fails on a planted cycle, and names it', () => {
    const files = readSources('renderer/src');
    const app = files.get('renderer/src/state/app.ts');
    assert.ok(app, 'the app slice exists');
    // The app slice reaching back into the request queue, which imports the app slice.
    files.set('renderer/src/state/app.ts', `import { useRequests } from './requests/queue';\nexport const planted = useRequests;\n${app}`);
    const cycles = importCycles(files).map((cycle) => cycle.join(' -> '));
    assert.ok(
      cycles.includes('renderer/src/state/app.ts -> renderer/src/state/requests/queue.ts -> renderer/src/state/app.ts'),
      cycles.join('\n'),
    );
  });

  it('counts a type-only import and a folder index import', () => {
    const files = new Map([
      ['a/x.ts', "import type { Y } from './y';\nexport type X = Y;\n"],
      ['a/y/index.ts', "import { x } from '../x';\nexport type Y = typeof x;\n"],
    ]);
    assert.deepEqual(importCycles(files), [['a/x.ts', 'a/y/index.ts', 'a/x.ts']]);
  });
});
