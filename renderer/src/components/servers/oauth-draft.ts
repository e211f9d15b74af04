/** The server form's OAuth fields as text, and how they become `oauth` settings + the secret to store. Pure. */
import { isClientMetadataUrl, type OAuthSettings } from '../../../../shared/domain';

export interface OAuthDraft {
  clientId: string;
  clientSecret: string;
  scopes: string;
  redirectPort: string;
  /** Client ID Metadata Document URL. */
  clientMetadataUrl: string;
  /** How Sluice signs in: the user in the browser, or machine-to-machine with client credentials. */
  signIn: 'browser' | 'client_secret_basic' | 'private_key_jwt';
  /** A new private key (PEM) for private_key_jwt; write-only like the secret. */
  privateKey: string;
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
    signIn: settings?.grant === 'client_credentials' ? (settings.clientAuth ?? 'client_secret_basic') : 'browser',
    privateKey: '',
  };
}

export interface CheckedOAuth {
  /** Undefined when every field is empty (the server keeps no `oauth` settings). */
  settings?: OAuthSettings;
  /** What to send as `clientSecret`: a new secret, `null` to remove the stored one, undefined to keep it. */
  clientSecret?: string | null;
  /** Likewise for a client-credentials client's private key. */
  privateKey?: string | null;
  /** Field → message, for the fields that are wrong. */
  errors: Partial<Record<'redirectPort' | 'clientSecret' | 'clientMetadataUrl' | 'clientId' | 'privateKey', string>>;
}

/** The draft as the server definition's `oauth` settings plus the secret to store, or what is wrong. */
export function checkOAuthDraft(draft: OAuthDraft, hadClientId: boolean): CheckedOAuth {
  const errors: CheckedOAuth['errors'] = {};
  const clientId = draft.clientId.trim();
  const scopes = draft.scopes.split(/\s+/).filter(Boolean);
  const portText = draft.redirectPort.trim();
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
  const clientMetadataUrl = draft.clientMetadataUrl.trim();
  if (clientMetadataUrl && !isClientMetadataUrl(clientMetadataUrl))
    errors.clientMetadataUrl = 'The client metadata URL must be an https:// address with a path.';
  const machine = draft.signIn !== 'browser';
  if (machine && !clientId) errors.clientId = 'Client credentials need the client ID the authorization server issued.';
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
  };
  // Back to dynamic registration: the old static client's secret must not linger in the store.
  const clientSecret = draft.clientSecret ? draft.clientSecret : hadClientId && !clientId ? null : undefined;
  // Likewise a private key once the server no longer signs with one.
  const privateKey = jwt && privateKeyText ? privateKeyText : !jwt && hadClientId ? null : undefined;
  return { settings: Object.keys(settings).length > 0 ? settings : undefined, clientSecret, privateKey, errors };
}
