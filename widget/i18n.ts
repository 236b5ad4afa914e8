/**
 * UI strings in English and Simplified Chinese. `t(lang, key, params)` picks
 * the closest language and fills `{name}` placeholders.
 */
import { uiLanguage, type UiLanguage } from './lang.js';

export { resolveLang, uiLanguage, type UiLanguage } from './lang.js';

const en = {
  online: 'Online',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  disconnected: 'Disconnected',
  onlineCount: '{count} online',
  members: 'People in {room}',
  rename: 'Change your name',
  save: 'Save',
  cancel: 'Cancel',
  messagesLabel: 'Messages in {room}',
  loadOlder: 'Load earlier messages',
  empty: 'No messages yet. Say hello!',
  newMessages: 'New messages',
  today: 'Today',
  yesterday: 'Yesterday',
  joined: '{name} joined',
  left: '{name} left',
  renamed: '{old} is now {name}',
  typing1: '{a} is typing…',
  typing2: '{a} and {b} are typing…',
  typingMany: 'Several people are typing…',
  sending: 'Sending…',
  queued: 'Waiting for the connection…',
  sent: 'Sent',
  unreadDivider: 'New messages',
  rtt: 'Connected, round trip {ms} ms',
  newCount: '{count} new',
  queueHint: 'Messages you write now are sent once the connection is back.',
  failed: 'Not sent',
  deleted: 'Message deleted',
  delete: 'Delete',
  mute: 'Mute 15 min',
  ban: 'Ban 1 day',
  retry: 'Retry',
  discard: 'Discard',
  showMore: 'Show more',
  showLess: 'Show less',
  placeholder: 'Write a message…',
  send: 'Send',
  connect: 'Connect',
  dmTitle: 'Private chat with {name}',
  signedIn: 'Signed in',
  back: 'Back to {room}',
  tooLong: '{length}/{max} characters: too long to send',
  reasonOffline: 'You are offline.',
  unreachable: "Can't reach the chat server.",
  lastKnown: 'last known',
  unknown_site: 'This chat is not set up: unknown site “{site}”.',
  origin_not_allowed: 'This page is not allowed to use this chat.',
  invalid_room: 'Invalid room name “{room}”.',
  too_many_rooms: 'Too many chat rooms are open on this page.',
  message_too_long: 'The message is too long.',
  invalid_nickname: 'Names must be 2–32 letters, digits or spaces.',
  nickname_taken: 'That name is already taken.',
  rate_limited: 'You are sending too fast. Please wait a moment.',
  internal_error: 'The chat server had a problem. Please try again.',
  not_connected: 'Not connected to the chat.',
  timeout: 'The chat server did not answer in time.',
  muted: 'You are muted here for now.',
  banned: 'You are banned from this chat.',
  read_only: 'Only moderators can post in this room.',
  room_not_allowed: 'You may not join this room.',
  forbidden: 'You are not allowed to do that.',
  token_invalid: 'Your sign-in is not valid here.',
  token_expired: 'Your sign-in has expired. Please reload.',
  token_wrong_site: 'Your sign-in is for another site.',
  credentials_revoked: 'Your sign-in is no longer valid. Please reload.',
};

export type MessageKey = keyof typeof en;


export type Catalog = Record<MessageKey, string>;

/** English is built in; other languages are chunks of their own, loaded by `loadLanguage()`. */
const catalogs: Partial<Record<UiLanguage, Catalog>> = { en };
const loading = new Map<UiLanguage, Promise<void>>();


/** The catalogue of `lang` is in: `t()` answers in it. */
export function hasLanguage(lang: string): boolean {
  return !!catalogs[uiLanguage(lang)];
}

/** Settles once the catalogue of `lang` is in (at once for English); until then `t()` answers in English. */
export function loadLanguage(lang: string): Promise<void> {
  const ui = uiLanguage(lang);
  if (hasLanguage(ui)) return Promise.resolve();
  let pending = loading.get(ui);
  if (!pending) {
    pending = import('./i18n-zh.js').then(
      (m) => void (catalogs[ui] = m.zh),
      (error: unknown) => {
        // Not cached: a later render tries again (until then, English).
        loading.delete(ui);
        throw error;
      },
    );
    loading.set(ui, pending);
  }
  return pending;
}

/** The string for `key`, with `{param}` placeholders filled. */
export function t(lang: string, key: MessageKey, params?: Record<string, string | number>): string {
  const text = catalogs[uiLanguage(lang)]?.[key] ?? en[key];
  return params ? text.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m)) : text;
}

/** True when a string is a known message key (used to translate error codes). */
export function hasMessage(key: string): key is MessageKey {
  return key in en;
}
