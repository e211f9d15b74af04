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
 *
 * Two grants need no browser and run in passive mode on any 401: client credentials, and
 * enterprise-managed authorization (`cross_app_access`, see cross-app-access.ts).
 */
import { createPrivateKeyJwtAuth } from '@modelcontextprotocol/client';
import type {
  AddClientAuthentication,
  OAuthClientInformationContext,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthDiscoveryState,
  StoredOAuthClientInformation,
  StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import type { OAuthSettings } from '../../../shared/domain.js';
import { crossAppAccessTokenRequest, JWT_BEARER_GRANT } from './cross-app-access.js';
import { SignInRequiredError } from './errors.js';
import { CALLBACK_PATH } from './loopback-listener.js';
import type { OAuthStore } from './oauth-store.js';
import type { RefreshGate } from './refresh-gate.js';

export type ProviderMode =
  { kind: 'passive' } | { kind: 'interactive'; redirectUrl: string; state: string; openAuthorizationPage(url: URL): Promise<void> };

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
  /** The app-wide client metadata URL, for servers that do not set their own. */
  defaultClientMetadataUrl?: string;
}

export const SIGN_IN_NEEDED = 'This server needs you to sign in.';
export const SIGN_IN_EXPIRED = 'Your sign-in to this server expired or was revoked. Sign in again.';
export const SIGN_IN_NO_METADATA =
  "The server answered 401 Unauthorized and publishes no OAuth metadata. If it wants a credential in a header, add it to the server's headers; otherwise Sign in (at the server's default /authorize).";

export class SluiceOAuthProvider implements OAuthClientProvider {
  /** Set when the SDK discarded tokens the server no longer accepts (so the message can say so). */
  private tokensDropped = false;
  /** Set when tokens were sent: a 401 after that means they stopped working, not that there never were any. */
  private hadTokens = false;
  /** Enterprise-managed authorization: the issuer and resource the SDK's discovery found (the ID-JAG's audience and resource). */
  private discoveredIssuer?: string;
  private discoveredResource?: string;

  constructor(
    private readonly context: ProviderContext,
    private readonly mode: ProviderMode,
  ) {}

  /** Machine-to-machine: the client-credentials grant, no browser and no user (extension `oauth-client-credentials`). */
  private get clientCredentials(): boolean {
    return this.context.settings?.grant === 'client_credentials';
  }

  /** Enterprise-managed authorization (SEP-990): an ID-JAG from the identity provider, then a JWT bearer grant; no browser. */
  private get crossAppAccess(): boolean {
    return this.context.settings?.grant === 'cross_app_access';
  }

  /** A grant with no browser and no user: client credentials, or enterprise-managed authorization. */
  private get noBrowser(): boolean {
    return this.clientCredentials || this.crossAppAccess;
  }

  /** Absent for the grants without a browser: the SDK then runs the grant itself, on any 401, with nobody asked. */
  get redirectUrl(): string | undefined {
    return this.noBrowser ? undefined : this.browserRedirectUrl();
  }

  private browserRedirectUrl(): string {
    if (this.mode.kind === 'interactive') return this.mode.redirectUrl;
    // Never used for a redirect in passive mode (it stops before one); only describes us as interactive.
    const port = this.context.settings?.redirectPort;
    return `http://127.0.0.1${port ? `:${port}` : ''}${CALLBACK_PATH}`;
  }

