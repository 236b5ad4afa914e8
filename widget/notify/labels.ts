/** Notification titles, in the notify chunk itself: it loads without the chat's catalogues (a closed launcher). */
import { uiLanguage } from '../lang.js';

/** `Alice in lobby` / `Alice (private message)` (`room` null), in the UI language. */
export function notificationTitle(lang: string, name: string, room: string | null): string {
  if (uiLanguage(lang) === 'zh') return room === null ? `${name}（私聊）` : `${name}（${room}）`;
  return room === null ? `${name} (private message)` : `${name} in ${room}`;
}
