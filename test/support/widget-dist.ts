/**
 * Hand-made widget builds (a loader and content-hashed chunks with their
 * `.gz` / `.br` copies, laid out as `npm run build` writes them) and raw HTTP
 * GETs that keep the content coding visible, for the chunk-serving tests.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * node:http, not fetch, which would decompress and hide the coding. The path
 * goes out as written: a URL object would resolve `%2e%2e` segments first.
 */
export function rawGet(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  const [, origin = '', path = '/'] = /^(https?:\/\/[^/]+)(\/.*)?$/.exec(url) ?? [];
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The body as sent, decoded from its `Content-Encoding`. */
export function decoded(res: RawResponse): Buffer {
  const coding = res.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(res.body);
  if (coding === 'gzip') return gunzipSync(res.body);
  if (coding !== undefined) throw new Error(`unexpected coding ${coding}`);
  return res.body;
}

/** A module's text, long enough that compression pays. */
export function chunkSource(name: string): string {
  return `export const part = ${JSON.stringify(name)};\n${`// ${name} filler\n`.repeat(50)}`;
}

/**
 * Writes `<dir>/chat-room.js` and `<dir>/chunks/<name>` with `.gz` and `.br`
 * siblings (only the file itself for names in `plain`); answers the loader's path.
 */
export async function writeDist(dir: string, chunks: Record<string, string>, plain: readonly string[] = []): Promise<string> {
  await mkdir(join(dir, 'chunks'), { recursive: true });
  const loader = join(dir, 'chat-room.js');
  await writeFile(loader, `import(${JSON.stringify(Object.keys(chunks))});\n`);
  for (const [name, text] of Object.entries(chunks)) {
    const file = join(dir, 'chunks', name);
    await writeFile(file, text);
    if (plain.includes(name)) continue;
    await writeFile(`${file}.gz`, gzipSync(text));
    await writeFile(`${file}.br`, brotliCompressSync(text));
  }
  return loader;
}
