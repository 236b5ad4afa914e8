/** The services handlers, the admission check and the admin API call; built once per server by `attachChatServer`. */
import type { MediaService } from '../media/media-service.js';
import type { BanService } from './bans.js';
import type { MessageChangeService } from './message-changes.js';
import type { MessageService } from './messages.js';
import type { ModerationService } from './moderation.js';
import type { PresenceService } from './presence-service.js';
import type { PrivacyService } from './privacy.js';
import type { SessionCredentials } from './sessions.js';
import type { SiteRegistry } from './sites.js';
import type { TypingService } from './typing-service.js';
import type { UserService } from './users.js';

export interface Services {
  sites: SiteRegistry;
  users: UserService;
  messages: MessageService;
  /** Edits, deletions and reactions after sending, and their replay. */
  changes: MessageChangeService;
  /** Blocks and the private-message setting. */
  privacy: PrivacyService;
  presence: PresenceService;
  /** Typing summaries of big rooms. */
  typing: TypingService;
  bans: BanService;
  moderation: ModerationService;
  sessions: SessionCredentials;
  /** Image tickets, uploads and their sweep. */
  media: MediaService;
}
