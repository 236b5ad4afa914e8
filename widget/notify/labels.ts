/** Notification titles, in the notify chunk itself: it loads without the chat (a closed launcher), so it imports nothing of it. */
/** `Alice in lobby` / `Alice (private message)` (`room` null), in the UI language. */
export function notificationTitle(lang: string, name: string, room: string | null): string {
  if (/^zh\b/i.test(lang)) return room === null ? `${name}（私聊）` : `${name}（${room}）`;
  return room === null ? `${name} (private message)` : `${name} in ${room}`;
}

/** A message's text as a notification shows it: mentions (`<@id>`) as `@name`. */
export function notificationBody({ text, mentions }: { text: string; mentions?: { id: string; name: string }[] }): string {
  return text.replace(/<@([\w-]+)>/g, (token, id: string) => {
    const user = mentions?.find((u) => u.id === id);
    return user ? `@${user.name}` : token;
  });
}
