/**
 * Per-server sampling policies and the global pause (kill switch).
 *
 * A policy is Ask (the dialog, the default), Auto-approve within caps, or Deny. Rate limits and the
 * daily token budget apply to every policy: a server that floods Sluice gets an error right away,
 * never a queue that waits forever. Policies live in `sampling.json` in the data folder, keyed by
 * server name, so the server list keeps the Claude Desktop shape and saving a policy never
 * restarts a server.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { ServerSamplingPolicySchema, type SamplingFix, type ServerDefinition, type ServerSamplingPolicy } from '../../../shared/domain.js';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file.js';
import { SerialQueue } from '../serial-queue.js';

const FileSchema = z.object({
  paused: z.boolean().default(false),
  servers: z.record(z.string(), ServerSamplingPolicySchema).default({}),
});
type PolicyFile = z.infer<typeof FileSchema>;

export const DEFAULT_POLICY: ServerSamplingPolicy = { policy: 'ask' };

/** What to do with a request, decided before anyone sees it. */
export type Admission = { kind: 'ask' } | { kind: 'auto' } | { kind: 'refuse'; message: string; fix?: SamplingFix };

/** The fields that say which program or endpoint a server is: a change means it may be a different server. */
const IDENTITY_FIELDS = ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'] as const;

export function serverIdentityChanged(before: ServerDefinition, after: ServerDefinition): boolean {
  const pick = (definition: ServerDefinition) =>
    JSON.stringify(IDENTITY_FIELDS.map((field) => (definition as Record<string, unknown>)[field] ?? null));
  return pick(before) !== pick(after);
}

/**
 * A digest of what a server *is* (not what it is called): auto-approval is stored with it and only
 * applies while the definition still has it, so a hand-edited servers.json, an import or a server
 * re-created under a leftover policy's name is asked about again. Environment and header values
 * are left out (a rotated token is the same server); their names are in.
 */
export function serverFingerprint(definition: ServerDefinition): string {
  const identity =
    definition.type === 'stdio'
      ? ['stdio', definition.command, definition.args, Object.keys(definition.env ?? {}).sort(), definition.cwd ?? null]
      : [
          definition.type,
          definition.url,
          Object.keys(definition.headers ?? {})
            .map((name) => name.toLowerCase())
            .sort(),
        ];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32);
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
  /** Tokens already reserved by admitted requests still in flight (each reserves its maxTokens). */
  tokensReserved?: () => number;
  /** This request's reservation: its maxTokens, as capped by the policy. */
  maxTokens?: number;
  /** Whether the auto-approve policy was granted to the server definition running now. */
  trusted?: () => boolean;
}): Admission {
  const { serverName, policy } = input;
  if (input.paused) {
    return { kind: 'refuse', message: 'Sampling is paused in Sluice (the kill switch is on)', fix: { kind: 'resume' } };
  }
  if (policy.policy === 'deny') {
    return {
      kind: 'refuse',
      message: `Sampling is denied for ${serverName} by the user's policy`,
      fix: { kind: 'open-policy', serverName },
    };
  }
  if (!input.withinRateLimit()) {
    return {
      kind: 'refuse',
      message: `Rate limit reached: ${serverName} may send ${policy.requestsPerMinute} sampling request(s) per minute`,
      fix: { kind: 'open-policy', serverName },
    };
  }
  if (policy.dailyTokenBudget !== undefined) {
    const used = input.tokensUsedToday();
    const reserved = input.tokensReserved?.() ?? 0;
    if (used >= policy.dailyTokenBudget) {
      return {
        kind: 'refuse',
        message: `Daily token budget used up: ${serverName} used ${used} of ${policy.dailyTokenBudget} tokens today`,
        fix: { kind: 'open-policy', serverName },
      };
    }
    // Requests in flight hold their maxTokens, so concurrent ones cannot all fit under the same remainder.
    if (used + reserved + (input.maxTokens ?? 0) > policy.dailyTokenBudget) {
      return {
        kind: 'refuse',
        message: `Daily token budget would be exceeded: ${serverName} used ${used} and has ${reserved} reserved by requests in progress, of ${policy.dailyTokenBudget} tokens today; this request may use ${input.maxTokens ?? 0}`,
        fix: { kind: 'open-policy', serverName },
      };
    }
  }
  if (policy.policy === 'auto' && input.trusted && !input.trusted()) return { kind: 'ask' };
  return { kind: policy.policy === 'auto' ? 'auto' : 'ask' };
}

/**
 * The policies and the pause switch, persisted in `sampling.json`. Every change runs in one
 * ordered queue and computes its next state from the state left by the change before it, so two
 * concurrent saves (a revocation and the kill switch, say) can never drop one another.
 */
export class PolicyStore {
  readonly file: string;
  private state: PolicyFile = { paused: false, servers: {} };
  private readonly writes = new SerialQueue();

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
    await this.update((state) => ({ ...state, paused }));
  }

  /** Stores `policy`; an auto-approve policy is bound to `fingerprint`, the definition it is granted to. */
  async setPolicy(serverName: string, policy: ServerSamplingPolicy | undefined, fingerprint?: string): Promise<void> {
    const bound = policy && { ...policy, fingerprint: policy.policy === 'auto' ? fingerprint : undefined };
    await this.update((state) => {
      const { [serverName]: _old, ...rest } = state.servers;
      return { ...state, servers: bound ? { ...rest, [serverName]: bound } : rest };
    });
  }

  /** Follows a server's save: a rename moves its policy, a changed configuration revokes auto-approval. */
  async onServerSaved(before: ServerDefinition | undefined, after: ServerDefinition, previousName?: string): Promise<void> {
    const oldName = previousName ?? after.name;
    await this.update((state) => {
      const current = state.servers[oldName];
      const next = revokeOnConfigChange(before, after, current);
      if (oldName === after.name && next === current) return undefined;
      const { [oldName]: _old, ...rest } = state.servers;
      return { ...state, servers: next ? { ...rest, [after.name]: next } : rest };
    });
  }

  async onServerRemoved(serverName: string): Promise<void> {
    await this.update((state) => {
      if (!(serverName in state.servers)) return undefined;
      const { [serverName]: _old, ...rest } = state.servers;
      return { ...state, servers: rest };
    });
  }

  /** Queues a change: `change` sees the state every earlier change left; undefined means "nothing to write". */
  private update(change: (state: PolicyFile) => PolicyFile | undefined): Promise<void> {
    return this.writes.run(async () => {
      const next = change(this.state);
      if (!next) return;
      await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`, 0o600);
      this.state = next;
    });
  }
}
