/**
 * The installer configuration, checked without running electron-builder (it needs the Electron
 * binary, which needs internet): electron-builder.yml must pass electron-builder's own schema,
 * name the right targets, and point at files that exist or that the build produces.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/web-mode.js';

const require = createRequire(path.join(REPO_ROOT, 'package.json'));
// js-yaml and app-builder-lib come with electron-builder (a devDependency); neither ships types we use here.
const yaml = require('js-yaml') as { load(text: string): unknown };
const builderConfig = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled?: boolean) => unknown };

interface TargetConfig {
  target?: string[];
  icon?: string;
  artifactName?: string;
}
interface BuilderConfig {
  appId?: string;
  productName?: string;
  files?: string[];
  asarUnpack?: string[];
  extraMetadata?: { main?: string };
  extraResources?: Array<{ from: string; to: string }>;
  directories?: { buildResources?: string; output?: string };
  artifactName?: string;
  linux?: TargetConfig;
  mac?: TargetConfig;
  win?: TargetConfig;
  deb?: TargetConfig;
  dmg?: TargetConfig;
  nsis?: TargetConfig;
  electronFuses?: Record<string, boolean>;
}

const config = yaml.load(readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  main: string;
  productName: string;
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};
const buildScript = readFileSync(path.join(REPO_ROOT, 'scripts', 'build.mjs'), 'utf8');

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${file} is a PNG`);
  assert.equal(bytes.subarray(12, 16).toString('ascii'), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own configuration schema", async () => {
    await builderConfig.validateConfiguration(config, new DebugLogger(false));
    // And the check has teeth: a misplaced option fails it.
    await assert.rejects(
      builderConfig.validateConfiguration({ ...config, linux: { ...config.linux, dmgTitle: 'x' } }, new DebugLogger(false)),
      /configuration/,
    );
  });

  it('flips the Electron fuses at packaging time: no RunAsNode, NODE_OPTIONS or inspector; encrypted cookies; app only from an integrity-checked asar', () => {
    assert.deepEqual(config.electronFuses, {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    assert.equal((config as { asar?: boolean }).asar, true, 'onlyLoadAppFromAsar needs the app in an asar');
  });

  it('identifies the app', () => {
    assert.equal(config.appId, 'dev.sluice.app');
    assert.equal(config.productName, 'Sluice');
    assert.equal(config.productName, pkg.productName);
  });

  it('builds AppImage and deb on Linux, dmg (and the zip the updater needs) on macOS, nsis on Windows', () => {
    assert.deepEqual(config.linux?.target, ['AppImage', 'deb']);
    assert.deepEqual(config.mac?.target, ['dmg', 'zip']);
    assert.deepEqual(config.win?.target, ['nsis']);
  });

  it('names every artifact with the version (and the architecture)', () => {
    for (const name of [config.artifactName, config.deb?.artifactName, config.dmg?.artifactName, config.nsis?.artifactName]) {
      assert.match(name ?? '', /\$\{version\}/);
      assert.match(name ?? '', /\$\{arch\}/);
      assert.match(name ?? '', /\.\$\{ext\}$/);
    }
  });

  it('packs the build output and starts the file the build produces', () => {
    assert.ok(config.files?.includes('dist/**'));
    assert.ok(config.files?.includes('package.json'));
    assert.equal(config.extraMetadata?.main, 'dist/electron/main.cjs');
    assert.equal(config.extraMetadata?.main, pkg.main);
    // scripts/build.mjs writes main.cjs from electron/main.ts, and preload.cjs beside it (main.ts loads it from __dirname).
    assert.match(buildScript, /entryPoints: \['electron\/main\.ts'\], outfile: 'dist\/electron\/main\.cjs'/);
    assert.match(buildScript, /entryPoints: \['electron\/preload\.ts'\], outfile: 'dist\/electron\/preload\.cjs'/);
    assert.match(readFileSync(path.join(REPO_ROOT, 'electron', 'main.ts'), 'utf8'), /path\.join\(__dirname, 'preload\.cjs'\)/);
    assert.match(pkg.scripts.dist ?? '', /npm run build && electron-builder/);
    assert.ok(pkg.devDependencies['electron-builder']);
  });

  it('unpacks the history database binding (a native Node-API library) from the asar', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.ok(pkg.dependencies.libsql, 'libsql is a runtime dependency, packed by electron-builder');
    assert.deepEqual(config.asarUnpack, ['node_modules/libsql/**', 'node_modules/@libsql/**']);
    const platformPackage = readdirSync(path.join(REPO_ROOT, 'node_modules', '@libsql')).find((name) =>
      name.startsWith(`${process.platform}-${process.arch}`),
    );
    assert.ok(platformPackage, `a prebuilt @libsql package for ${process.platform}-${process.arch} is installed`);
    // What libsql's loader really loads: `require('@libsql/<target>')` from its own folder, whose
    // main is the native index.node. That file must be under an unpacked folder (dlopen cannot
    // read inside an asar); libsql's own JS is unpacked with it, so the loader finds it beside it.
    const fromLibsql = createRequire(path.join(REPO_ROOT, 'node_modules', 'libsql', 'index.js'));
    // (Relative to where node_modules really is: a checkout may link it from elsewhere.)
    const modulesRoot = path.dirname(realpathSync(path.join(REPO_ROOT, 'node_modules')));
    const native = path
      .relative(modulesRoot, fromLibsql.resolve(`@libsql/${platformPackage}`))
      .split(path.sep)
      .join('/');
    assert.match(native, /^node_modules\/@libsql\/[^/]+\/index\.node$/);
    const unpacked = (config.asarUnpack ?? []).map((glob) => glob.replace(/\*\*$/, ''));
    assert.ok(
      unpacked.some((folder) => native.startsWith(folder)),
      `${native} is unpacked`,
    );
    assert.ok(
      unpacked.some((folder) => 'node_modules/libsql/index.js'.startsWith(folder)),
      'the loader is unpacked next to it',
    );
  });

  it('uses a 512x512 icon from build/ for every platform', () => {
    assert.equal(config.directories?.buildResources, 'build');
    for (const platform of [config.linux, config.mac, config.win]) {
      assert.equal(platform?.icon, 'build/icon.png');
    }
    assert.deepEqual(pngSize(path.join(REPO_ROOT, 'build', 'icon.png')), { width: 512, height: 512 });
  });

  it('ships the tray icons the app loads at run time', () => {
    const tray = config.extraResources?.find((resource) => resource.to === 'tray');
    assert.equal(tray?.from, 'build/tray');
    assert.ok(config.extraResources?.some((resource) => resource.from === 'build/icon.png' && resource.to === 'icon.png'));
    const sizes = {
      'tray.png': 16,
      'tray@2x.png': 32,
      'trayTemplate.png': 16,
      'trayTemplate@2x.png': 32,
    };
    for (const [name, size] of Object.entries(sizes)) {
      const file = path.join(REPO_ROOT, 'build', 'tray', name);
      assert.ok(existsSync(file), `${file} exists`);
      assert.deepEqual(pngSize(file), { width: size, height: size }, name);
    }
  });

  it('has committed icons identical to what scripts/make-icons.mjs draws', () => {
    const check = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'make-icons.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
  });
});
