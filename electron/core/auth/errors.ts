/**
 * The errors the OAuth layer raises, and how the connection recognises them. A server that needs
 * the user to sign in is not "broken": the connection shows the sign-in state instead of an error
 * and does not keep reconnecting (nothing changes until the user presses Sign in).
 */
import { UnauthorizedError } from '@modelcontextprotocol/client';

/**
 * Raised by the provider when the SDK would start a browser sign-in on its own (a 401 without
 * usable tokens). Sluice never opens the browser unprompted: it stops here and shows "Sign in".
 */
export class SignInRequiredError extends Error {
  constructor(
    readonly serverName: string,
    message: string,
  ) {
    super(message);
    this.name = 'SignInRequiredError';
  }
}

/** Whether a connect or request failed because the user has to sign in (again). */
export function isSignInRequired(error: unknown): boolean {
  if (error instanceof SignInRequiredError || error instanceof UnauthorizedError) return true;
  // The SDK may wrap what escaped the auth seam (e.g. inside a version-negotiation error).
  const cause = error as { cause?: unknown; data?: { cause?: unknown } } | undefined;
  const inner = cause?.cause ?? cause?.data?.cause;
  return inner !== undefined && inner !== error && isSignInRequired(inner);
}
