/**
 * The security headers of the chat page and its files. The Content-Security-Policy lets the page run
 * only this server's scripts (no inline code, no eval) and talk only to this server; Web Chat's own
 * <style> elements carry the page's per-response nonce. `frame-ancestors` says which sites may show
 * the page in an iframe (WEBCHAT_FRAME_ANCESTORS, default 'self').
 */

/** CSP source expressions a site may list in frame-ancestors: keywords, schemes, hosts (with * and ports). */
const FRAME_ANCESTOR_SOURCE = /^('self'|'none'|https?:|(https?:\/\/)?(\*\.)?[a-z0-9.-]+(:(\d+|\*))?)$/i;

export const DEFAULT_FRAME_ANCESTORS = "'self'";

/**
 * The sites allowed to frame the page, from a space-separated list; throws on anything that is not a
 * plain source. Bare self and none (.env quoting can strip the quotes of a lone 'none') get their quotes back.
 */
export function frameAncestorsFrom(setting: string | undefined): string {
  const sources = (setting ?? '').trim().split(/\s+/).filter(Boolean).map(withKeywordQuotes);
  if (sources.length === 0) return DEFAULT_FRAME_ANCESTORS;
  const invalid = sources.find((source) => !FRAME_ANCESTOR_SOURCE.test(source));
  if (invalid) throw new Error(`"${invalid}" is not a CSP source such as 'self', 'none' or https://example.org`);
  return sources.join(' ');
}

function withKeywordQuotes(source: string): string {
  return /^(self|none)$/i.test(source) ? `'${source.toLowerCase()}'` : source;
}

/**
 * What Web Chat 4.18 needs beyond the page's own files, found from the browser's CSP reports:
 * - its transcript adds one <style> element without the nonce (react-scroll-to-bottom's, whose
 *   nonce BasicTranscript does not pass on); the element is empty, its rules go in through CSSOM,
 *   which CSP does not govern, so the hash of empty content is all it takes;
 * - its spinner and typing animations are images it builds from bytes in the bundle (blob: URLs,
 *   which only the page's own scripts can make);
 * - a link in a reply (the sources' links to the article view) gets an "opens in a new window" icon,
 *   an image in a data: URL from the bundle. An image cannot run script.
 */
const EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='";

/** The policy; `nonce` (the page's, fresh for each response) lets Web Chat add its <style> elements. */
export function contentSecurityPolicy(frameAncestors: string, nonce?: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    ["style-src 'self'", EMPTY_STYLE_HASH, ...(nonce ? [`'nonce-${nonce}'`] : [])].join(' '),
    "img-src 'self' blob: data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** Headers for the page (with its nonce) and for its files. */
export function securityHeaders(frameAncestors: string, nonce?: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(frameAncestors, nonce),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...legacyFrameOptions(frameAncestors),
  };
}

/** X-Frame-Options for browsers without frame-ancestors; it cannot name other sites, so it is left out when some are allowed. */
function legacyFrameOptions(frameAncestors: string): Record<string, string> {
  if (frameAncestors === "'self'") return { 'X-Frame-Options': 'SAMEORIGIN' };
  if (frameAncestors === "'none'") return { 'X-Frame-Options': 'DENY' };
  return {};
}
