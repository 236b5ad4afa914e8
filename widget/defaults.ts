/** The server a `<chat-room>` talks to when it has no `server` attribute. */
let scriptServer: string | undefined;

/** Set by the script-tag entry: the origin `chat-room.js` was loaded from. */
export function setDefaultServer(origin: string | undefined): void {
  scriptServer = origin;
}

export function defaultServer(): string {
  return scriptServer ?? location.origin;
}
