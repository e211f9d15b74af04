import { useState } from 'react';
import { isWebAddress, type ServerAuthStatus, type ServerStatus } from '../../../../shared/domain';
import { useApp } from '../../state/app';
import { signIn as startSignIn, signOut as endSignIn } from '../../state/servers';
import './auth.css';

const LABELS: Record<ServerAuthStatus['state'], string> = {
  'signed-out': 'Not signed in',
  'signing-in': 'Signing in…',
  'signed-in': 'Signed in',
  error: 'Sign-in failed',
};

/**
 * A remote server's OAuth sign-in state with its Sign in / Sign out buttons. Nothing is opened
 * until the user presses Sign in: the desktop app then opens the system browser; web mode opens a
 * new tab (and keeps a link here in case the browser blocked it). Tokens never reach this page.
 */
export function SignInBadge({ status }: { status: ServerStatus }) {
  const auth = status.auth;
  const name = status.definition.name;
  const web = useApp((s) => s.info?.mode === 'web');
  const [busy, setBusy] = useState(false);
  if (!auth || status.definition.type === 'stdio') return null;

  const signIn = async () => {
    setBusy(true);
    try {
      const authorizationUrl = (await startSignIn(name))?.authorizationUrl;
      if (web && authorizationUrl && isWebAddress(authorizationUrl)) window.open(authorizationUrl, '_blank', 'noopener,noreferrer');
    } finally {
      setBusy(false);
    }
  };
  const signOut = async () => {
    setBusy(true);
    try {
      await endSignIn(name);
    } finally {
      setBusy(false);
    }
  };

  // The status line only says "Sign-in required": the badge says why (expired, revoked, failed).
  const showMessage = Boolean(auth.message);
  const link =
    auth.state === 'signing-in' && auth.authorizationUrl && isWebAddress(auth.authorizationUrl) ? auth.authorizationUrl : undefined;
  return (
    <div className={`signin signin-${auth.state}`} data-testid="signin-badge">
      <span className="signin-state" data-testid="signin-state">
        <span className="signin-dot" aria-hidden="true" />
        {LABELS[auth.state]}
      </span>
      {showMessage && <span className="signin-message">{auth.message}</span>}
      {link && (
        <a className="signin-link" href={link} target="_blank" rel="noopener noreferrer">
          Open the sign-in page
        </a>
      )}
      <span className="signin-actions">
        {auth.state === 'signed-in' ? (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => void signOut()}>
            Sign out
          </button>
        ) : auth.state === 'signing-in' ? (
          <>
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void signIn()}>
              Start over
            </button>
            <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => void signOut()}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void signIn()}>
            Sign in
          </button>
        )}
      </span>
    </div>
  );
}
