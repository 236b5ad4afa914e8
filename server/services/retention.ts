/**
 * Site retention: messages older than a site's `retentionDays` are deleted,
 * at start and then every hour. Every node of a cluster may run it; deleting
 * what is already gone changes nothing. Later messages keep their seqs, so
 * history simply begins later (clients treat the missing range as gone).
 */
import type { Logger } from '../logger.js';
import type { ChatStore } from '../storage/store.js';

const DAY_MS = 24 * 3600 * 1000;
export const RETENTION_INTERVAL_MS = 3600 * 1000;

/** Prunes every site that has a retention period; answers the messages deleted per site. */
export async function applyRetention(store: ChatStore, now = Date.now()): Promise<Record<string, number>> {
  const pruned: Record<string, number> = {};
  for (const site of await store.listSites()) {
    if (site.retentionDays === undefined) continue;
    pruned[site.id] = await store.pruneMessages(site.id, now - site.retentionDays * DAY_MS);
  }
  return pruned;
}

/** Runs `applyRetention` now and every `intervalMs`; answers the function that stops it. */
export function startRetention(store: ChatStore, logger: Logger, intervalMs = RETENTION_INTERVAL_MS): () => void {
  const run = (): void => {
    applyRetention(store).then(
      (pruned) => {
        if (Object.values(pruned).some((n) => n > 0)) logger.info('retention applied', { pruned });
      },
      (err: unknown) => logger.error('retention failed', { err }),
    );
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
