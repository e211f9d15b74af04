/**
 * OAuth scope strings from a server's `WWW-Authenticate` challenge. They are the server's text and
 * end up in the authorization request and in messages shown to the user, so they are bounded and
 * restricted to the characters RFC 6749 §3.3 allows in a scope token.
 */

/** At most this many scope tokens, each at most this long, are taken from a challenge. */
const MAX_SCOPE_TOKENS = 32;
const MAX_SCOPE_TOKEN_LENGTH = 200;
/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** The challenge's scope with only valid tokens (deduplicated, bounded), or undefined when none is left. */
export function boundedScope(scope: string | undefined): string | undefined {
  if (!scope) return undefined;
  const tokens = new Set<string>();
  for (const token of scope.slice(0, MAX_SCOPE_TOKENS * (MAX_SCOPE_TOKEN_LENGTH + 1)).split(/\s+/)) {
    if (tokens.size >= MAX_SCOPE_TOKENS) break;
    if (token.length <= MAX_SCOPE_TOKEN_LENGTH && SCOPE_TOKEN.test(token)) tokens.add(token);
  }
  return tokens.size ? [...tokens].join(' ') : undefined;
}

/** Whether every token of `scope` is in `of`. */
export function isScopeSubset(scope: string, of: string): boolean {
  const held = new Set(of.split(/\s+/).filter(Boolean));
  return scope
    .split(/\s+/)
    .filter(Boolean)
    .every((token) => held.has(token));
}
