/** What every handler factory is given. */
import type { Logger } from '../logger.js';
import type { BanService } from '../services/bans.js';
import type { ModerationService } from '../services/moderation.js';
import type { PresenceService } from '../services/presence-service.js';
import type { SessionCredentials } from '../services/sessions.js';
import type { SiteRegistry } from '../services/sites.js';
import type { UserService } from '../services/users.js';
import type { ChatNamespace, ChatSocket } from '../socket-types.js';
import type { ChatStore } from '../storage/store.js';

export interface Services {
  store: ChatStore;
  users: UserService;
  presence: PresenceService;
  sites: SiteRegistry;
  bans: BanService;
  moderation: ModerationService;
  sessions: SessionCredentials;
}

export interface HandlerContext {
  nsp: ChatNamespace;
  socket: ChatSocket;
  services: Services;
  /** Already carries the socket's site, user and socket id. */
  logger: Logger;
}
