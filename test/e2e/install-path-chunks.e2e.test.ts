/**
 * The built package installed under a dot-directory serves `/chunks/…`
 * precompressed, as it does `/chat-room.js` (Express refuses dot-segments in
 * file paths unless the directory is given as `root`): a refusal would break
 * every lazily loaded part of the widget for npx and `~/.local` installs. The
 * chunks are the build's, plus one written into the copy, so the test holds
 * whatever the build splits.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decoded, rawGet, writeDist } from '../support/widget-dist.js';
import { installBuiltPackage, startServer, type RunningServer } from './harness.js';

const HAND_MADE = 'e2e-0123abcd.js';

describe('chat-room-server installed under a dot-directory serves the widget chunks', () => {
  let remove: (() => void) | undefined;
  let installed: string;
  let server: RunningServer;
  let chunks: string[];

  before(async () => {
    ({ installed, remove } = installBuiltPackage('.local', 'lib', 'node_modules', 'chat-room'));
    // Into a scratch dist, then only its chunk files into the installed one: the build's loader stays.
    const scratch = join(installed, '..', 'scratch-dist');
    await writeDist(scratch, { [HAND_MADE]: `export const e2e = true;\n${'// filler\n'.repeat(100)}` });
    await mkdir(join(installed, 'dist/chunks'), { recursive: true });
    for (const file of readdirSync(join(scratch, 'chunks'))) {
      await copyFile(join(scratch, 'chunks', file), join(installed, 'dist/chunks', file));
    }
    chunks = readdirSync(join(installed, 'dist/chunks')).filter((file) => file.endsWith('.js'));
    server = await startServer([], installed);
  });

  after(async () => {
    await server?.stop();
    remove?.();
  });

  it('serves every chunk as brotli and as gzip, each decoding to the installed file, cached for a year', async () => {
    assert.ok(chunks.includes(HAND_MADE));
    for (const name of chunks) {
      const file = readFileSync(join(installed, 'dist/chunks', name));
      for (const [accept, coding] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip']] as const) {
        const res = await rawGet(`${server.url}/chunks/${name}`, { 'accept-encoding': accept });
        assert.equal(res.status, 200, `${name} ${accept}: ${server.output()}`);
        assert.equal(res.headers['content-encoding'], coding, name);
        assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', name);
        assert.equal(res.headers['access-control-allow-origin'], '*', name);
        assert.ok(decoded(res).equals(file), `${name} ${accept}: decodes to the installed file`);
      }
    }
  });
});
