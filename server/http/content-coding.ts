/**
 * Content codings for what the server sends to browsers: which one a request
 * accepts (`Accept-Encoding`), and how each is made. The build
 * (scripts/build.mjs) and the demo host compress with the same settings, so a
 * file's bytes do not depend on where it was compressed.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { BrotliOptions, ZlibOptions } from 'node:zlib';

export type ContentCoding = 'br' | 'gzip' | 'identity';

/** The sibling file a coding is stored in next to the original: `chat-room.js.br`. */
export const CODING_SUFFIX: Record<ContentCoding, string> = { br: '.br', gzip: '.gz', identity: '' };

/** Stored or cached once per build, so the slowest, smallest settings pay off. */
export const GZIP_OPTIONS: ZlibOptions = { level: 9 };

export function brotliOptions(size: number): BrotliOptions {
  return {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: size,
    },
  };
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export function compress(coding: Exclude<ContentCoding, 'identity'>, data: Buffer): Promise<Buffer> {
  return coding === 'br' ? brotliAsync(data, brotliOptions(data.length)) : gzipAsync(data, GZIP_OPTIONS);
}

/**
 * The codings worth trying for a request, best first: br, then gzip, each
 * only when `Accept-Encoding` gives it (or `*`) a non-zero q; identity always
 * ends the list, as a server may send it even when the client ranked it low.
 * The server's order wins over the client's: br is smaller at every q > 0.
 * No header means identity only (what curl and old proxies expect).
 */
export function acceptedCodings(header: string | undefined): ContentCoding[] {
  const q = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    const weight = params.find((p) => p.startsWith('q='));
    const value = weight === undefined ? 1 : Number(weight.slice(2));
    q.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(value) ? value : 0);
  }
  const accepts = (coding: string): boolean => (q.get(coding) ?? q.get('*') ?? 0) > 0;
  const codings: ContentCoding[] = [];
  if (accepts('br')) codings.push('br');
  if (accepts('gzip')) codings.push('gzip');
  codings.push('identity');
  return codings;
}
