/**
 * The site registry: which tenants exist, read through the store and cached in
 * memory (every connection consults it). The `demo` site is created at start.
 */
import { randomBytes } from 'node:crypto';
import type { ChatStore, Site } from '../storage/store.js';

export const DEMO_SITE_ID = 'demo';

/** Local pages on any port: the demo host and a developer's own pages. */
export const DEMO_SITE_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'];

export class SiteRegistry {
  private readonly cache = new Map<string, Site>();

  constructor(private readonly store: ChatStore) {}

  async get(id: string): Promise<Site | undefined> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const site = await this.store.getSite(id);
    if (site) this.cache.set(id, site);
    return site;
  }

  /** Registers the `demo` site unless it exists (its settings are then left alone). */
  async ensureDemoSite(): Promise<Site> {
    await this.store.addSite({
      id: DEMO_SITE_ID,
      name: 'Demo',
      origins: DEMO_SITE_ORIGINS,
      secret: randomBytes(32).toString('base64url'),
      created: Date.now(),
    });
    return (await this.get(DEMO_SITE_ID))!;
  }
}
