/** The programmatic API of the chat-room server. */
export { createChatServer } from './chat-server.js';
export type { ChatServer, ChatServerOptions } from './chat-server.js';
export { attachChatServer } from './attach.js';
export type { AttachOptions, ChatAttachment } from './attach.js';
export { createLogger } from './logger.js';
export type { LogFields, LogLevel, Logger } from './logger.js';
export { SqliteStore } from './storage/sqlite-store.js';
export { PostgresStore } from './storage/postgres-store.js';
export type { PostgresStoreOptions } from './storage/postgres-store.js';
export type { ChatStore, RoomPolicy, Site, UnreadCount } from './storage/store.js';
export { DEFAULT_RATE_LIMITS, scaleRateLimits } from './security/rate-limits.js';
export type { RateLimitOptions, RateLimitRule } from './security/rate-limits.js';
export type { EdgeMetrics } from './metrics.js';
export type { PresenceStore } from './presence/presence.js';
export { RedisPresence } from './presence/redis-presence.js';
