/**
 * Stdio servers start with the login shell's environment on the desktop (macOS/Linux), and their
 * command is looked up like the OS would (PATHEXT shims on Windows) — against fake shells and a
 * fake file system, plus one real shell script standing in for the user's $SHELL.
 */
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { findExecutable } from '../../electron/core/servers/command-lookup.js';
import { loginShellEnvironment, parseEnvOutput, type ShellRunner } from '../../electron/core/servers/launch-environment.js';
import { tempDir } from '../helpers/test-host.js';

/** A fake shell that answers the way a real one does: rc-file noise, then the marked env dump. */
function fakeShell(vars: Record<string, string>, options: { noise?: string; nul?: boolean } = {}): ShellRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const run: ShellRunner = async (shell, args) => {
    calls.push([shell, ...args]);
    const script = args[args.length - 1] ?? '';
    const mark = /printf '%s' '([0-9a-f]+)'/.exec(script)?.[1] ?? '';
    const separator = options.nul === false ? '\n' : '\0';
    const body =
      Object.entries(vars)
        .map(([k, v]) => `${k}=${v}`)
        .join(separator) + separator;
    return { stdout: `${options.noise ?? ''}${mark}${body}${mark}`, code: 0 };
  };
  return Object.assign(run, { calls });
}

describe('the login shell environment', () => {
  it('runs $SHELL as a login, interactive shell and uses its PATH for servers', async () => {
    const shell = fakeShell(
      {
        PATH: '/opt/homebrew/bin:/Users/me/.nvm/versions/node/v22/bin:/usr/bin:/bin',
        NVM_DIR: '/Users/me/.nvm',
        SHLVL: '2',
        _: '/usr/bin/env',
      },
      { noise: 'Last login: today\nWelcome!\n' },
    );
    const launch = await loginShellEnvironment({
      platform: 'darwin',
      env: { SHELL: '/bin/zsh', PATH: '/usr/bin:/bin:/usr/sbin:/sbin', HOME: '/Users/me' },
      run: shell,
    });
    assert.equal(launch.source, 'login-shell');
    assert.equal(launch.env.PATH, '/opt/homebrew/bin:/Users/me/.nvm/versions/node/v22/bin:/usr/bin:/bin');
    assert.equal(launch.env.NVM_DIR, '/Users/me/.nvm');
    assert.equal(launch.env.HOME, '/Users/me', 'variables the shell did not print are kept from our own environment');
    assert.equal(launch.env.SHLVL, undefined, "the shell run's own bookkeeping is dropped");
    assert.equal(launch.env._, undefined);
    assert.deepEqual(shell.calls[0]?.slice(0, 4), ['/bin/zsh', '-l', '-i', '-c']);
  });

  it('keeps values that contain newlines, with env -0 and with plain env', async () => {
    for (const nul of [true, false]) {
      const launch = await loginShellEnvironment({
        platform: 'linux',
        env: { SHELL: '/bin/bash' },
        run: fakeShell({ PATH: '/usr/local/bin:/usr/bin', PROMPT_NOTE: 'line one\nline two' }, { nul }),
      });
      assert.equal(launch.env.PROMPT_NOTE, 'line one\nline two', `nul=${nul}`);
      assert.equal(launch.env.PATH, '/usr/local/bin:/usr/bin');
    }
  });

  it('falls back quietly to our own environment, with a note, when the shell fails, hangs or prints nothing', async () => {
    const env = { SHELL: '/bin/zsh', PATH: '/usr/bin:/bin' };
    const failing: ShellRunner = async () => {
      throw new Error('spawn /bin/zsh ENOENT');
    };
    const silent: ShellRunner = async () => ({ stdout: 'oh-my-zsh: update? [Y/n]', code: 1 });
    for (const run of [failing, silent]) {
      const launch = await loginShellEnvironment({ platform: 'darwin', env, run });
      assert.equal(launch.source, 'inherited');
      assert.equal(launch.env.PATH, '/usr/bin:/bin');
      assert.match(launch.note ?? '', /\/bin\/zsh .*using Sluice's own/);
    }
  });

  it('gives up on a real shell that never answers, within its time limit', async () => {
    const dir = tempDir('sluice-shell-');
    const hanging = path.join(dir, 'hanging-shell');
    writeFileSync(hanging, '#!/bin/sh\nsleep 30\n');
    chmodSync(hanging, 0o755);
    const launch = await loginShellEnvironment({ platform: 'linux', env: { SHELL: hanging, PATH: '/usr/bin:/bin' }, timeoutMs: 300 });
    assert.equal(launch.source, 'inherited');
    assert.match(launch.note ?? '', /no answer within/);
  });

  it(
    'reads a real shell script standing in for $SHELL (rc noise on stdout, then env)',
    { skip: process.platform === 'win32' && 'POSIX shells only' },
    async () => {
      const dir = tempDir('sluice-shell-');
      const shell = path.join(dir, 'login-shell');
      // Prints like a chatty .zshrc, adds a PATH entry like nvm would, then runs the command it was given.
      writeFileSync(
        shell,
        `#!/bin/sh\necho "motd: hello"\nexport PATH="/from/login/shell/bin:$PATH"\nexport FROM_RC=yes\nshift 3\nexec /bin/sh -c "$1"\n`,
      );
      chmodSync(shell, 0o755);
      const launch = await loginShellEnvironment({ platform: 'linux', env: { SHELL: shell, PATH: '/usr/bin:/bin', HOME: dir } });
      assert.equal(launch.source, 'login-shell', launch.note);
      assert.equal(launch.env.PATH?.split(':')[0], '/from/login/shell/bin');
      assert.equal(launch.env.FROM_RC, 'yes');
    },
  );

  it('leaves Windows alone: apps there get the user environment from the registry', async () => {
    let asked = false;
    const launch = await loginShellEnvironment({
      platform: 'win32',
      env: { Path: 'C:\\Windows' },
      run: async () => ((asked = true), { stdout: '', code: 0 }),
    });
    assert.equal(asked, false);
    assert.equal(launch.source, 'inherited');
    assert.equal(launch.env.Path, 'C:\\Windows');
  });

  it('ignores output outside the marks and returns nothing without them', () => {
    assert.equal(parseEnvOutput('PATH=/bin', 'abc'), undefined);
    assert.deepEqual(parseEnvOutput('noise PATH=/evil abcPATH=/bin\0abc trailing A=1', 'abc'), { PATH: '/bin' });
  });
});

describe('finding the command a server runs', () => {
  /** A fake disk: the set of files that exist (all runnable). */
  const disk =
    (...files: string[]) =>
    (file: string) =>
      files.includes(file);

  it('on Windows, finds npx.cmd through PATHEXT in PATH order (case-insensitive Path)', () => {
    const env = { Path: 'C:\\Windows\\system32;"C:\\Program Files\\nodejs";C:\\Users\\me\\.local\\bin', PATHEXT: '.COM;.EXE;.BAT;.CMD' };
    const isRunnable = disk(
      'C:\\Program Files\\nodejs\\npx.cmd',
      'C:\\Users\\me\\.local\\bin\\uvx.exe',
      'C:\\Users\\me\\.local\\bin\\npx.cmd',
    );
    assert.equal(findExecutable('npx', { platform: 'win32', env, isRunnable }), 'C:\\Program Files\\nodejs\\npx.cmd');
    assert.equal(findExecutable('uvx', { platform: 'win32', env, isRunnable }), 'C:\\Users\\me\\.local\\bin\\uvx.exe');
    assert.equal(findExecutable('npx.cmd', { platform: 'win32', env, isRunnable }), 'C:\\Program Files\\nodejs\\npx.cmd');
    assert.equal(findExecutable('nodee', { platform: 'win32', env, isRunnable }), undefined);
  });

  it('on Windows, honours a PATHEXT without .CMD (the shim is then not runnable by name)', () => {
    const isRunnable = disk('C:\\nodejs\\npx.cmd');
    assert.equal(findExecutable('npx', { platform: 'win32', env: { PATH: 'C:\\nodejs', PATHEXT: '.EXE' }, isRunnable }), undefined);
  });

  it('on POSIX, searches the given PATH, not our own, and resolves relative commands against cwd', () => {
    const isRunnable = disk('/opt/homebrew/bin/uvx', '/srv/tools/run.sh');
    assert.equal(
      findExecutable('uvx', { platform: 'darwin', env: { PATH: '/usr/bin:/opt/homebrew/bin' }, isRunnable }),
      '/opt/homebrew/bin/uvx',
    );
    assert.equal(findExecutable('uvx', { platform: 'darwin', env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' }, isRunnable }), undefined);
    assert.equal(findExecutable('./run.sh', { platform: 'linux', env: { PATH: '' }, cwd: '/srv/tools', isRunnable }), '/srv/tools/run.sh');
  });

  it('on this machine, finds node on the real PATH and skips files that are not executable', () => {
    const node = findExecutable(process.platform === 'win32' ? 'node' : path.basename(process.execPath), {
      env: { ...process.env, PATH: path.dirname(process.execPath) },
    });
    assert.ok(node && path.dirname(node) === path.dirname(process.execPath), `found ${node}`);
    if (process.platform !== 'win32') {
      const dir = tempDir('sluice-lookup-');
      writeFileSync(path.join(dir, 'not-executable'), 'echo hi');
      assert.equal(findExecutable('not-executable', { env: { PATH: dir } }), undefined);
    }
  });
});
