/**
 * Who may connect to the gateway: per-app bearer tokens the user creates in "Connect apps" (named,
 * revocable, shown once), and the stdio relay's token (new at every start, only in the discovery
 * file). Only a SHA-256 of each app token is stored (gateway-tokens.json, 0600), so the file does
 * not hand out access; a presented token is hashed and compared in constant time.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../storage/atomic-file.js';
import { SerialQueue } from '../serial-queue.js';
import { RELAY_TOKEN_ID } from '../../../shared/gateway.js';

export { RELAY_TOKEN_ID };

const StoredTokenSchema = z.object({
  id: z.string(),
  label: z.string(),
  createdAt: z.number(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  lastUsedAt: z.number().optional(),
});
const TokensFileSchema = z.object({ tokens: z.array(StoredTokenSchema) });
type StoredToken = z.infer<typeof StoredTokenSchema>;

/** What the GUI sees of a token: never the secret. */
export type TokenView = Omit<StoredToken, 'sha256'>;

/** The identity a valid token grants. */
export interface TokenIdentity {
  id: string;
  label: string;
  via: 'http' | 'relay';
}

const MAX_TOKENS = 100;
const TOKEN_PREFIX = 'sluice_';

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export class GatewayTokens {
  private tokens: StoredToken[] = [];
  private readonly writes = new SerialQueue();
  /** The relay's token: random per host start, written only to the discovery file. */
  readonly relayToken = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  private readonly relayHash = sha256(this.relayToken);
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'gateway-tokens.json');
  }

  async load(): Promise<string | undefined> {
    const loaded = await readJsonFile(this.file, TokensFileSchema, () => ({ tokens: [] }));
    this.tokens = loaded.value.tokens;
    return loaded.notice;
  }

  list(): TokenView[] {
    return this.tokens.map(({ sha256: _hash, ...view }) => view);
  }

  /** Creates a token for an app; the secret is returned this once and never stored. */
  async create(label: string): Promise<{ token: string; view: TokenView }> {
    if (this.tokens.length >= MAX_TOKENS) throw new Error(`There are already ${MAX_TOKENS} app tokens; revoke some first`);
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const stored: StoredToken = { id: randomUUID(), label, createdAt: Date.now(), sha256: sha256(token).toString('hex') };
    this.tokens = [...this.tokens, stored];
    await this.save();
    const { sha256: _hash, ...view } = stored;
    return { token, view };
  }

  async revoke(id: string): Promise<void> {
    if (!this.tokens.some((token) => token.id === id)) throw new Error('No such app token: it was already revoked');
    this.tokens = this.tokens.filter((token) => token.id !== id);
    await this.save();
  }

  /** The identity for a presented bearer token, or undefined. Every stored hash is compared (constant time each). */
  verify(presented: string | undefined): TokenIdentity | undefined {
    if (!presented || presented.length > 200) return undefined;
    const hash = sha256(presented);
    let found: TokenIdentity | undefined;
    if (timingSafeEqual(hash, this.relayHash)) found = { id: RELAY_TOKEN_ID, label: 'stdio relay', via: 'relay' };
    for (const token of this.tokens) {
      if (timingSafeEqual(hash, Buffer.from(token.sha256, 'hex'))) found ??= { id: token.id, label: token.label, via: 'http' };
    }
    return found;
  }

  /** Whether the token (by id) still exists: a revoked token's sessions end. */
  has(id: string): boolean {
    return id === RELAY_TOKEN_ID || this.tokens.some((token) => token.id === id);
  }

  private save(): Promise<void> {
    const snapshot = JSON.stringify({ tokens: this.tokens }, null, 2);
    return this.writes.run(() => writeFileAtomic(this.file, snapshot, 0o600));
  }
}
