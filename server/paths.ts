/** Where the package's own files live, from both `server/*.ts` (tsx) and `lib/server/*.js` (built). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest directory above this file whose package.json is the chat-room package. */
function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (name === 'chat-room') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`chat-room package.json not found above ${start}`);
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const DEFAULT_WIDGET_BUNDLE = join(PACKAGE_ROOT, 'dist', 'chat-room.js');
/** Where the build writes the loader's content-hashed chunks: next to the loader. */
export function chunksDirOf(widgetBundle: string): string {
  return join(dirname(widgetBundle), 'chunks');
}
export const DEFAULT_DEMO_DIR = join(PACKAGE_ROOT, 'demo');
