/**
 * Bans and mutes in force, per site, read through the store and cached for a
 * moment (every send consults them). Adding or lifting one through this
 * service takes effect at once here and, through `onChange` (the cluster tells
 * every node), at once everywhere; one written by some other process within
 * `CACHE_TTL_MS`.
 */
import type { BanInfo, BanKind, UserId, UserInfo } from '../../protocol/index.js';
import { normaliseIp } from '../security/client-ip.js';
import type { BanDraft, ChatStore } from '../storage/store.js';

const CACHE_TTL_MS = 5000;

export class BanService {
  private readonly cache = new Map<string, { bans: BanInfo[]; expires: number }>();

  constructor(
    private readonly store: ChatStore,
    /** Told after every change, to tell the other nodes. */
    private readonly onChange: (site: string) => void = () => {},
  ) {}

  /** Another node changed the site's bans. */
  forget(site: string): void {
    this.cache.delete(site);
  }

  /** Bans and mutes of the site in force now. */
  async active(site: string): Promise<BanInfo[]> {
    const now = Date.now();
    let entry = this.cache.get(site);
    if (!entry || entry.expires <= now) {
      entry = { bans: await this.store.activeBans(site, now), expires: now + CACHE_TTL_MS };
      this.cache.set(site, entry);
    }
    return entry.bans.filter((ban) => ban.until > now);
  }

  /**
   * The restriction of one of `kinds` on this user or address that lasts
   * longest, if any. A ban also silences: ask for `['ban', 'mute']` before a send.
   * A ban that names a user holds that user only; its address (see `sessionBan`)
   * does not silence others who are already connected from there.
   */
  async find(site: string, kinds: readonly BanKind[], userId: UserId, ip: string): Promise<BanInfo | undefined> {
    const bans = await this.active(site);
    // Most sites have none in force: then the address is not even read.
    if (bans.length === 0) return undefined;
    const from = sameAddress(ip);
    return longest(bans, (ban) => kinds.includes(ban.kind) && (ban.userId === userId || (ban.userId === undefined && from(ban))));
  }

  /**
   * The ban that refuses a new session, if any: one on the user, one on the
   * address alone, or, for a guest, one on a user that was connected from this
   * address (a banned guest must not come back with a fresh key; signed-in
   * users sharing the address are not held by it).
   */
  async sessionBan(site: string, user: Pick<UserInfo, 'id' | 'kind'>, ip: string): Promise<BanInfo | undefined> {
    const bans = await this.active(site);
    if (bans.length === 0) return undefined;
    const from = sameAddress(ip);
    return longest(bans, (ban) => ban.kind === 'ban' && (ban.userId === user.id || (from(ban) && (ban.userId === undefined || user.kind === 'guest'))));
  }

  /** The store changed the site's bans by other means (an erase): read them afresh here and on every node. */
  changed(site: string): void {
    this.cache.delete(site);
    this.onChange(site);
  }

  async add(site: string, draft: BanDraft): Promise<BanInfo> {
    const ban = await this.store.addBan(site, draft);
    this.cache.delete(site);
    this.onChange(site);
    return ban;
  }

  async remove(site: string, id: string): Promise<boolean> {
    const removed = await this.store.removeBan(site, id);
    this.cache.delete(site);
    this.onChange(site);
    return removed;
  }
}

/** The ban of `bans` that `matches` and lasts longest. */
function longest(bans: readonly BanInfo[], matches: (ban: BanInfo) => boolean): BanInfo | undefined {
  let found: BanInfo | undefined;
  for (const ban of bans) {
    if (matches(ban) && (!found || ban.until > found.until)) found = ban;
  }
  return found;
}

/** Matches bans on this address; bans stored before addresses were normalised may hold `::ffff:1.2.3.4`. */
function sameAddress(ip: string): (ban: BanInfo) => boolean {
  const address = normaliseIp(ip);
  return (ban) => ban.ip !== undefined && normaliseIp(ban.ip) === address;
}
