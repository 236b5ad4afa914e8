/**
 * Cross-site WebSocket hijacking guard: a socket may join a site's namespace
 * only from a page whose Origin the site allows. Matching is exact, except
 * that an allowed origin may use `*` as its whole port (`http://localhost:*`).
 */

/** True when `origin` (the request's Origin header) is allowed by one of `allowed`. */
export function isOriginAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return false;
  const actual = parseOrigin(origin);
  if (!actual) return false;
  return allowed.some((entry) => {
    if (entry === origin) return true;
    if (!entry.endsWith(':*')) return false;
    const pattern = parseOrigin(entry.slice(0, -2));
    return (
      pattern !== undefined &&
      pattern.port === '' &&
      pattern.protocol === actual.protocol &&
      pattern.hostname === actual.hostname
    );
  });
}

/** A URL that is exactly an origin (scheme, host, optional port; nothing after). */
function parseOrigin(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return url.origin === value ? url : undefined;
}

/** The site's rule for a connection: an allowed Origin, or none at all when the site accepts that (native apps). */
export function isOriginAcceptedBy(origin: string | undefined, site: { origins: readonly string[]; allowNoOrigin: boolean }): boolean {
  return origin === undefined ? site.allowNoOrigin : isOriginAllowed(origin, site.origins);
}

/** What a site may list: an exact origin, or one with `*` as its whole port. */
export function isOriginPattern(value: string): boolean {
  const candidate = value.endsWith(':*') ? value.slice(0, -2) : value;
  const url = parseOrigin(candidate);
  return url !== undefined && (!value.endsWith(':*') || url.port === '');
}