  /**
   * Client ID Metadata Document (spec 2025-11-25): the SDK uses this URL as the client ID when the
   * authorization server advertises `client_id_metadata_document_supported`, before registering.
   */
  get clientMetadataUrl(): string | undefined {
    if (this.noBrowser) return undefined;
    return this.context.settings?.clientMetadataUrl ?? this.context.defaultClientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    const scopes = this.context.settings?.scopes;
    if (this.crossAppAccess) {
      return {
        client_name: 'Sluice',
        redirect_uris: [],
        grant_types: [JWT_BEARER_GRANT],
        token_endpoint_auth_method: 'client_secret_basic',
        ...(scopes?.length ? { scope: scopes.join(' ') } : {}),
      };
    }
    if (this.clientCredentials) {
      return {
        client_name: 'Sluice',
        redirect_uris: [],
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: this.context.settings?.clientAuth ?? 'client_secret_basic',
        ...(scopes?.length ? { scope: scopes.join(' ') } : {}),
      };
    }
    return {
      client_name: 'Sluice',
      redirect_uris: [this.browserRedirectUrl()],
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
      const jwt = this.clientCredentials && settings.clientAuth === 'private_key_jwt';
      const secret = jwt ? undefined : await store.clientSecret(serverName);
      // Configured for this one server, so it belongs to whichever issuer that server names.
      return {
        client_id: settings.clientId,
        ...(secret ? { client_secret: secret } : {}),
        ...(this.clientCredentials ? { token_endpoint_auth_method: settings.clientAuth ?? 'client_secret_basic' } : {}),
        // SEP-990: the JWT bearer grant is authenticated with the client's secret in a Basic header.
        ...(this.crossAppAccess ? { token_endpoint_auth_method: 'client_secret_basic' } : {}),
        ...(ctx ? { issuer: ctx.issuer } : {}),
      };
    }
    if (this.clientCredentials)
      throw new Error("Client credentials need the client ID the authorization server issued: set it in the server's OAuth options");
    if (this.crossAppAccess)
      throw new Error(
        "Enterprise sign-in needs the client ID the server's authorization server issued: set it in the server's OAuth options",
      );
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

  /** Called by the SDK's auth() after discovery: the authorization server's issuer. */
  saveAuthorizationServerUrl(issuer: string): void {
    this.discoveredIssuer = issuer;
  }

  /** Called by the SDK's auth() after discovery: the MCP server's resource identifier. */
  saveResourceUrl(resource: string): void {
    this.discoveredResource = resource;
  }

  /**
   * The client-credentials token request (RFC 6749 §4.4), or enterprise-managed authorization's
   * JWT bearer one (a fresh ID-JAG from the identity provider); undefined lets the SDK make the
   * authorization-code one.
   */
  prepareTokenRequest(scope?: string): URLSearchParams | Promise<URLSearchParams> | undefined {
    if (this.crossAppAccess && this.context.settings) {
      const { serverName, settings, store } = this.context;
      return crossAppAccessTokenRequest({
        serverName,
        settings,
        store,
        authorizationServerUrl: this.discoveredIssuer,
        resourceUrl: this.discoveredResource,
        scope,
      });
    }
    if (!this.clientCredentials) return undefined;
    const params = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) params.set('scope', scope);
    return params;
  }

  /**
   * `private_key_jwt` (RFC 7523 §2.2): a short-lived assertion signed with the key from the secret
   * store, its audience the authorization server's issuer. Undefined: the SDK's own client
   * authentication (the secret, or none).
   */
  get addClientAuthentication(): AddClientAuthentication | undefined {
    const settings = this.context.settings;
    if (!this.clientCredentials || settings?.clientAuth !== 'private_key_jwt' || !settings.clientId) return undefined;
    const { store, serverName } = this.context;
    const clientId = settings.clientId;
    return async (headers, params, url, metadata) => {
      const privateKey = await store.privateKey(serverName);
      if (!privateKey) throw new Error("No private key is stored for this server: add it in the server's OAuth options");
      const sign = createPrivateKeyJwtAuth({
        issuer: clientId,
        subject: clientId,
        privateKey,
        alg: settings.signingAlgorithm ?? 'ES256',
        lifetimeSeconds: 60,
      });
      await sign(headers, params, url, metadata);
    };
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
    // No metadata at all: a 2025-03-26 server (its default /authorize, /token and /register at
    // its origin), or one that only wants a header. Both are said; Sign in is offered.
    const noMetadata = !discovered?.resourceMetadata && !discovered?.authorizationServerMetadata && !this.context.settings?.clientId;
    const expired = this.tokensDropped || this.hadTokens;
    this.hadTokens = false;
    this.tokensDropped = false;
    await this.context.store.delete(this.context.serverName, 'tokens');
    const message = noMetadata ? SIGN_IN_NO_METADATA : expired ? SIGN_IN_EXPIRED : SIGN_IN_NEEDED;
    this.context.events.signInRequired(message);
    throw new SignInRequiredError(this.context.serverName, message);
  }
}
