/**
 * Signing in to remote servers: one sign-in state per server (`signed-out | signing-in |
 * signed-in | error`), the OAuth providers the connections use, and the sign-in attempts the user
 * starts with "Sign in".
 *
 * An attempt: a loopback listener on 127.0.0.1 (random port, the port of the stored registration,
 * or a static client's configured port), a fresh `state`, then the SDK's `auth()` (discovery,
 * dynamic registration unless a static client ID is configured, PKCE), which hands us the
 * authorization URL: the desktop app opens it in the system browser, web mode gives it to the
 * renderer. The listener accepts only the redirect carrying that `state`; its code is exchanged
 * and the server reconnects with the tokens. Nothing is opened unless the user pressed Sign in.
 */
import { randomBytes } from 'node:crypto';
import {
  auth,
  computeScopeUnion,
  extractWWWAuthenticateParams,
  isStrictScopeSuperset,
  type FetchLike,
  type OAuthClientProvider,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import type { ServerAuthStatus, ServerDefinition } from '../../../shared/domain.js';
import type { SecretStore } from '../storage/secret-store.js';
import { startLoopbackListener, SignInCallbackError, type AuthorizationResponse, type LoopbackListener } from './loopback-listener.js';
import { OAuthStore } from './oauth-store.js';
import { RefreshGate } from './refresh-gate.js';
import { SluiceOAuthProvider, type DiscoveryHolder, type ProviderContext } from './oauth-provider.js';
import { revokeTokens } from './token-revocation.js';
import { boundedScope, isScopeSubset } from './scopes.js';

type RemoteDefinition = Extract<ServerDefinition, { type: 'http' | 'sse' }>;

/** What a server connection needs from the sign-in service (see servers/connection.ts). */
export interface ServerAuth {
  /** The OAuth provider for this server's transports, or undefined when the user set an Authorization header themselves. */
  providerFor(definition: ServerDefinition): OAuthClientProvider | undefined;
  /** The server's sign-in state for its status, if it uses OAuth. */
  statusFor(name: string): ServerAuthStatus | undefined;
  /** The fetch for this server's transports: notes the scope its 401/403 challenges ask for. */
  fetchFor(definition: ServerDefinition): FetchLike | undefined;
  /**
   * A request was refused with 403 `insufficient_scope`: asks the user to sign in again with the
   * scopes held plus `requiredScope`, and resolves once that sign-in is done (the caller retries
   * once). Rejects with a message for the user when asking again cannot help or is not done.
   */
  stepUp(definition: ServerDefinition, requiredScope: string | undefined): Promise<void>;
  /** The request retried after a step-up went through. */
  stepUpSucceeded(name: string): void;
}

export interface SignInServiceOptions {
  secrets: SecretStore;
  /** The desktop app: open the authorization page in the system browser. Absent in web mode. */
  openExternal?: (url: string) => Promise<void>;
  /** A server's sign-in state changed (the host re-sends the server statuses). */
  onChange(name: string): void;
  /** Tokens were obtained: the host reconnects the server so it uses them. */
  onSignedIn(name: string): Promise<void>;
  /** Tokens stopped working while connected (revoked, refresh refused): the host reconnects so the status shows it. */
  onSignInLost(name: string): void;
  /** How long an attempt waits for the browser (default 5 minutes). */
  callbackTimeoutMs?: number;
  /** The app-wide Client ID Metadata Document URL now (a server's own setting wins); read at every sign-in. */
  clientMetadataUrl?: () => string | undefined;
}

interface Attempt {
  listener: LoopbackListener;
  cancelled: boolean;
}

/** What the server's challenges asked for, and what Sluice asked the authorization server for. */
interface ScopeState {
  /** The latest `scope` of a 401 or 403 `insufficient_scope` challenge (spec: scope selection, first choice). */
  challenged?: string;
  /** A 403 `insufficient_scope` waits for a sign-in with these scopes (held ∪ required). */
  stepUp?: string;
  /** The scope the last completed sign-in asked for. */
  requested?: string;
  /** Step-up sign-ins since a request last went through after one. */
  stepUps: number;
}

/** Enterprise-managed authorization secrets a save brings: a new value, `null` removes it, absent keeps it. */
export interface IdpSecrets {
  clientSecret?: string | null;
  idToken?: string | null;
}

const DEFAULT_CALLBACK_TIMEOUT_MS = 5 * 60_000;
/** Step-up sign-ins in a row before Sluice stops asking (the server keeps wanting more). */
export const MAX_STEP_UPS = 3;

export class SignInService implements ServerAuth {
  readonly store: OAuthStore;
  private readonly states = new Map<string, ServerAuthStatus>();
  private readonly providers = new Map<string, { definition: ServerDefinition; provider: SluiceOAuthProvider }>();
  /** Per server and URL: discovery results and the refresh gate, shared by its passive and interactive providers. */
  private readonly discoveries = new Map<string, { url: string; holder: DiscoveryHolder; gate: RefreshGate }>();
  private readonly attempts = new Map<string, Attempt>();
  private readonly scopes = new Map<string, ScopeState>();
  /** Requests waiting for the next sign-in to finish (true) or fail (false). */
  private readonly signInWaiters = new Map<string, Set<(signedIn: boolean) => void>>();

  constructor(private readonly options: SignInServiceOptions) {
    this.store = new OAuthStore(options.secrets);
  }

  statusFor(name: string): ServerAuthStatus | undefined {
    return this.states.get(name);
  }

  providerFor(definition: ServerDefinition): OAuthClientProvider | undefined {
    if (definition.type === 'stdio') return undefined;
    // An Authorization header is the user's own credential: OAuth would fight it.
    if (Object.keys(definition.headers).some((header) => header.toLowerCase() === 'authorization')) return undefined;
    const cached = this.providers.get(definition.name);
    if (cached?.definition === definition) return cached.provider;
    const provider = new SluiceOAuthProvider(this.contextFor(definition), { kind: 'passive' });
    this.providers.set(definition.name, { definition, provider });
    // No state yet: stored tokens (first read) or the server's first 401 decide it.
    return provider;
  }

  fetchFor(definition: ServerDefinition): FetchLike | undefined {
    if (!this.providerFor(definition)) return undefined;
    const name = definition.name;
    return async (url, init) => {
      const response = await fetch(url, init);
      if (response.status === 401 || response.status === 403) {
        const { scope, error } = extractWWWAuthenticateParams(response);
        const challenged = boundedScope(scope);
        // A plain 403 is not about scopes; an insufficient_scope one drives the step-up (stepUp()).
        if (challenged && (response.status === 401 || error === 'insufficient_scope')) this.scopeState(name).challenged = challenged;
      }
      return response;
    };
  }

  async stepUp(definition: ServerDefinition, requiredScope: string | undefined): Promise<void> {
    if (definition.type === 'stdio') throw new Error('A local server has no sign-in');
    const name = definition.name;
    const state = this.scopeState(name);
    const required = boundedScope(requiredScope);
    const shown = required ? ` (${required})` : '';
    if (required && state.requested && isScopeSubset(required, state.requested)) {
      throw new Error(
        `${name} refused this for lack of permissions${shown}, although the last sign-in already asked for them. Signing in again would not help: check what your account may do on this server.`,
      );
    }
    if (state.stepUps >= MAX_STEP_UPS) {
      throw new Error(
        `${name} keeps asking for more permissions${shown}; Sluice stopped after ${MAX_STEP_UPS} sign-ins in a row. Sign in again yourself to retry.`,
      );
    }
    state.stepUps++;
    const held = (await this.store.tokens(name, definition.url))?.scope;
    state.stepUp = computeScopeUnion(held, state.requested, required) ?? '';
    if (required) state.challenged = required;
    // The token in hand still works for everything else: it is kept, and the connection stays up.
    this.setState(name, {
      state: 'signed-out',
      message: `This needs more permissions than your sign-in grants${shown}. Sign in again to grant them.`,
    });
    const signedIn = await this.nextSignIn(name, this.options.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS * 2);
    if (!signedIn) throw new Error(`${name} needs more permissions${shown}, and signing in again did not happen or did not succeed.`);
  }

  /** A request retried after a step-up went through: the next step-up starts a new count. */
  stepUpSucceeded(name: string): void {
    const state = this.scopes.get(name);
    if (state) state.stepUps = 0;
  }

  /** Resolves true when the server's next sign-in succeeds, false when it fails, is cancelled or takes longer than `timeoutMs`. */
  private nextSignIn(name: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      let waiters = this.signInWaiters.get(name);
      if (!waiters) this.signInWaiters.set(name, (waiters = new Set()));
      const done = (signedIn: boolean) => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve(signedIn);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      timer.unref?.();
      waiters.add(done);
    });
  }

  private settleWaiters(name: string, signedIn: boolean): void {
    for (const waiter of [...(this.signInWaiters.get(name) ?? [])]) waiter(signedIn);
  }

  private scopeState(name: string): ScopeState {
    let state = this.scopes.get(name);
    if (!state) this.scopes.set(name, (state = { stepUps: 0 }));
    return state;
  }

  /**
   * The scope to ask for (spec 2025-11-25, scope selection strategy): a pending step-up's union;
   * else the scope of the server's latest challenge; with the scopes configured for the server
   * added. Undefined lets the SDK fall back to the resource metadata's `scopes_supported`, and
   * then to none.
   */
  private scopeFor(definition: RemoteDefinition): { scope: string | undefined; forceReauthorization: boolean } {
    const state = this.scopes.get(definition.name);
    const configured = definition.oauth?.scopes?.join(' ');
    const scope = computeScopeUnion(state?.stepUp ?? state?.challenged, configured) || undefined;
    return { scope, forceReauthorization: state?.stepUp !== undefined };
  }

  /**
   * Starts a sign-in (the user pressed "Sign in"). Resolves once the authorization page is open
   * (desktop) or known (web mode: its address is returned); the rest happens in the background.
   */
  async signIn(definition: ServerDefinition): Promise<{ authorizationUrl?: string }> {
    if (definition.type === 'stdio') throw new Error(`Server "${definition.name}" runs locally (stdio): there is nothing to sign in to`);
    const name = definition.name;
    await this.cancel(name);
    const state = randomBytes(32).toString('base64url');
    const listener = await startLoopbackListener({
      expectedState: state,
      serverName: name,
      port: definition.oauth?.redirectPort ?? (definition.oauth?.clientId ? 0 : await this.registeredPort(name)),
      fallbackToRandomPort: definition.oauth?.redirectPort === undefined,
      timeoutMs: this.options.callbackTimeoutMs ?? DEFAULT_CALLBACK_TIMEOUT_MS,
    });
    const attempt: Attempt = { listener, cancelled: false };
    this.attempts.set(name, attempt);
    this.setState(name, { state: 'signing-in', message: 'Preparing the sign-in…' });

    let authorizationUrl: string | undefined;
    const provider = new SluiceOAuthProvider(this.contextFor(definition), {
      kind: 'interactive',
      redirectUrl: listener.redirectUrl,
      state,
      openAuthorizationPage: async (url) => {
        // The address comes from the server's metadata: only a web page may be handed to the browser.
        if (url.protocol !== 'https:' && url.protocol !== 'http:')
          throw new Error(`the authorization page is not a web address (${url.protocol})`);
        authorizationUrl = url.href;
        if (this.options.openExternal) await this.options.openExternal(url.href);
      },
    });
    const { scope, forceReauthorization } = this.scopeFor(definition);
    try {
      // A step-up needs a new authorization: a refresh cannot widen the grant (RFC 6749 §6).
      const held = forceReauthorization ? (await this.store.tokens(name, definition.url))?.scope : undefined;
      const result = await auth(provider, {
        serverUrl: definition.url,
        scope,
        forceReauthorization: forceReauthorization && isStrictScopeSuperset(scope, held),
      });
      if (result === 'AUTHORIZED') {
        // The stored refresh token was still good: no browser needed.
        await this.finishAttempt(name, attempt);
        await this.signedIn(name, scope);
        return {};
      }
    } catch (error) {
      await this.failAttempt(name, attempt, `Could not start signing in: ${describe(error)}`);
      return {};
    }
    const web = !this.options.openExternal;
    this.setState(name, {
      state: 'signing-in',
      message: web ? 'Finish signing in on the page that opened in a new tab.' : 'Finish signing in in your browser.',
      ...(web && authorizationUrl ? { authorizationUrl } : {}),
    });
    void this.complete(definition, provider, attempt, scope);
    return web ? { authorizationUrl } : {};
  }

  /**
   * Forgets the server's tokens, stops any sign-in in progress and, when the authorization server
   * offers it, revokes the tokens there (RFC 7009). The tokens are forgotten here first and
   * whatever the server answers: signing out always succeeds; a failed revocation is only noted.
   */
  async signOut(definition: ServerDefinition): Promise<void> {
    const name = definition.name;
    await this.cancel(name);
    const tokens = definition.type === 'stdio' ? undefined : await this.store.tokens(name, definition.url);
    await this.store.delete(name, 'tokens');
    await this.store.delete(name, 'verifier');
    this.providers.delete(name);
    this.scopes.delete(name);
    this.settleWaiters(name, false);
    // Signed out before the server is asked: requests still in flight then get no "expired" treatment.
    this.setState(name, { state: 'signed-out', message: 'Signed out.' });
    if (!tokens || definition.type === 'stdio') return;
    const failure = await this.revoke(definition, tokens);
    // The user may have pressed Sign in meanwhile: only amend our own "Signed out".
    if (failure && this.states.get(name)?.state === 'signed-out') {
      this.setState(name, { state: 'signed-out', message: `Signed out (the server could not be told: ${failure}).` });
    }
  }

  /**
   * Before a server's definition is saved: a rename keeps the sign-in; `clientSecret` (a static
   * client's secret) is stored, or removed with `null`; so are `privateKey` and the identity
   * provider's client secret and ID token (`idp`, enterprise-managed authorization).
   */
  async beforeSave(
    definition: ServerDefinition,
    previousName: string | undefined,
    clientSecret: string | null | undefined,
    privateKey?: string | null,
    idp: IdpSecrets = {},
  ): Promise<void> {
    if (previousName && previousName !== definition.name) {
      await this.cancel(previousName);
      await this.store.rename(previousName, definition.name);
      const state = this.states.get(previousName);
      this.states.delete(previousName);
      if (state && state.state !== 'signing-in') this.states.set(definition.name, state);
      this.providers.delete(previousName);
      this.discoveries.delete(previousName);
      this.scopes.delete(previousName);
    }
    if (clientSecret !== undefined) await this.store.setClientSecret(definition.name, clientSecret);
    if (privateKey !== undefined) await this.store.setPrivateKey(definition.name, privateKey);
    if (idp.clientSecret !== undefined) await this.store.setSecret(definition.name, 'idp-client-secret', idp.clientSecret);
    if (idp.idToken !== undefined) await this.store.setSecret(definition.name, 'idp-id-token', idp.idToken);
    // A server that lost its URL-bound tokens (new URL) or became local no longer has a sign-in state.
    if (definition.type === 'stdio') this.states.delete(definition.name);
  }

  /** The server was removed: its tokens, registration and secret go with it. */
  async forget(name: string): Promise<void> {
    await this.cancel(name);
    await this.store.forget(name);
    this.settleWaiters(name, false);
    this.scopes.delete(name);
    this.states.delete(name);
    this.providers.delete(name);
    this.discoveries.delete(name);
  }

  async close(): Promise<void> {
    await Promise.all([...this.attempts.keys()].map((name) => this.cancel(name)));
  }

  private async complete(
    definition: RemoteDefinition,
    provider: SluiceOAuthProvider,
    attempt: Attempt,
    scope: string | undefined,
  ): Promise<void> {
    // (`scope` is what the authorization request asked for: the code exchange names it again.)
    const name = definition.name;
    let response: AuthorizationResponse;
    try {
      response = await attempt.listener.response;
    } catch (error) {
      if (attempt.cancelled) return;
      await this.failAttempt(name, attempt, error instanceof SignInCallbackError ? error.message : `Signing in failed: ${describe(error)}`);
      return;
    }
    try {
      await auth(provider, { serverUrl: definition.url, authorizationCode: response.code, iss: response.iss, scope });
    } catch (error) {
      const message = `Signing in failed: ${describe(error)}`;
      response.finish({ ok: false, message: `${message}. Go back to Sluice to try again.` });
      if (!attempt.cancelled) await this.failAttempt(name, attempt, message);
      return;
    }
    response.finish({ ok: true, message: `You are signed in to ${name}. You can close this tab and go back to Sluice.` });
    if (attempt.cancelled) return;
    await this.finishAttempt(name, attempt);
    await this.signedIn(name, scope);
  }

  private async signedIn(name: string, scope: string | undefined): Promise<void> {
    const state = this.scopeState(name);
    state.requested = scope;
    state.stepUp = undefined;
    this.setState(name, { state: 'signed-in' });
    await this.options.onSignedIn(name);
    this.settleWaiters(name, true);
  }

  private async finishAttempt(name: string, attempt: Attempt): Promise<void> {
    if (this.attempts.get(name) === attempt) this.attempts.delete(name);
    await attempt.listener.close();
    // The verifier belongs to this attempt only.
    await this.store.delete(name, 'verifier');
  }

  private async failAttempt(name: string, attempt: Attempt, message: string): Promise<void> {
    await this.finishAttempt(name, attempt);
    this.setState(name, { state: 'error', message });
    this.settleWaiters(name, false);
  }

  private async cancel(name: string): Promise<void> {
    const attempt = this.attempts.get(name);
    if (!attempt) return;
    attempt.cancelled = true;
    this.attempts.delete(name);
    await attempt.listener.close();
  }

  /** Revokes the tokens at the authorization server; the reason when that failed, undefined otherwise. */
  private async revoke(definition: RemoteDefinition, tokens: StoredOAuthTokens): Promise<string | undefined> {
    const name = definition.name;
    const clientId = definition.oauth?.clientId;
    const secret = clientId ? await this.store.clientSecret(name) : undefined;
    const client: StoredOAuthClientInformation | undefined = clientId
      ? { client_id: clientId, ...(secret ? { client_secret: secret } : {}) }
      : await this.store.client(name);
    // Without the client the tokens were issued to, the server would refuse to revoke them.
    if (!client) return undefined;
    const discovery = this.discoveries.get(name);
    const discovered = discovery?.url === definition.url ? discovery.holder.state : undefined;
    try {
      await revokeTokens({ serverUrl: definition.url, tokens, client, discovered });
      return undefined;
    } catch (error) {
      const reason = describe(error);
      console.warn(`sluice: signed out of ${name}, but could not revoke its tokens at the authorization server: ${reason}`);
      return reason;
    }
  }

  /** The loopback port the stored dynamic registration was made for (0 when none: any free port). */
  private async registeredPort(name: string): Promise<number> {
    const uris = ((await this.store.client(name)) as { redirect_uris?: unknown } | undefined)?.redirect_uris;
    const first = Array.isArray(uris) && typeof uris[0] === 'string' ? uris[0] : undefined;
    if (!first) return 0;
    try {
      const url = new URL(first);
      return url.hostname === '127.0.0.1' && url.port ? Number(url.port) : 0;
    } catch {
      return 0;
    }
  }

  private contextFor(definition: RemoteDefinition): ProviderContext {
    const name = definition.name;
    let discovery = this.discoveries.get(name);
    if (!discovery || discovery.url !== definition.url) {
      discovery = { url: definition.url, holder: {}, gate: new RefreshGate() };
      this.discoveries.set(name, discovery);
    }
    return {
      serverName: name,
      serverUrl: definition.url,
      settings: definition.oauth,
      store: this.store,
      discovery: discovery.holder,
      refreshGate: discovery.gate,
      defaultClientMetadataUrl: this.options.clientMetadataUrl?.(),
      events: {
        tokensRead: (present) => {
          // First sight of stored tokens (e.g. after a restart of Sluice): the server is signed in.
          if (present && !this.states.has(name)) this.states.set(name, { state: 'signed-in' });
        },
        tokensSaved: () => {
          const current = this.states.get(name)?.state;
          if (current !== 'signing-in' && current !== 'signed-in') this.setState(name, { state: 'signed-in' });
        },
        signInRequired: (message) => {
          // A sign-in the user is doing right now will fix it; don't talk over it.
          if (this.attempts.has(name)) return;
          const current = this.states.get(name)?.state;
          // Already signed out: keep the message that says why (e.g. "expired"), not the reconnect's echo.
          if (current === 'signed-out') return;
          const wasSignedIn = current === 'signed-in';
          this.setState(name, { state: 'signed-out', message });
          if (wasSignedIn) this.options.onSignInLost(name);
        },
      },
    };
  }

  private setState(name: string, status: ServerAuthStatus): void {
    this.states.set(name, status);
    this.options.onChange(name);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
