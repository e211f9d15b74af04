/**
 * The layering rules in eslint.config.mjs, proven on small source strings: the real config is
 * loaded, with only type-aware parsing switched off (the strings are not files in a tsconfig), so
 * the same `no-restricted-imports` rules `npm run lint` applies decide here.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint, type Linter } from 'eslint';
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
