/**
 * engine.io-client's `parse` (a long regex with fourteen named parts) for
 * what the widget hands Socket.IO: absolute http(s) URLs of the chat server
 * and a namespace path. The script-tag build swaps it in (rollup.config.mjs,
 * `textOnlyCodecs`) on the browser's own URL parser; Socket.IO reads the
 * fields below only.
 */
export interface ParsedUri {
  source: string;
  protocol: string;
  /** The host name, IPv6 without its brackets. */
  host: string;
  /** Empty for the scheme's default port (Socket.IO fills it in). */
  port: string;
  path: string;
  query: string;
  queryKey: Record<string, string>;
  ipv6uri?: true;
}

export function parse(source: string): ParsedUri {
  const url = new URL(source);
  const bracketed = url.hostname.startsWith('[');
  return {
    source,
    protocol: url.protocol.slice(0, -1),
    host: bracketed ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port,
    path: url.pathname,
    query: url.search.slice(1),
    queryKey: Object.fromEntries(url.searchParams),
    ...(bracketed ? { ipv6uri: true as const } : {}),
  };
}
