/**
 * The address a request comes from, for per-address limits and IP bans, and
 * the key those limits count it under.
 */
import type { IncomingMessage } from 'node:http';
import { isIP, isIPv4 } from 'node:net';

/**
 * Behind `hops` reverse proxies that append to `X-Forwarded-For` (as load
 * balancers do), the client is the address the nearest trusted proxy saw:
 * the entry `hops` from the right, counted as Express counts its
 * `trust proxy` hops (with fewer entries, the leftmost). Entries further left
 * were written by the client and are never read. With 0 hops the header is
 * ignored: any client can write it.
 */
export function clientIp(req: IncomingMessage, hops: number): string {
  const peer = normaliseIp(req.socket.remoteAddress ?? 'unknown');
  if (hops < 1) return peer;
  const header = req.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const entry = entries[Math.max(0, entries.length - hops)];
  const address = entry === undefined ? undefined : withoutPort(entry);
  // A proxy that wrote something else ("unknown", a name) tells nothing: its own peer address stands.
  return address !== undefined && isIP(address) ? normaliseIp(address) : peer;
}

/** `trustProxy` as given (a number of hops, or true for one) as a number of hops. */
export function proxyHops(trustProxy: number | boolean | undefined): number {
  if (trustProxy === true) return 1;
  return typeof trustProxy === 'number' && Number.isInteger(trustProxy) && trustProxy > 0 ? trustProxy : 0;
}

/** A dotted IPv4 address, bare or IPv4-mapped: what nearly every peer address is, spelled one way already. */
const PLAIN_V4 = /^(?:::ffff:)?(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/** One spelling per address: lower case, no zone, and an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) as IPv4. */
export function normaliseIp(address: string): string {
  // Every connection reads its address several times (handshake, admission, each per-address limit).
  const v4 = PLAIN_V4.exec(address)?.[1];
  if (v4 !== undefined && isIPv4(v4)) return v4;
  const ip = address.trim().toLowerCase().replace(/%.*$/, '');
  if (isIP(ip) !== 6) return ip;
  const groups = ipv6Groups(ip);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return ip;
}

/**
 * What per-address limits count: an IPv4 address, or the /64 network of an
 * IPv6 one (a single subscriber is commonly given a whole /64, so counting
 * each address would give them billions of budgets).
 */
export function addressKey(address: string): string {
  const ip = normaliseIp(address);
  if (isIP(ip) !== 6) return ip;
  return `${ipv6Groups(ip)
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (with `::` and a trailing dotted IPv4 part expanded). */
function ipv6Groups(ip: string): number[] {
  let text = ip;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  if (tail === undefined) return left;
  const right = parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** `1.2.3.4:5678` and `[::1]:80` as some proxies write them; a bare IPv6 address is left alone. */
function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(entry);
  return v4 ? v4[1]! : entry;
}
