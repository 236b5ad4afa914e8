/**
 * The site registry: which tenants exist, read through the store and cached in
 * memory (every connection consults it). The `demo` site is created at start.
 * The cache expires after a few seconds so that changes made by the CLI, which
 * writes the database from another process, reach a running server.
 */
import { randomBytes } from 'node:crypto';
import { SITE_ID_PATTERN } from '../../protocol/index.js';
import { newIdKey } from '../identity.js';
import type { ChatStore, RoomPolicy, Site } from '../storage/store.js';
import { BoundedCache } from './bounded-cache.js';

export const DEMO_SITE_ID = 'demo';

/** The longest edit window a site may set: a week. */
export const EDIT_WINDOW_MAX_MINUTES = 7 * 24 * 60;
/** Bounds of a site's upload settings: one file, one picture, and every upload together. */
export const UPLOAD_MAX_BYTES_LIMIT = 100 * 1024 * 1024;
export const UPLOAD_MAX_PIXELS_LIMIT = 268_402_689;
export const UPLOAD_QUOTA_LIMIT = 2 ** 50;

/** Local pages on any port: the demo host and a developer's own pages. */
export const DEMO_SITE_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'];

/** How long a site read from the store is trusted before it is read again. */
const CACHE_TTL_MS = 5000;

/**
 * Known sites cached at most (more are read from the store each time), and
 * unknown ids remembered at most (briefly, so a repeated typo does not reach
 * the store each time; a flood of made-up ids cannot push known sites out).
 */
const KNOWN_SITES_CACHED = 1000;
const UNKNOWN_IDS_CACHED = 200;
/** The most entries the site cache ever holds, whatever ids strangers send. */
export const SITE_CACHE_MAX = KNOWN_SITES_CACHED + UNKNOWN_IDS_CACHED;

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
  editWindowMinutes?: number;
  uploadMaxBytes?: number;
  uploadMaxPixels?: number;
  uploadQuotaBytes?: number;
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
  if (fields.editWindowMinutes !== undefined) site.editWindowMinutes = fields.editWindowMinutes;
  if (fields.uploadMaxBytes !== undefined) site.uploadMaxBytes = fields.uploadMaxBytes;
  if (fields.uploadMaxPixels !== undefined) site.uploadMaxPixels = fields.uploadMaxPixels;
  if (fields.uploadQuotaBytes !== undefined) site.uploadQuotaBytes = fields.uploadQuotaBytes;
  return site;
}

/**
 * Told every record the registry reads from the store (undefined: no such site)
 * and every change made through it (`changedHere`), so sessions can end with
 * their site or secret.
 */
export type SiteObserver = (id: string, site: Site | undefined, changedHere: boolean) => void;

export class SiteRegistry {
  private readonly known = new BoundedCache<string, Site>(KNOWN_SITES_CACHED, CACHE_TTL_MS);
  private readonly unknown = new BoundedCache<string, undefined>(UNKNOWN_IDS_CACHED, CACHE_TTL_MS);
  private all: { sites: Site[]; expires: number } | undefined;
  private readonly observers: SiteObserver[] = [];

  constructor(private readonly store: ChatStore) {}

  /** Entries in the site cache (known and unknown ids). */
  get cacheSize(): number {
    return this.known.size + this.unknown.size;
  }

  /** The site with this id; an id no site can have is not looked up. */
  async get(id: string): Promise<Site | undefined> {
    if (!SITE_ID_PATTERN.test(id)) return undefined;
    const cached = this.known.get(id) ?? this.unknown.get(id);
    if (cached) return cached.value;
    const site = await this.store.getSite(id);
    if (site) this.known.set(id, site);
    else this.unknown.set(id, undefined);
    this.report(id, site, false);
    return site;
  }

  /** Drops the cached record and reads it again (another node changed it). */
  refresh(id: string): Promise<Site | undefined> {
    this.forget(id);
    return this.get(id);
  }

  observe(observer: SiteObserver): void {
    this.observers.push(observer);
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
    this.report(id, rotated, true);
    return rotated;
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.store.removeSite(id);
    this.forget(id);
    if (removed) this.report(id, undefined, true);
    return removed;
  }

  /** Registers the `demo` site unless it exists (its settings are then left alone). */
  async ensureDemoSite(): Promise<Site> {
    await this.store.addSite(siteRecord({ id: DEMO_SITE_ID, name: 'Demo', origins: DEMO_SITE_ORIGINS }));
    this.forget(DEMO_SITE_ID);
    return (await this.get(DEMO_SITE_ID))!;
  }

  private report(id: string, site: Site | undefined, changedHere: boolean): void {
    for (const observer of this.observers) observer(id, site, changedHere);
  }

  private forget(id: string): void {
    this.known.delete(id);
    this.unknown.delete(id);
    this.all = undefined;
  }
}
