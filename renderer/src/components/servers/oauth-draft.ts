/** The server form's OAuth fields as text, and how they become `oauth` settings + the secret to store. Pure. */
import { isClientMetadataUrl, isWebAddress, type OAuthSettings } from '../../../../shared/domain';

export interface OAuthDraft {
  clientId: string;
  clientSecret: string;
  scopes: string;
  redirectPort: string;
  /** Client ID Metadata Document URL. */
  clientMetadataUrl: string;
  /**
   * How Sluice signs in: the user in the browser, machine-to-machine with client credentials, or
   * enterprise-managed (an ID token from the company's identity provider, SEP-990).
   */
  signIn: 'browser' | 'client_secret_basic' | 'private_key_jwt' | 'cross_app_access';
  /** A new private key (PEM) for private_key_jwt; write-only like the secret. */
  privateKey: string;
  /** Enterprise-managed: the identity provider's issuer URL, token endpoint (optional) and Sluice's client ID there. */
  idpIssuer: string;
  idpTokenEndpoint: string;
  idpClientId: string;
  /** Enterprise-managed, write-only like the secret: the client secret at the identity provider, and the ID token. */
  idpClientSecret: string;
  idpIdToken: string;
}

export const MIN_REDIRECT_PORT = 1024;
export const MAX_REDIRECT_PORT = 65535;

export function oauthDraftFrom(settings: OAuthSettings | undefined): OAuthDraft {
  return {
    clientId: settings?.clientId ?? '',
    clientSecret: '',
    scopes: (settings?.scopes ?? []).join(' '),
    redirectPort: settings?.redirectPort === undefined ? '' : String(settings.redirectPort),
    clientMetadataUrl: settings?.clientMetadataUrl ?? '',
    signIn:
      settings?.grant === 'client_credentials'
        ? (settings.clientAuth ?? 'client_secret_basic')
        : settings?.grant === 'cross_app_access'
          ? 'cross_app_access'
          : 'browser',
    privateKey: '',
    idpIssuer: settings?.idp?.issuer ?? '',
    idpTokenEndpoint: settings?.idp?.tokenEndpoint ?? '',
    idpClientId: settings?.idp?.clientId ?? '',
    idpClientSecret: '',
    idpIdToken: '',
  };
}

export interface CheckedOAuth {
  /** Undefined when every field is empty (the server keeps no `oauth` settings). */
  settings?: OAuthSettings;
  /** What to send as `clientSecret`: a new secret, `null` to remove the stored one, undefined to keep it. */
  clientSecret?: string | null;
  /** Likewise for a client-credentials client's private key. */
  privateKey?: string | null;
  /** Likewise for enterprise-managed sign-in's client secret at the identity provider, and its ID token. */
  idpClientSecret?: string | null;
  idpIdToken?: string | null;
  /** Field → message, for the fields that are wrong. */
  errors: Partial<
    Record<
      | 'redirectPort'
      | 'clientSecret'
      | 'clientMetadataUrl'
      | 'clientId'
      | 'privateKey'
      | 'idpIssuer'
      | 'idpTokenEndpoint'
      | 'idpClientId'
      | 'idpIdToken',
      string
    >
  >;
}

/** A compact JWS (an OpenID Connect ID token): three base64url parts separated by dots. */
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The draft as the server definition's `oauth` settings plus the secrets to store, or what is
 * wrong. `hadClientId`, `hadEnterprise`: the saved server had a static client ID / enterprise-managed
 * sign-in (so secrets may be stored: blank fields keep them).
 */
