/** The server form's OAuth fields as text, and how they become `oauth` settings + the secret to store. Pure. */
import type { OAuthSettings } from '../../../../shared/domain';

export interface OAuthDraft {
  clientId: string;
  clientSecret: string;
  scopes: string;
  redirectPort: string;
}

export const MIN_REDIRECT_PORT = 1024;
export const MAX_REDIRECT_PORT = 65535;

export function oauthDraftFrom(settings: OAuthSettings | undefined): OAuthDraft {
  return {
    clientId: settings?.clientId ?? '',
    clientSecret: '',
    scopes: (settings?.scopes ?? []).join(' '),
    redirectPort: settings?.redirectPort === undefined ? '' : String(settings.redirectPort),
  };
}

export interface CheckedOAuth {
  /** Undefined when every field is empty (the server keeps no `oauth` settings). */
  settings?: OAuthSettings;
  /** What to send as `clientSecret`: a new secret, `null` to remove the stored one, undefined to keep it. */
  clientSecret?: string | null;
  /** Field → message, for the fields that are wrong. */
  errors: Partial<Record<'redirectPort' | 'clientSecret', string>>;
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
  const settings: OAuthSettings = {
    ...(clientId ? { clientId } : {}),
    ...(scopes.length > 0 ? { scopes } : {}),
    ...(redirectPort !== undefined ? { redirectPort } : {}),
  };
  // Back to dynamic registration: the old static client's secret must not linger in the store.
  const clientSecret = draft.clientSecret ? draft.clientSecret : hadClientId && !clientId ? null : undefined;
  return { settings: Object.keys(settings).length > 0 ? settings : undefined, clientSecret, errors };
}
