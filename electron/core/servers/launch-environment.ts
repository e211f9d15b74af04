/**
 * The environment stdio servers are started with.
 *
 * A desktop app opened from the Dock, Finder, the Start menu or a Linux launcher does not inherit
 * the user's shell setup: on macOS its PATH is `/usr/bin:/bin:/usr/sbin:/sbin`, so `npx`, `uvx` or a
 * Homebrew/nvm/volta `node` are "not found" — the failure users of desktop MCP hosts report most.
 * Like VS Code, we ask the user's login shell once, at start, for the environment it would give a
 * terminal (`$SHELL -l -i -c env`), with a time limit, and fall back quietly to what we inherited.
 *
 * Plain Node (no Electron): the desktop adapter decides when to resolve; web mode, started from a
 * terminal, already has the shell's environment and uses `inheritedEnvironment()`.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';

export interface LaunchEnvironment {
  /** Variables for stdio servers (the server's own `env` entries are laid over these). */
  env: Record<string, string>;
  /** Where `env` came from: the login shell, or the process's own environment. */
  source: 'login-shell' | 'inherited';
  /** Why the login shell was not used, when it was tried and failed (shown in the server's detail). */
  note?: string;
}

/** How long the login shell may take (rc files that print prompts or run nvm can be slow). */
export const LOGIN_SHELL_TIMEOUT_MS = 10_000;
/** More output than any real environment; a shell that floods us is cut off. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/** Variables from the shell run itself that must not leak into servers' environments. */
const SHELL_RUN_ONLY = new Set(['_', 'SHLVL', 'PWD', 'OLDPWD']);

export function inheritedEnvironment(env: NodeJS.ProcessEnv = process.env, note?: string): LaunchEnvironment {
  return { env: definedOnly(env), source: 'inherited', ...(note ? { note } : {}) };
}

/** Runs a shell and returns what it printed on stdout (the seam tests replace with a fake shell). */
export type ShellRunner = (
  shell: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; timeoutMs: number; maxBytes: number },
) => Promise<{ stdout: string; code: number | null }>;

export interface LoginShellOptions {
  platform?: NodeJS.Platform;
  /** The environment we were started with (its SHELL names the user's shell). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  run?: ShellRunner;
}

/**
 * The login shell's environment on macOS and Linux; on Windows (where apps get the user's
 * environment from the registry) and whenever the shell fails, the inherited one, with a note.
 */
export async function loginShellEnvironment(options: LoginShellOptions = {}): Promise<LaunchEnvironment> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  if (platform === 'win32') return inheritedEnvironment(env);
  const shell = env.SHELL || (platform === 'darwin' ? '/bin/zsh' : '/bin/sh');
  const mark = randomUUID().replace(/-/g, '');
  // `env -0` keeps values with newlines intact; where it is missing (old BSD env) plain `env` is parsed line by line.
  const script = `printf '%s' '${mark}'; command env -0 2>/dev/null || command env; printf '%s' '${mark}'`;
  try {
    const { stdout, code } = await (options.run ?? runShell)(shell, ['-l', '-i', '-c', script], {
      // Keeps shells (and oh-my-zsh style update prompts) from waiting on a terminal we do not have.
      env: { ...env, SLUICE_RESOLVING_SHELL_ENV: '1', DISABLE_AUTO_UPDATE: 'true', ZSH_TMUX_AUTOSTARTED: 'true' },
      timeoutMs: options.timeoutMs ?? LOGIN_SHELL_TIMEOUT_MS,
      maxBytes: MAX_OUTPUT_BYTES,
    });
    const parsed = parseEnvOutput(stdout, mark);
    if (!parsed || !parsed.PATH) {
      return inheritedEnvironment(env, `${shell} printed no environment${code ? ` (exit code ${code})` : ''}; using Sluice's own`);
    }
    for (const name of SHELL_RUN_ONLY) delete parsed[name];
    delete parsed.SLUICE_RESOLVING_SHELL_ENV;
    return { env: { ...definedOnly(env), ...parsed }, source: 'login-shell' };
  } catch (error) {
    return inheritedEnvironment(
      env,
      `${shell} could not be asked for its environment (${error instanceof Error ? error.message : String(error)}); using Sluice's own`,
    );
  }
}

/**
 * The variables between the two marks: NUL-separated (`env -0`) or, failing that, one per line,
 * where a line without `=` continues the previous value. Undefined if the marks are missing.
 */
export function parseEnvOutput(stdout: string, mark: string): Record<string, string> | undefined {
  const start = stdout.indexOf(mark);
  const end = stdout.lastIndexOf(mark);
  if (start < 0 || end <= start) return undefined;
  const body = stdout.slice(start + mark.length, end);
  const result: Record<string, string> = {};
  if (body.includes('\0')) {
    for (const entry of body.split('\0')) {
      const eq = entry.indexOf('=');
      if (eq > 0) result[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return result;
  }
  let last: string | undefined;
  for (const line of body.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(line.slice(0, eq))) {
      last = line.slice(0, eq);
      result[last] = line.slice(eq + 1);
    } else if (last !== undefined && line !== '') {
      result[last] += `\n${line}`;
    }
  }
  return result;
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value;
  return result;
}

/** The real runner: a detached shell (so an interactive shell cannot grab our terminal), killed on time-out. */
const runShell: ShellRunner = (shell, args, { env, timeoutMs, maxBytes }) =>
  new Promise((resolve, reject) => {
    const child = spawn(shell, args, { env, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    const chunks: Buffer[] = [];
    let size = 0;
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        kill();
        return;
      }
      chunks.push(chunk);
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(chunks).toString('utf8'), code });
    });
  });
