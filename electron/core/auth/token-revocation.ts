/**
 * Telling the authorization server that Sluice is done with a sign-in (RFC 7009 token
 * revocation), used by "Sign out". Only done when the server's metadata advertises a
 * `revocation_endpoint`; the refresh token is revoked when there is one (the server then drops
 * the access tokens issued with it, RFC 7009 §2.1), otherwise the access token.
 *
 * The caller forgets the tokens locally whatever happens here: this only reports how the server
 * answered, and never takes longer than `timeoutMs` (discovery included).
 */
import {
  assertSecureTokenEndpoint,
  discoverAuthorizationServerMetadata,
  discoverOAuthServerInfo,
  selectClientAuthMethod,
  type AuthorizationServerMetadata,
  type FetchLike,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from '@modelcontextprotocol/client';

export const REVOCATION_TIMEOUT_MS = 5_000;

export interface RevocationRequest {
  /** The MCP server the tokens were issued for (discovery starts there when nothing is cached). */
  serverUrl: string;
  tokens: StoredOAuthTokens;
  /** The client the tokens were issued to (stored registration, or the static client and its secret). */
  client: StoredOAuthClientInformation;
  /** Discovery results the server's providers already hold, reused instead of asking again. */
  discovered?: OAuthDiscoveryState;
  timeoutMs?: number;
  fetchFn?: FetchLike;
}

/** `revoked`: the server accepted it; `unsupported`: it advertises no revocation endpoint. */
export type RevocationOutcome = 'revoked' | 'unsupported';

/** Revokes the tokens at the authorization server. Throws (with a message for the user) when that failed. */
export async function revokeTokens(request: RevocationRequest): Promise<RevocationOutcome> {
  const timeoutMs = request.timeoutMs ?? REVOCATION_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const baseFetch = request.fetchFn ?? fetch;
  const fetchFn: FetchLike = (url, init) => baseFetch(url, { ...init, signal });
  try {
    const metadata = await authorizationServerMetadata(request, fetchFn);
    const endpoint = metadata && field(metadata, 'revocation_endpoint');
    if (!metadata || typeof endpoint !== 'string' || !endpoint) return 'unsupported';
    // Tokens and client secrets travel only over TLS (loopback excepted), like at the token endpoint.
    const url = assertSecureTokenEndpoint(endpoint);

    const { tokens, client } = request;
    const params = new URLSearchParams(
      tokens.refresh_token
        ? { token: tokens.refresh_token, token_type_hint: 'refresh_token' }
        : { token: tokens.access_token, token_type_hint: 'access_token' },
    );
    const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' });
    authenticateClient(client, metadata, headers, params);

    const response = await fetchFn(url, { method: 'POST', headers, body: params.toString() });
    if (!response.ok) throw new Error(`its revocation endpoint answered ${response.status}${await errorCode(response)}`);
    return 'revoked';
  } catch (error) {
    if (signal.aborted) throw new Error(`no answer within ${timeoutMs / 1000} s`, { cause: error });
    throw error;
  }
}

async function authorizationServerMetadata(
  request: RevocationRequest,
  fetchFn: FetchLike,
): Promise<AuthorizationServerMetadata | undefined> {
  const { discovered } = request;
  if (discovered?.authorizationServerMetadata) return discovered.authorizationServerMetadata;
  if (discovered?.authorizationServerUrl) return discoverAuthorizationServerMetadata(discovered.authorizationServerUrl, { fetchFn });
  const resourceMetadataUrl = discovered?.resourceMetadataUrl ? new URL(discovered.resourceMetadataUrl) : undefined;
  return (await discoverOAuthServerInfo(request.serverUrl, { fetchFn, ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}) }))
    .authorizationServerMetadata;
}

/**
 * The same client authentication as at the token endpoint (RFC 7009 §2.1): the registration's
 * `token_endpoint_auth_method` when the server supports it, else the best the server supports.
 */
function authenticateClient(
  client: StoredOAuthClientInformation,
  metadata: AuthorizationServerMetadata,
  headers: Headers,
  params: URLSearchParams,
): void {
  const revocationMethods = field(metadata, 'revocation_endpoint_auth_methods_supported');
  const supported = stringList(revocationMethods) ?? metadata.token_endpoint_auth_methods_supported ?? [];
  const method = selectClientAuthMethod(client, supported);
  const secret = client.client_secret;
  if (method === 'client_secret_basic' && secret) {
    // RFC 6749 §2.3.1: each part form-urlencoded before the Base64.
    const credentials = `${formEncode(client.client_id)}:${formEncode(secret)}`;
    headers.set('authorization', `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`);
    return;
  }
  params.set('client_id', client.client_id);
  if (method === 'client_secret_post' && secret) params.set('client_secret', secret);
}

/** RFC 8414 fields the SDK's OpenID Connect variant of the metadata type does not name. */
function field(metadata: AuthorizationServerMetadata, key: 'revocation_endpoint' | 'revocation_endpoint_auth_methods_supported'): unknown {
  return (metadata as Record<string, unknown>)[key];
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** The OAuth `error` code of a refusal, when the body carries one (never the whole body: it is untrusted). */
async function errorCode(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    return typeof body.error === 'string' && /^[\w.-]{1,64}$/.test(body.error) ? ` ${body.error}` : '';
  } catch {
    return '';
  }
}
