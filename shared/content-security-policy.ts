/**
 * The Content-Security-Policy of Sluice's page, one policy wherever the page is served: the desktop
 * shell stamps it on every response (electron/desktop/security.ts), web mode sends it with every
 * file (electron/web/server.ts), and renderer/index.html carries it in a meta tag (without
 * frame-ancestors, which a meta tag cannot set; tests/unit/desktop-main.test.ts checks the built
 * page against this). No inline or eval'd script; styles may be inline because React sets `style`
 * attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "media-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "worker-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
