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
  rename: 'Change your name',
  messagesLabel: 'Messages in {room}',
  loadOlder: 'Load earlier messages',
  empty: 'No messages yet. Say hello!',
  today: 'Today',
  yesterday: 'Yesterday',
  sending: 'Sending…',
  queued: 'Waiting for the connection…',
  sent: 'Sent',
  unreadDivider: 'New messages',
  rtt: 'Connected, round trip {ms} ms',
  queueHint: 'Messages you write now are sent once the connection is back.',
  failed: 'Not sent',
  deleted: 'Message deleted',
  retry: 'Retry',
  discard: 'Discard',
  showMore: 'Show more',
  showLess: 'Show less',
  placeholder: 'Write a message…',
  send: 'Send',
  emoji: 'Emoji',
  connect: 'Connect',
  dmTitle: 'Private chat with {name}',
  signedIn: 'Signed in',
  back: 'Back to {room}',
  tooLong: '{length}/{max} characters: too long to send',
  reasonOffline: 'You are offline.',
  unreachable: "Can't reach the chat server.",
  lastKnown: 'last known',
  rate_limited: 'You are sending too fast. Please wait a moment.',
  not_connected: 'Not connected to the chat.',
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
  return fill(catalogs[uiLanguage(lang)]?.[key] ?? en[key], params);
}

/** `text` with its `{param}` placeholders filled (lazy parts with strings of their own use it too). */
export function fill(text: string, params?: Record<string, string | number>): string {
  return params ? text.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m)) : text;
}

/** The texts of rare errors (widget/i18n-errors.ts), once loaded. */
let rare: Record<UiLanguage, Record<string, string>> | undefined;
let loadingRare: Promise<void> | undefined;

/**
 * Loads the texts of rare errors; null once they are in. A failed load
 * rejects, and the next call tries again.
 */
export function loadErrors(): Promise<void> | null {
  return rare
    ? null
    : (loadingRare ??= import('./i18n-errors.js').then(
        (m) => void (rare = m.errors),
        (error: unknown) => {
          loadingRare = undefined;
          throw error;
        },
      ));
}

/** The text of an error code in `lang`; undefined for a code without one, or a rare one before `loadErrors()` is done. */
export function errorText(lang: string, code: string, params?: Record<string, string | number>): string | undefined {
  if (code in en) return t(lang, code as MessageKey, params);
  const text = rare?.[uiLanguage(lang)][code];
  return text && fill(text, params);
}
