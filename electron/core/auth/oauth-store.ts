/**
 * Where one server's OAuth data lives: the host's SecretStore (the OS keychain through safeStorage
 * in the desktop app, a 0600 file in web mode), exactly like API keys. Nothing here ever goes to
 * the renderer. Keys: `oauth:<server>:tokens`, `:client` (the registration, dynamic or static),
 * `:verifier` (PKCE, only during a sign-in), `:client-secret` (a static client's secret) and
 * `:private-key` (a client-credentials client's PEM key for `private_key_jwt`), `:idp-client-secret` and
 * `:idp-id-token` (enterprise-managed authorization: the client secret at the identity provider and
 * the user's ID token from it).
 *
 * Tokens are stored with the URL of the server they were issued for: if the user points the entry
 * at another URL, the old tokens are not sent there.
 */
import type { StoredOAuthClientInformation, StoredOAuthTokens } from '@modelcontextprotocol/client';
import { z } from 'zod';
import type { SecretStore } from '../storage/secret-store.js';
import { SerialQueue } from '../serial-queue.js';

const StoredTokensSchema = z.object({
  serverUrl: z.string(),
  tokens: z.looseObject({ access_token: z.string(), token_type: z.string() }),
});
const ClientSchema = z.looseObject({ client_id: z.string().min(1) });

type Part = 'tokens' | 'client' | 'verifier' | 'client-secret' | 'private-key' | 'idp-client-secret' | 'idp-id-token';
const PARTS: readonly Part[] = ['tokens', 'client', 'verifier', 'client-secret', 'private-key', 'idp-client-secret', 'idp-id-token'];
/** The parts a user sets in the server's OAuth options (write-only: never sent back). */
export type SecretPart = Extract<Part, 'client-secret' | 'private-key' | 'idp-client-secret' | 'idp-id-token'>;

export class OAuthStore {
  /**
   * Every read and write runs in order: the SDK saves and drops tokens from concurrent requests,
   * and a read issued after a save must see that save.
   */
  private readonly inOrder = new SerialQueue();

  constructor(private readonly secrets: SecretStore) {}

  private get(key: string): Promise<string | undefined> {
    return this.inOrder.run(() => this.secrets.get(key));
  }

  private set(key: string, value: string): Promise<void> {
    return this.inOrder.run(() => this.secrets.set(key, value));
  }

  private remove(key: string): Promise<void> {
    return this.inOrder.run(() => this.secrets.delete(key));
  }

  /** The secret-store key for one part of a server's OAuth data (exported for tests). */
  static key(serverName: string, part: Part): string {
    return `oauth:${encodeURIComponent(serverName)}:${part}`;
  }

  async tokens(serverName: string, serverUrl: string): Promise<StoredOAuthTokens | undefined> {
    const stored = parseJson(await this.get(OAuthStore.key(serverName, 'tokens')), StoredTokensSchema);
    if (!stored || stored.serverUrl !== serverUrl) return undefined;
    return stored.tokens;
  }

  async saveTokens(serverName: string, serverUrl: string, tokens: StoredOAuthTokens): Promise<void> {
    await this.set(OAuthStore.key(serverName, 'tokens'), JSON.stringify({ serverUrl, tokens }));
  }

  async client(serverName: string): Promise<StoredOAuthClientInformation | undefined> {
    return parseJson(await this.get(OAuthStore.key(serverName, 'client')), ClientSchema);
  }

  async saveClient(serverName: string, info: StoredOAuthClientInformation): Promise<void> {
    await this.set(OAuthStore.key(serverName, 'client'), JSON.stringify(info));
  }

  async verifier(serverName: string): Promise<string | undefined> {
    return this.get(OAuthStore.key(serverName, 'verifier'));
  }

  async saveVerifier(serverName: string, verifier: string): Promise<void> {
    await this.set(OAuthStore.key(serverName, 'verifier'), verifier);
  }

  async clientSecret(serverName: string): Promise<string | undefined> {
    return this.get(OAuthStore.key(serverName, 'client-secret'));
  }

  /** A new secret, or `null` to remove it. */
  async setClientSecret(serverName: string, secret: string | null): Promise<void> {
    if (secret === null) await this.remove(OAuthStore.key(serverName, 'client-secret'));
    else await this.set(OAuthStore.key(serverName, 'client-secret'), secret);
  }

  async privateKey(serverName: string): Promise<string | undefined> {
    return this.get(OAuthStore.key(serverName, 'private-key'));
  }

  /** A new private key (PEM), or `null` to remove it. */
  async setPrivateKey(serverName: string, pem: string | null): Promise<void> {
    if (pem === null) await this.remove(OAuthStore.key(serverName, 'private-key'));
    else await this.set(OAuthStore.key(serverName, 'private-key'), pem);
  }

  async secret(serverName: string, part: SecretPart): Promise<string | undefined> {
    return this.get(OAuthStore.key(serverName, part));
  }

  /** A new value, or `null` to remove it. */
  async setSecret(serverName: string, part: SecretPart, value: string | null): Promise<void> {
    if (value === null) await this.remove(OAuthStore.key(serverName, part));
    else await this.set(OAuthStore.key(serverName, part), value);
  }

  async delete(serverName: string, part: Part): Promise<void> {
    await this.remove(OAuthStore.key(serverName, part));
  }

  /** Everything about a server (it was removed). */
  async forget(serverName: string): Promise<void> {
    for (const part of PARTS) await this.remove(OAuthStore.key(serverName, part));
  }

  /** A renamed server keeps its sign-in. */
  async rename(from: string, to: string): Promise<void> {
    for (const part of PARTS) {
      const value = await this.get(OAuthStore.key(from, part));
      if (value === undefined) continue;
      await this.set(OAuthStore.key(to, part), value);
      await this.remove(OAuthStore.key(from, part));
    }
  }
}

/** A stored value that no longer parses is treated as absent (the user signs in again), never a crash. */
function parseJson<T>(text: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (text === undefined) return undefined;
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
