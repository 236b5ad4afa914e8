/**
 * Sessions end with the credentials that admitted them:
 *   - an identified socket ends (`token_expired`) when its token stops being
 *     accepted, unless `session:renew` gave it a newer one — one timer per
 *     identified socket, none for guests;
 *   - when the site registry reads a site whose secret differs from the one an
 *     identified socket was signed in with, that socket ends
 *     (`credentials_revoked`); when the site is gone, every socket of it ends
 *     (`unknown_site`) and its events are refused before any handler runs.
 * The registry reads a site when its cache expires; a sweep keeps reading the
 * sites that have sockets on this node, so a change written by the site CLI
 * (another process) is noticed within seconds. A change made on this node is
 * told to the others (`sites:changed`), which read the site again at once.
 */
import { ErrorCode, SITE_NAMESPACE_PATTERN, siteNamespace } from '../../protocol/index.js';
import type { Ack, ChatError } from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import { fail } from '../result.js';
import { secretFingerprint } from '../security/credentials.js';
import type { ChatIo, ChatSocket } from '../socket-types.js';
import type { Site } from '../storage/store.js';
import type { SiteRegistry } from './sites.js';

/** How often the sites with sockets on this node are looked up (the registry reads the store once its cache expired). */
const SWEEP_INTERVAL_MS = 2000;
/** setTimeout's longest delay; a later end is re-armed when this one fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const REVOKED: ChatError = { code: ErrorCode.CredentialsRevoked, message: 'the site secret was rotated: sign in again with a new token' };
const EXPIRED: ChatError = { code: ErrorCode.TokenExpired, message: 'the identity token has expired' };
const REMOVED: ChatError = { code: ErrorCode.UnknownSite, message: 'this site no longer exists' };

export class SessionCredentials {
  readonly #timers = new Map<ChatSocket, ReturnType<typeof setTimeout>>();
  readonly #sweep: ReturnType<typeof setInterval>;

  constructor(
    private readonly io: ChatIo,
    private readonly sites: SiteRegistry,
    private readonly logger: Logger,
    /** Tells the other nodes of a cluster that a site changed here. */
    tellOthers?: (site: string) => void,
  ) {
    sites.observe((id, site, changedHere) => {
      this.check(id, site);
      if (changedHere) tellOthers?.(id);
    });
    this.#sweep = setInterval(() => this.sweepSites(), SWEEP_INTERVAL_MS);
    this.#sweep.unref();
  }

  /** (Re-)arms the end of an identified socket's session; after a renewal, for the new token. */
  arm(socket: ChatSocket): void {
    this.disarm(socket);
    const expiresAt = socket.data.credentials?.expiresAt;
    if (expiresAt === undefined || !socket.connected) return;
    const delay = expiresAt - Date.now();
    if (delay <= 0) return this.end(socket, EXPIRED);
    const timer = setTimeout(() => (delay > MAX_TIMER_MS ? this.arm(socket) : this.end(socket, EXPIRED)), Math.min(delay, MAX_TIMER_MS));
    timer.unref();
    this.#timers.set(socket, timer);
  }

  /** The socket left: its session timer goes. */
  release(socket: ChatSocket): void {
    this.disarm(socket);
  }

  /**
   * The check after the event guard, last before the handler: false for an
   * event of a socket whose site is gone, which is refused (`unknown_site`)
   * and ends the socket; false too when the site could not be looked up.
   */
  async siteStands(socket: ChatSocket, ack: ((response: Ack<never>) => void) | undefined): Promise<boolean> {
    let site: Site | undefined;
    try {
      site = await this.sites.get(socket.data.site.id);
    } catch (err) {
      this.logger.error('site lookup failed', { err });
      return false;
    }
    if (site) return true;
    ack?.(fail(REMOVED.code, REMOVED.message));
    this.end(socket, REMOVED);
    return false;
  }

  /** Ends the sockets of `id` on this node that the site's current record no longer backs. */
  check(id: string, site: Site | undefined): void {
    const sockets = this.io._nsps.get(siteNamespace(id))?.sockets;
    if (!sockets?.size) return;
    const fingerprint = site && secretFingerprint(site.secret);
    for (const socket of sockets.values()) {
      const { credentials } = socket.data;
      if (!site) this.end(socket, REMOVED);
      else if (credentials && credentials.fingerprint !== fingerprint) this.end(socket, REVOKED);
    }
  }

  stop(): void {
    clearInterval(this.#sweep);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  private end(socket: ChatSocket, reason: ChatError): void {
    this.disarm(socket);
    if (!socket.connected) return;
    this.logger.debug('session ended', { site: socket.data.site.id, socket: socket.id, code: reason.code });
    socket.emit('session:ended', reason);
    socket.disconnect(true);
  }

  private disarm(socket: ChatSocket): void {
    clearTimeout(this.#timers.get(socket));
    this.#timers.delete(socket);
  }

  /** Looks up every site with sockets here; a lookup that reads the store reports the record to `check`. */
  private sweepSites(): void {
    for (const [name, nsp] of this.io._nsps) {
      const id = SITE_NAMESPACE_PATTERN.exec(name)?.[1];
      if (id === undefined || nsp.sockets.size === 0) continue;
      this.sites.get(id).catch((err: unknown) => this.logger.error('site lookup failed', { site: id, err }));
    }
  }
}
