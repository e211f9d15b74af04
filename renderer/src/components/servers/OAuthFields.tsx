/**
 * The "Sign-in (OAuth)" section of the server form, for HTTP/SSE servers. Most servers need none
 * of it (Sluice registers itself dynamically); it is for identity providers where the user
 * registered a client by hand. The client secret is write-only: the renderer never receives it, so
 * the field starts empty and a blank field keeps whatever the host has stored.
 */
import { useEffect, useId, useState } from 'react';
import { AppClientMetadataDefault } from './AppClientMetadataDefault';
import type { CheckedOAuth, OAuthDraft } from './oauth-draft';
import './oauth-fields.css';

export function OAuthFields({
  draft,
  onChange,
  editing,
  errors,
  defaultOpen,
}: {
  draft: OAuthDraft;
  onChange: (patch: Partial<OAuthDraft>) => void;
  /** Editing a saved server: a secret may already be stored. */
  editing: boolean;
  errors: CheckedOAuth['errors'];
  defaultOpen: boolean;
}) {
  const ids = {
    clientId: useId(),
    clientSecret: useId(),
    scopes: useId(),
    redirectPort: useId(),
    clientMetadataUrl: useId(),
    signIn: useId(),
    privateKey: useId(),
    idpIssuer: useId(),
    idpTokenEndpoint: useId(),
    idpClientId: useId(),
    idpClientSecret: useId(),
    idpIdToken: useId(),
  };
  const enterprise = draft.signIn === 'cross_app_access';
  const [open, setOpen] = useState(defaultOpen);
  const hasErrors = Object.keys(errors).length > 0;
  // A validation error inside a closed section must not go unseen.
  useEffect(() => {
    if (hasErrors) setOpen(true);
  }, [hasErrors, errors]);
  const errorProps = (field: keyof CheckedOAuth['errors'], hintId: string) =>
    errors[field] ? { 'aria-invalid': true as const, 'aria-describedby': `${hintId} ${ids[field]}-err` } : { 'aria-describedby': hintId };
  const errorText = (field: keyof CheckedOAuth['errors']) =>
    errors[field] ? (
      <p className="field-error" role="alert" id={`${ids[field]}-err`}>
        {errors[field]}
      </p>
    ) : null;
  return (
    <details className="oauth-fields" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Sign-in (OAuth)</summary>
      <p className="hint">
        Only needed when the server&apos;s identity provider does not let Sluice register itself. Sign in from the server&apos;s card after
        saving.
      </p>
      <div className="field-grid">
        <label htmlFor={ids.signIn}>Sign in as</label>
        <div>
          <select
            id={ids.signIn}
            value={draft.signIn}
            onChange={(e) => onChange({ signIn: e.target.value as OAuthDraft['signIn'] })}
            aria-describedby={`${ids.signIn}-hint`}
          >
            <option value="browser">You, in the browser</option>
            <option value="client_secret_basic">Sluice (client credentials, secret)</option>
            <option value="private_key_jwt">Sluice (client credentials, private key)</option>
            <option value="cross_app_access">You, through your company&apos;s identity provider</option>
          </select>
          <p className="hint" id={`${ids.signIn}-hint`}>
            {enterprise
              ? 'Enterprise-managed: your identity provider exchanges your ID token for a grant to this server; no browser. Needs the client ID and secret of both.'
              : 'Client credentials: machine-to-machine, no browser; needs the client ID and its secret or private key.'}
          </p>
        </div>

        <label htmlFor={ids.clientId}>OAuth client ID</label>
        <div>
          <input
            id={ids.clientId}
            value={draft.clientId}
            onChange={(e) => onChange({ clientId: e.target.value })}
            placeholder="(optional)"
            autoComplete="off"
            spellCheck={false}
            {...errorProps('clientId', `${ids.clientId}-hint`)}
          />
          {errorText('clientId')}
          <p className="hint" id={`${ids.clientId}-hint`}>
            {enterprise
              ? "The client ID the server's authorization server issued to Sluice."
              : 'Empty: Sluice registers itself with the server (dynamic client registration).'}
          </p>
        </div>

        <label htmlFor={ids.clientSecret}>OAuth client secret</label>
        <div>
          <input
            id={ids.clientSecret}
            type="password"
            value={draft.clientSecret}
            onChange={(e) => onChange({ clientSecret: e.target.value })}
            placeholder={editing ? '(unchanged)' : '(optional)'}
            autoComplete="new-password"
            spellCheck={false}
            {...errorProps('clientSecret', `${ids.clientSecret}-hint`)}
          />
          {errorText('clientSecret')}
          <p className="hint" id={`${ids.clientSecret}-hint`}>
            {editing
              ? 'Leave blank to keep the stored secret. Kept in the secret store, never shown again.'
              : enterprise
                ? 'The secret that goes with that client ID (required). Kept in the secret store, never shown again.'
                : 'For confidential clients only. Kept in the secret store, never shown again.'}
          </p>
        </div>

        {draft.signIn === 'private_key_jwt' ? (
          <>
            <label htmlFor={ids.privateKey}>Private key (PEM)</label>
            <div>
              <textarea
                id={ids.privateKey}
                value={draft.privateKey}
                onChange={(e) => onChange({ privateKey: e.target.value })}
                placeholder={editing ? '(unchanged)' : '-----BEGIN PRIVATE KEY-----'}
                rows={3}
                spellCheck={false}
                autoComplete="off"
                {...errorProps('privateKey', `${ids.privateKey}-hint`)}
              />
              {errorText('privateKey')}
              <p className="hint" id={`${ids.privateKey}-hint`}>
                Signs the client assertion (private_key_jwt). Kept in the secret store, never shown again.
              </p>
            </div>
          </>
        ) : null}

        {enterprise ? (
          <>
            <label htmlFor={ids.idpIssuer}>Identity provider issuer</label>
            <div>
              <input
                id={ids.idpIssuer}
                value={draft.idpIssuer}
                onChange={(e) => onChange({ idpIssuer: e.target.value })}
                placeholder="https://login.example.com"
                spellCheck={false}
                {...errorProps('idpIssuer', `${ids.idpIssuer}-hint`)}
              />
              {errorText('idpIssuer')}
              <p className="hint" id={`${ids.idpIssuer}-hint`}>
                Your company&apos;s identity provider (the issuer of your ID token).
              </p>
            </div>

            <label htmlFor={ids.idpTokenEndpoint}>Identity provider token endpoint</label>
            <div>
              <input
                id={ids.idpTokenEndpoint}
                value={draft.idpTokenEndpoint}
                onChange={(e) => onChange({ idpTokenEndpoint: e.target.value })}
                placeholder="(optional) https://login.example.com/oauth2/token"
                spellCheck={false}
                {...errorProps('idpTokenEndpoint', `${ids.idpTokenEndpoint}-hint`)}
              />
              {errorText('idpTokenEndpoint')}
              <p className="hint" id={`${ids.idpTokenEndpoint}-hint`}>
                Empty: found in the issuer&apos;s metadata.
              </p>
            </div>

            <label htmlFor={ids.idpClientId}>Client ID at the identity provider</label>
            <div>
              <input
                id={ids.idpClientId}
                value={draft.idpClientId}
                onChange={(e) => onChange({ idpClientId: e.target.value })}
                autoComplete="off"
                spellCheck={false}
                {...errorProps('idpClientId', `${ids.idpClientId}-hint`)}
              />
              {errorText('idpClientId')}
              <p className="hint" id={`${ids.idpClientId}-hint`}>
                The client your ID token was issued to.
              </p>
            </div>

            <label htmlFor={ids.idpClientSecret}>Client secret at the identity provider</label>
            <div>
              <input
                id={ids.idpClientSecret}
                type="password"
                value={draft.idpClientSecret}
                onChange={(e) => onChange({ idpClientSecret: e.target.value })}
                placeholder={editing ? '(unchanged)' : '(optional)'}
                autoComplete="new-password"
                spellCheck={false}
                aria-describedby={`${ids.idpClientSecret}-hint`}
              />
              <p className="hint" id={`${ids.idpClientSecret}-hint`}>
                If the identity provider wants one. Kept in the secret store, never shown again.
              </p>
            </div>

            <label htmlFor={ids.idpIdToken}>ID token</label>
            <div>
              <textarea
                id={ids.idpIdToken}
                value={draft.idpIdToken}
                onChange={(e) => onChange({ idpIdToken: e.target.value })}
                placeholder={editing ? '(unchanged)' : 'eyJhbGciOi…'}
                rows={3}
                spellCheck={false}
                autoComplete="off"
                {...errorProps('idpIdToken', `${ids.idpIdToken}-hint`)}
              />
              {errorText('idpIdToken')}
              <p className="hint" id={`${ids.idpIdToken}-hint`}>
                From signing in at your identity provider. Sluice exchanges it for each sign-in to this server; when it expires, paste a new
                one. Kept in the secret store, never shown again.
              </p>
            </div>
          </>
        ) : null}

        {draft.signIn === 'browser' ? (
          <>
            <label htmlFor={ids.clientMetadataUrl}>Client ID metadata document</label>
            <div>
              <input
                id={ids.clientMetadataUrl}
                value={draft.clientMetadataUrl}
                onChange={(e) => onChange({ clientMetadataUrl: e.target.value })}
                placeholder="(optional) https://…/client-metadata.json"
                spellCheck={false}
                {...errorProps('clientMetadataUrl', `${ids.clientMetadataUrl}-hint`)}
              />
              {errorText('clientMetadataUrl')}
              <p className="hint" id={`${ids.clientMetadataUrl}-hint`}>
                Used as the client ID where the authorization server accepts client ID metadata documents, instead of registering. Empty:
                the app-wide default.
              </p>
              <AppClientMetadataDefault />
            </div>
          </>
        ) : null}

        <label htmlFor={ids.scopes}>OAuth scopes</label>
        <div>
          <input
            id={ids.scopes}
            value={draft.scopes}
            onChange={(e) => onChange({ scopes: e.target.value })}
            placeholder="(optional) e.g. read write"
            spellCheck={false}
            aria-describedby={`${ids.scopes}-hint`}
          />
          <p className="hint" id={`${ids.scopes}-hint`}>
            Separated by spaces. Empty: the scopes the server asks for.
          </p>
        </div>

        {draft.signIn === 'browser' ? (
          <>
            <label htmlFor={ids.redirectPort}>Redirect port</label>
            <div>
              <input
                id={ids.redirectPort}
                inputMode="numeric"
                value={draft.redirectPort}
                onChange={(e) => onChange({ redirectPort: e.target.value })}
                placeholder="(any free port)"
                className="oauth-port"
                {...errorProps('redirectPort', `${ids.redirectPort}-hint`)}
              />
              {errorText('redirectPort')}
              <p className="hint" id={`${ids.redirectPort}-hint`}>
                Only for a client ID registered with a fixed redirect URI: http://127.0.0.1:&lt;port&gt;/callback.
              </p>
            </div>
          </>
        ) : null}
      </div>
    </details>
  );
}
