/**
 * Enterprise-managed authorization (the `io.modelcontextprotocol/enterprise-managed-authorization`
 * extension, SEP-990), for a server whose OAuth options choose `cross_app_access`:
 *
 * 1. the user's ID token from the enterprise identity provider is exchanged there (RFC 8693 token
 *    exchange) for an Identity Assertion JWT Authorization Grant (ID-JAG) whose audience is the MCP
 *    server's authorization server and whose resource is the MCP server;
 * 2. the ID-JAG is the assertion of a JWT bearer grant (RFC 7523) at that authorization server,
 *    which the SDK sends with the client's `client_secret_basic` authentication.
 *
 * Both steps are the SDK's (`CrossAppAccessProvider`, `requestJwtAuthorizationGrant`); this module
 * only feeds them Sluice's settings and secret-store entries. No browser is involved.
 */
import {
  CrossAppAccessProvider,
  discoverAndRequestJwtAuthGrant,
  requestJwtAuthorizationGrant,
  type CrossAppAccessContext,
} from '@modelcontextprotocol/client';
import type { OAuthSettings } from '../../../shared/domain.js';
import type { OAuthStore } from './oauth-store.js';

/** The grant the authorization server must accept (advertised in its `grant_types_supported`). */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface CrossAppAccessRequest {
  serverName: string;
  settings: OAuthSettings;
  store: OAuthStore;
  /** The authorization server's issuer, as the SDK's discovery found it (the ID-JAG's audience). */
  authorizationServerUrl: string | undefined;
  /** The MCP server's resource identifier from its protected resource metadata (the ID-JAG's resource). */
  resourceUrl: string | undefined;
  scope: string | undefined;
}

/** The JWT bearer token request: obtains a fresh ID-JAG from the identity provider first. */
export async function crossAppAccessTokenRequest(request: CrossAppAccessRequest): Promise<URLSearchParams> {
  const { serverName, settings, store, authorizationServerUrl, resourceUrl, scope } = request;
  const idp = settings.idp;
  if (!idp)
    throw new Error("Enterprise sign-in needs the identity provider (issuer and client ID): set them in the server's OAuth options");
  if (!settings.clientId)
    throw new Error(
      "Enterprise sign-in needs the client ID the server's authorization server issued: set it in the server's OAuth options",
    );
  const idToken = await store.secret(serverName, 'idp-id-token');
  if (!idToken)
    throw new Error("No ID token from the identity provider is stored for this server: paste one in the server's OAuth options");
  const idpClientSecret = await store.secret(serverName, 'idp-client-secret');
  const clientSecret = await store.clientSecret(serverName);
  if (!clientSecret)
    throw new Error(
      "Enterprise sign-in needs the client secret the server's authorization server issued: add it in the server's OAuth options",
    );

  const provider = new CrossAppAccessProvider({
    clientId: settings.clientId,
    clientSecret,
    clientName: 'Sluice',
    ...(authorizationServerUrl ? { expectedIssuer: authorizationServerUrl } : {}),
    assertion: async (context: CrossAppAccessContext) => {
      const exchange = {
        audience: context.authorizationServerUrl,
        resource: context.resourceUrl,
        idToken,
        clientId: idp.clientId,
        ...(idpClientSecret ? { clientSecret: idpClientSecret } : {}),
        ...(context.scope ? { scope: context.scope } : {}),
        fetchFn: context.fetchFn,
      };
      try {
        const result = idp.tokenEndpoint
          ? await requestJwtAuthorizationGrant({ ...exchange, tokenEndpoint: idp.tokenEndpoint })
          : await discoverAndRequestJwtAuthGrant({ ...exchange, idpUrl: idp.issuer });
        return result.jwtAuthGrant;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `The identity provider (${idp.issuer}) did not issue an authorization grant for this server: ${reason}. If the ID token expired, paste a new one in the server's OAuth options.`,
          { cause: error },
        );
      }
    },
  });
  if (authorizationServerUrl) provider.saveAuthorizationServerUrl(authorizationServerUrl);
  if (resourceUrl) provider.saveResourceUrl?.(resourceUrl);
  return provider.prepareTokenRequest(scope);
}