export function checkOAuthDraft(draft: OAuthDraft, hadClientId: boolean, hadEnterprise = false): CheckedOAuth {
  const errors: CheckedOAuth['errors'] = {};
  const clientId = draft.clientId.trim();
  const scopes = draft.scopes.split(/\s+/).filter(Boolean);
  // The redirect port and the client metadata URL only matter for a browser sign-in (the form hides them otherwise).
  const browser = draft.signIn === 'browser';
  const portText = browser ? draft.redirectPort.trim() : '';
  let redirectPort: number | undefined;
  if (portText) {
    const port = /^\d+$/.test(portText) ? Number(portText) : NaN;
    if (!Number.isInteger(port) || port < MIN_REDIRECT_PORT || port > MAX_REDIRECT_PORT) {
      errors.redirectPort = `The redirect port must be a whole number from ${MIN_REDIRECT_PORT} to ${MAX_REDIRECT_PORT}.`;
    } else {
      redirectPort = port;
    }
  }
  // A secret only makes sense for a client the user registered (dynamic clients get their own).
  if (draft.clientSecret && !clientId) errors.clientSecret = 'A client secret needs the client ID it belongs to.';
  const clientMetadataUrl = browser ? draft.clientMetadataUrl.trim() : '';
  if (clientMetadataUrl && !isClientMetadataUrl(clientMetadataUrl))
    errors.clientMetadataUrl = 'The client metadata URL must be an https:// address with a path.';
  const enterprise = draft.signIn === 'cross_app_access';
  const machine = draft.signIn === 'client_secret_basic' || draft.signIn === 'private_key_jwt';
  if (machine && !clientId) errors.clientId = 'Client credentials need the client ID the authorization server issued.';
  const idp = enterprise ? checkIdp(draft, errors) : undefined;
  if (enterprise) {
    if (!clientId) errors.clientId = "Enterprise sign-in needs the client ID the server's authorization server issued.";
    else if (!draft.clientSecret && !(hadClientId && hadEnterprise))
      errors.clientSecret = "Enterprise sign-in needs the client secret the server's authorization server issued.";
    if (!draft.idpIdToken.trim() && !hadEnterprise)
      errors.idpIdToken = 'Paste the ID token your identity provider issued (from signing in there).';
  }
  const jwt = draft.signIn === 'private_key_jwt';
  const privateKeyText = draft.privateKey.trim();
  if (privateKeyText && !/^-----BEGIN (?:EC |RSA )?PRIVATE KEY-----[\s\S]+-----END (?:EC |RSA )?PRIVATE KEY-----$/.test(privateKeyText)) {
    errors.privateKey = 'Paste the private key in PEM form (-----BEGIN PRIVATE KEY----- …).';
  }
  const settings: OAuthSettings = {
    ...(clientId ? { clientId } : {}),
    ...(scopes.length > 0 ? { scopes } : {}),
    ...(redirectPort !== undefined ? { redirectPort } : {}),
    ...(clientMetadataUrl ? { clientMetadataUrl } : {}),
    ...(machine ? { grant: 'client_credentials' as const, clientAuth: draft.signIn as 'client_secret_basic' | 'private_key_jwt' } : {}),
    ...(enterprise ? { grant: 'cross_app_access' as const, ...(idp ? { idp } : {}) } : {}),
  };
  // Back to dynamic registration: the old static client's secret must not linger in the store.
  const clientSecret = draft.clientSecret ? draft.clientSecret : hadClientId && !clientId ? null : undefined;
  // Likewise a private key once the server no longer signs with one.
  const privateKey = jwt && privateKeyText ? privateKeyText : !jwt && hadClientId ? null : undefined;
  // And the identity provider's secret and ID token once the server no longer uses enterprise sign-in.
  const idpClientSecret = enterprise && draft.idpClientSecret ? draft.idpClientSecret : !enterprise && hadEnterprise ? null : undefined;
  const idToken = draft.idpIdToken.trim();
  const idpIdToken = enterprise && idToken ? idToken : !enterprise && hadEnterprise ? null : undefined;
  return {
    settings: Object.keys(settings).length > 0 ? settings : undefined,
    clientSecret,
    privateKey,
    ...(idpClientSecret !== undefined ? { idpClientSecret } : {}),
    ...(idpIdToken !== undefined ? { idpIdToken } : {}),
    errors,
  };
}

/** Enterprise-managed sign-in's identity provider fields; the messages go into `errors`. */
function checkIdp(draft: OAuthDraft, errors: CheckedOAuth['errors']): OAuthSettings['idp'] {
  const issuer = draft.idpIssuer.trim();
  const tokenEndpoint = draft.idpTokenEndpoint.trim();
  const clientId = draft.idpClientId.trim();
  if (!isWebAddress(issuer)) errors.idpIssuer = "Enter the identity provider's issuer URL (https://…).";
  if (tokenEndpoint && !isWebAddress(tokenEndpoint)) errors.idpTokenEndpoint = 'The token endpoint must be an https:// address.';
  if (!clientId) errors.idpClientId = 'Enter the client ID Sluice has at the identity provider.';
  const idToken = draft.idpIdToken.trim();
  if (idToken && !COMPACT_JWT.test(idToken))
    errors.idpIdToken = 'Paste the ID token itself: a JWT, three parts separated by dots, starting with eyJ.';
  if (!isWebAddress(issuer) || !clientId) return undefined;
  return { issuer, clientId, ...(tokenEndpoint && isWebAddress(tokenEndpoint) ? { tokenEndpoint } : {}) };
}
