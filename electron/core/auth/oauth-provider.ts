/**
 * Sluice's `OAuthClientProvider`: the storage and browser hand-off the SDK drives for one remote
 * server. Two modes share the same stored data:
 *
 * - **passive** (the connection's transports): sends stored tokens, lets the SDK refresh them on
 *   a 401, and, when only a new browser sign-in would help, drops the dead tokens and throws
 *   `SignInRequiredError` instead of opening anything. The user decides when to sign in.
 * - **interactive** (one sign-in attempt the user started with "Sign in"): the loopback redirect
 *   URL and the `state` of that attempt, and a hand-off that opens the authorization page.
 *
 * A static client ID (identity providers without dynamic registration) comes from the server's
 * `oauth` settings, its secret from the secret store; otherwise the SDK registers dynamically and
 * the registration is stored.
 */
import type {
  OAuthClientInformationContext,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import type { OAuthSettings } from '../../../shared/domain.js';
import { SignInRequiredError } from './errors.js';
import { CALLBACK_PATH } from './loopback-listener.js';
import type { OAuthStore } from './oauth-store.js';
import type { RefreshGate } from './refresh-gate.js';

export type ProviderMode =
  | { kind: 'passive' }
  | { kind: 'interactive'; redirectUrl: string; state: string; openAuthorizationPage(url: URL): Promise<void> };

/** What the provider tells the sign-in service (per server). */
export interface ProviderEvents {
  /** Tokens were read (present or not): lets the service know a server is signed in before anything else happens. */
  tokensRead(present: boolean): void;
  tokensSaved(): void;
  /** Passive mode hit a wall only the user can get past. */
  signInRequired(message: string): void;
}

/** Discovery results for one server, kept in memory (rediscovered after a restart). */
export interface DiscoveryHolder {
  state?: OAuthDiscoveryState;
}

export interface ProviderContext {
  serverName: string;
  serverUrl: string;
  settings?: OAuthSettings;
  store: OAuthStore;
  discovery: DiscoveryHolder;
  /** Shared by every provider of this server: concurrent refreshes would use up each other's refresh token. */
  refreshGate: RefreshGate;
  events: ProviderEvents;
}

export const SIGN_IN_NEEDED = 'This server needs you to sign in.';
export const SIGN_IN_EXPIRED = 'Your sign-in to this server expired or was revoked. Sign in again.';

export class SluiceOAuthProvider implements OAuthClientProvider {
  /** Set when the SDK discarded tokens the server no longer accepts (so the message can say so). */
  private tokensDropped = false;
  /** Set when tokens were sent: a 401 after that means they stopped working, not that there never were any. */
  private hadTokens = false;

  constructor(
    private readonly context: ProviderContext,
    private readonly mode: ProviderMode,
  ) {}

  get redirectUrl(): string {
    if (this.mode.kind === 'interactive') return this.mode.redirectUrl;
    // Never used for a redirect in passive mode (it stops before one); only describes us as interactive.
    const port = this.context.settings?.redirectPort;
    return `http://127.0.0.1${port ? `:${port}` : ''}${CALLBACK_PATH}`;
  }

  get clientMetadata(): OAuthClientMetadata {
    const scopes = this.context.settings?.scopes;
    return {
      client_name: 'Sluice',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // A desktop app cannot keep a secret: a public client protected by PKCE (RFC 8252).
      token_endpoint_auth_method: 'none',
      application_type: 'native',
      ...(scopes?.length ? { scope: scopes.join(' ') } : {}),
    };
  }

  async state(): Promise<string> {
    this.context.refreshGate.leave();
    if (this.mode.kind === 'interactive') return this.mode.state;
    // The SDK asks for a state just before it would send the user to the authorization page.
    return this.requireSignIn();
  }

  async clientInformation(ctx?: OAuthClientInformationContext): Promise<StoredOAuthClientInformation | undefined> {
    const { settings, store, serverName } = this.context;
    if (settings?.clientId) {
      const secret = await store.clientSecret(serverName);
      // Configured for this one server, so it belongs to whichever issuer that server names.
      return { client_id: settings.clientId, ...(secret ? { client_secret: secret } : {}), ...(ctx ? { issuer: ctx.issuer } : {}) };
    }
    const stored = await store.client(serverName);
    if (this.mode.kind === 'interactive') {
      // A registration made for another loopback port would be refused at /authorize: register again.
      const uris = (stored as { redirect_uris?: unknown } | undefined)?.redirect_uris;
      if (stored && Array.isArray(uris) && !uris.includes(this.mode.redirectUrl)) return undefined;
      return stored;
    }
    // Registering is the first step of a sign-in: in passive mode only the user starts one.
    if (!stored) await this.requireSignIn();
    return stored;
  }

  async saveClientInformation(info: StoredOAuthClientInformation): Promise<void> {
    // A static client is configuration, not something learned: nothing to store.
    if (this.context.settings?.clientId) return;
    await this.context.store.saveClient(this.context.serverName, info);
  }

  async tokens(ctx?: OAuthClientInformationContext): Promise<StoredOAuthTokens | undefined> {
    // With a context, this is the SDK's auth flow about to refresh (see RefreshGate); without, a request's bearer read.
    if (ctx) await this.context.refreshGate.enter();
    const tokens = await this.context.store.tokens(this.context.serverName, this.context.serverUrl);
    if (tokens) this.hadTokens = true;
    this.context.events.tokensRead(tokens !== undefined);
    return tokens;
  }

  async saveTokens(tokens: StoredOAuthTokens): Promise<void> {
    await this.context.store.saveTokens(this.context.serverName, this.context.serverUrl, tokens);
    this.tokensDropped = false;
    this.context.refreshGate.leave();
    this.context.events.tokensSaved();
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    if (this.mode.kind === 'interactive') return this.mode.openAuthorizationPage(url);
    await this.requireSignIn();
  }

  async saveCodeVerifier(verifier: string): Promise<void> {
    await this.context.store.saveVerifier(this.context.serverName, verifier);
  }

  async codeVerifier(): Promise<string> {
    const verifier = await this.context.store.verifier(this.context.serverName);
    if (!verifier) throw new Error('This sign-in has no PKCE code verifier any more; press Sign in to start again');
    return verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.context.discovery.state = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.context.discovery.state;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    const { store, serverName, discovery } = this.context;
    this.context.refreshGate.leave();
    if (scope === 'all' || scope === 'tokens') {
      await store.delete(serverName, 'tokens');
      this.tokensDropped = true;
    }
    if ((scope === 'all' || scope === 'client') && !this.context.settings?.clientId) await store.delete(serverName, 'client');
    if (scope === 'all' || scope === 'verifier') await store.delete(serverName, 'verifier');
    if (scope === 'all' || scope === 'discovery') discovery.state = undefined;
  }

  /**
   * Passive mode, and only the browser would help. Tokens still stored here were just refused (no
   * refresh token, or the SDK would have tried it): they are dropped so they are not sent again.
   */
  private async requireSignIn(): Promise<never> {
    this.context.refreshGate.leave();
    const discovered = this.context.discovery.state;
    if (!discovered?.resourceMetadata && !discovered?.authorizationServerMetadata && !this.context.settings?.clientId) {
      throw new Error('The server answered 401 Unauthorized and publishes no OAuth metadata: check the credentials in its headers');
    }
    const expired = this.tokensDropped || this.hadTokens;
    this.hadTokens = false;
    this.tokensDropped = false;
    await this.context.store.delete(this.context.serverName, 'tokens');
    const message = expired ? SIGN_IN_EXPIRED : SIGN_IN_NEEDED;
    this.context.events.signInRequired(message);
    throw new SignInRequiredError(this.context.serverName, message);
  }
}
