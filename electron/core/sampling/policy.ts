/**
 * Per-server sampling policies and the global pause (kill switch).
 *
 * A policy is Ask (the dialog, the default), Auto-approve within caps, or Deny. Rate limits and the
 * daily token budget apply to every policy: a server that floods Sluice gets an error right away,
 * never a queue that waits forever. Policies live in `sampling.json` in the data folder, keyed by
 * server name, so the server list keeps the Claude Desktop shape and saving a policy never
 * restarts a server.
 */
import path from 'node:path';
import { z } from 'zod';
import {
  ServerSamplingPolicySchema,
  type SamplingFix,
  type ServerDefinition,
  type ServerSamplingPolicy,
} from '../../../shared/domain.js';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file.js';

const FileSchema = z.object({
  paused: z.boolean().default(false),
  servers: z.record(z.string(), ServerSamplingPolicySchema).default({}),
});
type PolicyFile = z.infer<typeof FileSchema>;

export const DEFAULT_POLICY: ServerSamplingPolicy = { policy: 'ask' };

/** What to do with a request, decided before anyone sees it. */
export type Admission =
  | { kind: 'ask' }
  | { kind: 'auto' }
  | { kind: 'refuse'; message: string; fix?: SamplingFix };

/** The fields that say which program or endpoint a server is: a change means it may be a different server. */
const IDENTITY_FIELDS = ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'] as const;

export function serverIdentityChanged(before: ServerDefinition, after: ServerDefinition): boolean {
  const pick = (definition: ServerDefinition) =>
    JSON.stringify(IDENTITY_FIELDS.map((field) => (definition as Record<string, unknown>)[field] ?? null));
  return pick(before) !== pick(after);
}

/**
 * Remembered approval is revoked when the server's configuration changes: an auto-approve policy
 * granted to one command or URL must not carry over to another. Everything else is kept.
 */
export function revokeOnConfigChange(
  before: ServerDefinition | undefined,
  after: ServerDefinition,
  policy: ServerSamplingPolicy | undefined,
): ServerSamplingPolicy | undefined {
  if (!before || !policy || policy.policy !== 'auto' || !serverIdentityChanged(before, after)) return policy;
  return {
    ...policy,
    policy: 'ask',
    revokedNote: `Auto-approve was turned off because ${after.name}'s configuration changed on ${new Date().toLocaleString()}. Turn it on again if you trust the new configuration.`,
  };
}

/** Sliding one-minute windows of request times, per server. */
export class RateLimiter {
  private readonly times = new Map<string, number[]>();

  /** Records a request at `now` if it fits under `perMinute`; returns whether it did. */
  tryTake(serverName: string, perMinute: number | undefined, now = Date.now()): boolean {
    const recent = (this.times.get(serverName) ?? []).filter((time) => now - time < 60_000);
    if (perMinute !== undefined && recent.length >= perMinute) {
      this.times.set(serverName, recent);
      return false;
    }
    recent.push(now);
    this.times.set(serverName, recent);
    return true;
  }
}

/** Decides, from the policy and the limits, what happens to a new request. */
export function admit(input: {
  serverName: string;
  paused: boolean;
  policy: ServerSamplingPolicy;
  /** Takes a slot in the server's rate window (only asked once pause and deny let the request through). */
  withinRateLimit: () => boolean;
  tokensUsedToday: () => number;
}): Admission {
  const { serverName, policy } = input;
  if (input.paused) {
    return { kind: 'refuse', message: 'Sampling is paused in Sluice (the kill switch is on)', fix: { kind: 'resume' } };
  }
  if (policy.policy === 'deny') {
    return { kind: 'refuse', message: `Sampling is denied for ${serverName} by the user's policy`, fix: { kind: 'open-policy', serverName } };
  }
  if (!input.withinRateLimit()) {
    return {
      kind: 'refuse',
      message: `Rate limit reached: ${serverName} may send ${policy.requestsPerMinute} sampling request(s) per minute`,
      fix: { kind: 'open-policy', serverName },
    };
  }
  const used = policy.dailyTokenBudget !== undefined ? input.tokensUsedToday() : 0;
  if (policy.dailyTokenBudget !== undefined && used >= policy.dailyTokenBudget) {
    return {
      kind: 'refuse',
      message: `Daily token budget used up: ${serverName} used ${used} of ${policy.dailyTokenBudget} tokens today`,
      fix: { kind: 'open-policy', serverName },
    };
  }
  return { kind: policy.policy === 'auto' ? 'auto' : 'ask' };
}

/** The policies and the pause switch, persisted in `sampling.json`. */
export class PolicyStore {
  readonly file: string;
  private state: PolicyFile = { paused: false, servers: {} };

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'sampling.json');
  }

  async load(): Promise<string | undefined> {
    const loaded = await readJsonFile(this.file, FileSchema, () => ({ paused: false, servers: {} }));
    this.state = loaded.value;
    return loaded.notice;
  }

  get paused(): boolean {
    return this.state.paused;
  }

  policyFor(serverName: string): ServerSamplingPolicy {
    return this.state.servers[serverName] ?? DEFAULT_POLICY;
  }

  all(): Record<string, ServerSamplingPolicy> {
    return { ...this.state.servers };
  }

  async setPaused(paused: boolean): Promise<void> {
    await this.write({ ...this.state, paused });
  }

  async setPolicy(serverName: string, policy: ServerSamplingPolicy | undefined): Promise<void> {
    const { [serverName]: _old, ...rest } = this.state.servers;
    await this.write({ ...this.state, servers: policy ? { ...rest, [serverName]: policy } : rest });
  }

  /** Follows a server's save: a rename moves its policy, a changed configuration revokes auto-approval. */
  async onServerSaved(before: ServerDefinition | undefined, after: ServerDefinition, previousName?: string): Promise<void> {
    const oldName = previousName ?? after.name;
    const current = this.state.servers[oldName];
    const next = revokeOnConfigChange(before, after, current);
    if (oldName === after.name && next === current) return;
    const { [oldName]: _old, ...rest } = this.state.servers;
    await this.write({ ...this.state, servers: next ? { ...rest, [after.name]: next } : rest });
  }

  async onServerRemoved(serverName: string): Promise<void> {
    if (!(serverName in this.state.servers)) return;
    await this.setPolicy(serverName, undefined);
  }

  private async write(next: PolicyFile): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    this.state = next;
  }
}
