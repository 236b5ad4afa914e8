/** Notification titles, in the notify chunk itself: it loads without the chat (a closed launcher), so it imports nothing of it. */
/** `Alice in lobby` / `Alice (private message)` (`room` null), in the UI language. */
export function notificationTitle(lang: string, name: string, room: string | null): string {
  if (/^zh\b/i.test(lang)) return room === null ? `${name}（私聊）` : `${name}（${room}）`;
  return room === null ? `${name} (private message)` : `${name} in ${room}`;
}
