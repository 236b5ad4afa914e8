/** The connection layer of the widget: plain TypeScript, no DOM. */
export * from './channel.js';
export * from './connection.js';
export * from './conversation.js';
export * from './cursor-acks.js';
export * from './direct-conversation.js';
export * from './emitter.js';
export * from './errors.js';
export * from './guest-key.js';
export * from './heartbeat.js';
export * from './link.js';
export * from './member-directory.js';
export * from './message-log.js';
export * from './outbox.js';
export * from './pending-store.js';
export * from './registry.js';
export * from './room-conversation.js';
export * from './storage.js';
