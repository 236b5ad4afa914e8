/**
 * The site registry: which tenants exist, read through the store and cached in
 * memory (every connection consults it). The `demo` site is created at start.
 * The cache expires after a few seconds so that changes made by the CLI, which
 * writes the database from another process, reach a running server.
 */
import { randomBytes } from 'node:crypto';
import { newIdKey } from '../identity.js';
import type { ChatStore, RoomPolicy, Site } from '../storage/store.js';

export const DEMO_SITE_ID = 'demo';

/** Local pages on any port: the demo host and a developer's own pages. */
export const DEMO_SITE_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'];

/** How long a site read from the store is trusted before it is read again. */
const CACHE_TTL_MS = 5000;

/** What creating a site needs; everything else gets a default. */
export interface NewSite {
  id: string;
  name: string;
  origins: string[];
  allowNoOrigin?: boolean;
  roomPolicy?: RoomPolicy;
  rooms?: string[];
  readOnlyRooms?: string[];
  retentionDays?: number;
  rateLimitScale?: number;
}

/** A fresh random site secret (256 bits, URL-safe). */
export function newSiteSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A complete site record from the fields a caller gave. */
export function siteRecord(fields: NewSite): Site {
  const site: Site = {
    id: fields.id,
    name: fields.name,
    origins: fields.origins,
    allowNoOrigin: fields.allowNoOrigin ?? false,
    secret: newSiteSecret(),
    idKey: newIdKey(),
    roomPolicy: fields.roomPolicy ?? 'open',
    rooms: fields.rooms ?? [],
    readOnlyRooms: fields.readOnlyRooms ?? [],
    created: Date.now(),
  };
  if (fields.retentionDays !== undefined) site.retentionDays = fields.retentionDays;
  if (fields.rateLimitScale !== undefined) site.rateLimitScale = fields.rateLimitScale;
  return site;
}

export class SiteRegistry {
  private readonly cache = new Map<string, { site: Site | undefined; expires: number }>();
  private all: { sites: Site[]; expires: number } | undefined;

  constructor(private readonly store: ChatStore) {}

  async get(id: string): Promise<Site | undefined> {
    const cached = this.cache.get(id);
    if (cached && cached.expires > Date.now()) return cached.site;
    const site = await this.store.getSite(id);
    this.cache.set(id, { site, expires: Date.now() + CACHE_TTL_MS });
    return site;
  }

  async list(): Promise<Site[]> {
    if (this.all && this.all.expires > Date.now()) return this.all.sites;
    const sites = await this.store.listSites();
    this.all = { sites, expires: Date.now() + CACHE_TTL_MS };
    return sites;
  }

  /** Creates the site with a fresh secret; undefined when the id is taken. */
  async create(fields: NewSite): Promise<Site | undefined> {
    const site = siteRecord(fields);
    const added = await this.store.addSite(site);
    this.forget(site.id);
    return added ? site : undefined;
  }

  /** Replaces the secret: tokens signed with the old one stop working, and so does the old bearer. User ids stay (they come from the id key). */
  async rotateSecret(id: string): Promise<Site | undefined> {
    const site = await this.store.getSite(id);
    if (!site) return undefined;
    const rotated = { ...site, secret: newSiteSecret() };
    await this.store.updateSite(rotated);
    this.forget(id);
    return rotated;
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.store.removeSite(id);
    this.forget(id);
    return removed;
  }

  /** Registers the `demo` site unless it exists (its settings are then left alone). */
  async ensureDemoSite(): Promise<Site> {
    await this.store.addSite(siteRecord({ id: DEMO_SITE_ID, name: 'Demo', origins: DEMO_SITE_ORIGINS }));
    this.forget(DEMO_SITE_ID);
    return (await this.get(DEMO_SITE_ID))!;
  }

  private forget(id: string): void {
    this.cache.delete(id);
    this.all = undefined;
  }
}
